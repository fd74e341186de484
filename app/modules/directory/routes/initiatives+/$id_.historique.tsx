// A listing's history: every change with who made it and when, and the fields it changed.
// Open to those whose rules let them update, moderate or roll back the listing (by default
// its organisation's managers and staff); those allowed to roll it back (staff, by default)
// may put the content back as it was at any revision (itself a new revision).
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbidden, notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { refusalMessage } from "~/core/permissions/choices.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Notice } from "~/core/ui/form";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";
import { HISTORY_ACTIONS, may, mayAny, requireVisible } from "../../data/access.server";
import { listRevisions, readInitiative, revertToRevision, RevertError } from "../../data/revisions.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, params, tx, tenant, t, ability }) => {
    const listing = await readInitiative(tx, params.id ?? "");
    if (!listing) notFound();
    const rules = await ability();
    requireVisible(rules, listing);
    if (!mayAny(rules, HISTORY_ACTIONS, listing)) forbidden(refusalMessage(t, "update", "Initiative"));
    const revisions = await listRevisions(tx, listing.id);
    return json({
      title: t("directory:moderation.history.title", { name: listing.name }),
      town: tenant.name,
      id: listing.id,
      status: listing.status,
      canRevert: may(rules, "revert", listing) && listing.status !== "merged",
      reverted: new URL(request.url).searchParams.get("retabli") === "1",
      revisions: revisions.map((r) => ({ ...r, createdAt: formatDateTime(r.createdAt, tenant.timeZone) })),
    });
  },
  { module: "directory", signedIn: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ params, form, tx, user, ability, authorize }) => {
    const listing = await readInitiative(tx, params.id ?? "");
    if (!listing) notFound();
    requireVisible(await ability(), listing);
    await authorize("revert", "Initiative", listing);
    try {
      await revertToRevision(tx, listing.id, String(form.get("revision") ?? ""), { userId: user!.id, label: user!.displayName });
    } catch (error) {
      if (error instanceof RevertError) return json({ errors: { _form: `directory:moderation.history.errors.${error.code}` } }, { status: 400 });
      throw error;
    }
    return redirect(`/initiatives/${listing.id}/historique?retabli=1`);
  },
  { module: "directory", can: { action: "revert", subject: "Initiative" } },
);

export default function HistoryPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  const actor = (label: string) => (label.startsWith("@") ? t(`moderation.history.actors.${label.slice(1)}`) : label);
  return (
    <>
      <h1>{data.title}</h1>
      {data.reverted && !result ? <Notice>{t("moderation.history.reverted")}</Notice> : null}
      <ErrorSummary errors={result?.errors} />
      <p>{t("moderation.history.intro")}</p>
      <p>{t("moderation.history.status", { status: t(`moderation.statuses.${data.status}`) })}</p>
      {data.status === "published" ? (
        <p>
          <Link to={`/initiatives/${data.id}`}>{t("moderation.link.seeListing")}</Link>
        </p>
      ) : null}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="history-caption">
        <table>
          <caption id="history-caption">{t("moderation.history.caption", { count: data.revisions.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("moderation.history.when")}</th>
              <th scope="col">{t("moderation.history.what")}</th>
              <th scope="col">{t("moderation.history.who")}</th>
              <th scope="col">{t("moderation.history.changed")}</th>
              {data.canRevert ? <th scope="col">{t("moderation.history.revertColumn")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {data.revisions.map((r, i) => (
              <tr key={r.id}>
                <td>{r.createdAt}</td>
                <td>{t(`moderation.history.actions.${r.action}`, { defaultValue: r.action })}</td>
                <td>{actor(r.actorLabel)}</td>
                <td>{r.changed.length ? r.changed.map((f) => t(`moderation.history.fields.${f}`)).join(", ") : t("moderation.history.noContentChange")}</td>
                {data.canRevert ? (
                  <td>
                    {i === 0 ? (
                      t("moderation.history.current")
                    ) : (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="revision" value={r.id} />
                        <button type="submit" className="button button--secondary">
                          {t("moderation.history.revert")}
                          <span className="visually-hidden"> {t("moderation.history.revertWhen", { when: r.createdAt })}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
