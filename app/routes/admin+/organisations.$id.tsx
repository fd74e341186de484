import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { findOrganisation, organisationMembers, organisationSchema, renameOrganisation, roleOptions } from "~/core/people.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { Breadcrumb } from "~/core/ui/ConsolePeople";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { formatDate } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** One organisation: its name (renamed here) and the accounts holding a role in it. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ params, tx, tenant, t, locale }) => {
    const organisation = await findOrganisation(tx, params.id ?? "");
    if (!organisation) notFound();
    const roles = await roleOptions(tx, t, locale);
    const members = await organisationMembers(tx, organisation.id);
    return json({
      town: tenant.name,
      title: organisation.name,
      timeZone: tenant.timeZone,
      organisation,
      members: members.map((m) => ({ ...m, roles: m.roles.map(roles.label) })),
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ params, form, tx, user }) => {
    const organisation = await findOrganisation(tx, params.id ?? "");
    if (!organisation) notFound();
    const parsed = parseForm(organisationSchema, form);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await renameOrganisation(tx, user!, organisation, parsed.data.name);
    if (!result.ok) return json({ errors: result.errors, values: { name: parsed.data.name } }, { status: 400 });
    return redirect(`/admin/organisations/${organisation.id}?ok=${result.changed ? "renamed" : "unchanged"}`);
  },
  { console: true, sensitive: true },
);

export default function Organisation() {
  const { organisation, members, timeZone } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation("console-people");
  const ok = ["renamed", "unchanged"].find((m) => m === searchParams.get("ok"));
  return (
    <>
      <Breadcrumb trail={[{ to: "/admin/organisations", label: t("organisations.title") }]} current={organisation.name} />
      <h1>
        {organisation.name}
        {organisation.isDemo ? (
          <>
            {" "}
            <span className="people-tag">{t("demo")}</span>
          </>
        ) : null}
      </h1>
      {ok && !data ? <Notice>{t(`organisations.ok.${ok}`)}</Notice> : null}
      <p>{t("organisations.createdOn", { date: formatDate(organisation.createdAt, timeZone) })}</p>

      <section aria-labelledby="organisation-rename">
        <h2 id="organisation-rename">{t("organisations.rename")}</h2>
        <Form method="post" noValidate className="form">
          <CsrfInput />
          <ErrorSummary errors={data?.errors} />
          <Field
            name="name"
            label={t("organisations.name")}
            hint={t("organisations.nameHint")}
            required
            defaultValue={data?.values.name ?? organisation.name}
            error={data?.errors.name}
          />
          <p>
            <button type="submit" className="button">
              {t("organisations.renameSubmit")}
            </button>
          </p>
        </Form>
      </section>

      <section aria-labelledby="organisation-members">
        <h2 id="organisation-members">{t("organisations.members", { count: members.length })}</h2>
        {members.length === 0 ? (
          <p>{t("organisations.noMembers")}</p>
        ) : (
          <ul>
            {members.map((m) => (
              <li key={m.id}>
                <Link to={`/admin/personnes/${m.id}`}>{m.displayName}</Link> ({m.roles.join(", ")}){m.deactivated ? ` — ${t("status.deactivated")}` : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
