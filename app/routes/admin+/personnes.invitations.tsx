import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isLocale } from "~/core/i18n/i18n.server";
import { tenantOrigin } from "~/core/http/urls.server";
import { INVITATION_STATUSES, type InvitationStatus } from "~/core/people";
import { getPerson, listInvitations, resendInvitation, revokeInvitation, roleOptions } from "~/core/people.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { Breadcrumb, Pager } from "~/core/ui/ConsolePeople";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const OK_MESSAGES = ["sent", "sentToAccount", "revoked", "resent"] as const;

/** The town's invitations, newest first: pending ones can be revoked, pending and expired ones sent again. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t, locale }) => {
    const params = new URL(request.url).searchParams;
    const statut = params.get("statut");
    const status: InvitationStatus | "" = INVITATION_STATUSES.find((s) => s === statut) ?? "";
    const requested = Number(params.get("page") ?? "1");
    const roles = await roleOptions(tx, t, locale);
    const list = await listInvitations(tx, { status, page: Number.isInteger(requested) && requested >= 1 ? requested : 1 });
    // The account an invitation just sent will upgrade, to link to it from the notice.
    const account = params.get("ok") === "sentToAccount" ? await getPerson(tx, params.get("compte") ?? "") : null;
    return json({
      town: tenant.name,
      title: t("console-people:invitations.title"),
      timeZone: tenant.timeZone,
      status,
      page: list.page,
      pageCount: list.pageCount,
      total: list.total,
      locales: tenant.locales,
      defaultLocale: tenant.defaultLocale,
      account: account ? { id: account.id, displayName: account.displayName } : null,
      invitations: list.invitations.map((i) => ({ ...i, roleLabel: roles.label(i.role) })),
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ form, tx, tenant, user, request, afterCommit }) => {
    const intent = form.get("intent");
    const id = String(form.get("id") ?? "");
    let result;
    if (intent === "revoke") {
      result = await revokeInvitation(tx, user!, id);
    } else if (intent === "resend") {
      const chosen = form.get("locale");
      const locale = isLocale(chosen) && tenant.locales.includes(chosen) ? chosen : tenant.defaultLocale;
      result = await resendInvitation({ tx, tenant, afterCommit, origin: tenantOrigin(request, tenant), locale }, user!, id);
    } else {
      return json({ errors: { _form: "console-people:errors.unknownIntent" } }, { status: 400 });
    }
    if (!result) notFound();
    if (!result.ok) return json({ errors: { _form: result.key } }, { status: 400 });
    return redirect(`/admin/personnes/invitations?ok=${intent === "revoke" ? "revoked" : "resent"}`);
  },
  { console: true, sensitive: true },
);

export default function Invitations() {
  const { status, page, pageCount, total, invitations, timeZone, locales, defaultLocale, account } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation("console-people");
  const ok = OK_MESSAGES.find((m) => m === searchParams.get("ok"));
  const when = (date: string) => formatDateTime(date, timeZone);
  const pageHref = (n: number) => {
    const params = new URLSearchParams();
    if (status) params.set("statut", status);
    if (n > 1) params.set("page", String(n));
    const search = params.toString();
    return `/admin/personnes/invitations${search ? `?${search}` : ""}`;
  };
  return (
    <>
      <Breadcrumb trail={[{ to: "/admin/personnes", label: t("list.title") }]} current={t("invitations.title")} />
      <h1>{t("invitations.title")}</h1>
      {ok && !data ? (
        <Notice>
          {t(`invitations.ok.${ok}`, { email: searchParams.get("email") ?? "" })}
          {ok === "sentToAccount" && account ? (
            <>
              {" "}
              <Link to={`/admin/personnes/${account.id}`}>{t("invitations.openAccount", { name: account.displayName })}</Link>
            </>
          ) : null}
        </Notice>
      ) : null}
      <ErrorSummary errors={data?.errors} />
      <p className="lead">{t("invitations.intro")}</p>
      <p>
        <Link to="/admin/personnes/inviter" className="button">
          {t("list.invite")}
        </Link>
      </p>

      <Form method="get" className="people-filters" aria-labelledby="invitations-filter-title">
        <h2 id="invitations-filter-title" className="people-filters__title">
          {t("invitations.filterTitle")}
        </h2>
        <div className="people-filters__grid">
          <Field
            as="select"
            name="statut"
            label={t("invitations.status")}
            defaultValue={status}
            options={[{ value: "", label: t("invitations.anyStatus") }, ...INVITATION_STATUSES.map((s) => ({ value: s, label: t(`invitations.statuses.${s}`) }))]}
          />
        </div>
        <p className="people-filters__actions">
          <button type="submit" className="button">
            {t("invitations.filter")}
          </button>
        </p>
      </Form>

      <h2>{t("invitations.results", { count: total })}</h2>
      {invitations.length === 0 ? (
        <p>{t("invitations.empty")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="invitations-caption">
          <table className="people-table">
            <caption id="invitations-caption">{t("invitations.caption", { page, total: pageCount })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("invitations.columns.email")}</th>
                <th scope="col">{t("invitations.columns.role")}</th>
                <th scope="col">{t("invitations.columns.status")}</th>
                <th scope="col">{t("invitations.columns.sent")}</th>
                <th scope="col">{t("invitations.columns.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id}>
                  <th scope="row" className="people-email">
                    {i.email}
                  </th>
                  <td>{i.organisationName ? t("roleInOrganisation", { role: i.roleLabel, organisation: i.organisationName }) : i.roleLabel}</td>
                  <td>
                    <strong>{t(`invitations.statuses.${i.status}`)}</strong>
                    <br />
                    {i.status === "pending" ? t("invitations.expiresOn", { date: when(i.expiresAt) }) : null}
                    {i.status === "expired" ? t("invitations.expiredOn", { date: when(i.expiresAt) }) : null}
                    {i.status === "accepted" && i.acceptedAt ? t("invitations.acceptedOn", { date: when(i.acceptedAt) }) : null}
                    {i.status === "accepted" && i.acceptedUser ? (
                      <>
                        <br />
                        {t("invitations.account")} <Link to={`/admin/personnes/${i.acceptedUser.id}`}>{i.acceptedUser.displayName}</Link>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {when(i.createdAt)}
                    <br />
                    {t("invitations.by", { who: i.invitedBy })}
                  </td>
                  <td>
                    {i.status === "pending" || i.status === "expired" ? (
                      <div className="people-row-actions">
                        <Form method="post" className="people-inline-form">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="resend" />
                          <input type="hidden" name="id" value={i.id} />
                          {locales.length > 1 ? (
                            <span className="people-inline-field">
                              <label htmlFor={`resend-locale-${i.id}`}>
                                {t("invitations.resendLocale")}
                                <span className="visually-hidden"> ({i.email})</span>
                              </label>
                              <select id={`resend-locale-${i.id}`} name="locale" defaultValue={defaultLocale}>
                                {locales.map((l) => (
                                  <option key={l} value={l}>
                                    {t(`languages.${l}`)}
                                  </option>
                                ))}
                              </select>
                            </span>
                          ) : (
                            <input type="hidden" name="locale" value={defaultLocale} />
                          )}
                          <button type="submit" className="button button--secondary">
                            {t("invitations.resend")}
                            <span className="visually-hidden"> {i.email}</span>
                          </button>
                        </Form>
                        {i.status === "pending" ? (
                          <Form method="post">
                            <CsrfInput />
                            <input type="hidden" name="intent" value="revoke" />
                            <input type="hidden" name="id" value={i.id} />
                            <button type="submit" className="button button--danger">
                              {t("invitations.revoke")}
                              <span className="visually-hidden"> {i.email}</span>
                            </button>
                          </Form>
                        ) : null}
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageCount={pageCount} href={pageHref} label={t("invitations.pagination")} />
    </>
  );
}
