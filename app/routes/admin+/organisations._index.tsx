import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { createOrganisation, listOrganisations, organisationSchema } from "~/core/people.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { Breadcrumb } from "~/core/ui/ConsolePeople";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { formatDate } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** The town's organisations (associations, workshops…) that association roles attach to. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, t }) =>
    json({
      town: tenant.name,
      title: t("console-people:organisations.title"),
      timeZone: tenant.timeZone,
      organisations: await listOrganisations(tx),
    }),
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ form, tx, user }) => {
    const parsed = parseForm(organisationSchema, form);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await createOrganisation(tx, user!, parsed.data.name);
    if (!result.ok) return json({ errors: result.errors, values: { name: parsed.data.name } }, { status: 400 });
    return redirect(`/admin/organisations?ok=created&nom=${encodeURIComponent(parsed.data.name)}`);
  },
  { console: true, sensitive: true },
);

export default function Organisations() {
  const { organisations, timeZone } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation("console-people");
  const created = searchParams.get("ok") === "created" && !data;
  return (
    <>
      <Breadcrumb trail={[]} current={t("organisations.title")} />
      <h1>{t("organisations.title")}</h1>
      {created ? <Notice>{t("organisations.ok.created", { name: searchParams.get("nom") ?? "" })}</Notice> : null}
      <p className="lead">{t("organisations.intro")}</p>
      {organisations.length === 0 ? (
        <p>{t("organisations.empty")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="organisations-caption">
          <table className="people-table">
            <caption id="organisations-caption">{t("organisations.caption", { count: organisations.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("organisations.columns.name")}</th>
                <th scope="col">{t("organisations.columns.members")}</th>
                <th scope="col">{t("organisations.columns.created")}</th>
              </tr>
            </thead>
            <tbody>
              {organisations.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    <Link to={`/admin/organisations/${o.id}`}>{o.name}</Link>
                    {o.isDemo ? (
                      <>
                        {" "}
                        <span className="people-tag">{t("demo")}</span>
                      </>
                    ) : null}
                  </th>
                  <td className="people-number">{o.members}</td>
                  <td>{formatDate(o.createdAt, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section aria-labelledby="organisation-create">
        <h2 id="organisation-create">{t("organisations.create")}</h2>
        <Form method="post" noValidate className="form">
          <CsrfInput />
          <ErrorSummary errors={data?.errors} />
          <Field name="name" label={t("organisations.name")} hint={t("organisations.nameHint")} required defaultValue={data?.values.name} error={data?.errors.name} />
          <p>
            <button type="submit" className="button">
              {t("organisations.createSubmit")}
            </button>
          </p>
        </Form>
      </section>
    </>
  );
}
