import { json, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { operatorMeta } from "~/core/operator/meta";
import { operatorLoader } from "~/core/operator/route.server";
import { listTenantsForOperator } from "~/core/operator/tenants.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { Notice } from "~/core/ui/form";
import { formatDateTime } from "~/core/ui/format";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => operatorMeta(matches, data?.title);

const NOTICES = ["created", "suspended", "resumed", "unchanged"] as const;

export const loader = /* @__PURE__ */ operatorLoader(async ({ tx, withTenant, t, request }) => {
  const tenants = await listTenantsForOperator(tx, withTenant);
  // After a change, the page it redirects to says what happened, to which town.
  const search = new URL(request.url).searchParams;
  const kind = NOTICES.find((k) => k === search.get("ok"));
  const named = tenants.find((tenant) => tenant.slug === search.get("commune"));
  return json({
    title: t("tenants.title"),
    notice: kind && named ? t(`tenants.notices.${kind}`, { name: named.name }) : null,
    tenants: tenants.map((tenant) => ({ ...tenant, lastActivityAt: tenant.lastActivityAt?.toISOString() ?? null })),
  });
});

export default function OperatorTenants() {
  const { tenants, notice } = useLoaderData<typeof loader>();
  const { t } = useTranslation("operator");
  return (
    <>
      <h1>{t("tenants.title")}</h1>
      <p className="lead">{t("tenants.intro")}</p>
      {notice ? <Notice>{notice}</Notice> : null}
      <p>
        <Link to="/operateur/communes/nouvelle" className="button">
          {t("tenants.create")}
        </Link>
      </p>
      <p>{t("tenants.exportHelp")}</p>
      <p role="status">{t("tenants.count", { count: tenants.length })}</p>
      {tenants.length === 0 ? (
        <p>{t("tenants.empty")}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="tenants-caption" tabIndex={0}>
          <table className="operator-table">
            <caption id="tenants-caption" className="visually-hidden">
              {t("tenants.caption")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("tenants.columns.name")}</th>
                <th scope="col">{t("tenants.columns.slug")}</th>
                <th scope="col">{t("tenants.columns.hosts")}</th>
                <th scope="col">{t("tenants.columns.status")}</th>
                <th scope="col">{t("tenants.columns.modules")}</th>
                <th scope="col">{t("tenants.columns.accounts")}</th>
                <th scope="col">{t("tenants.columns.lastActivity")}</th>
                <th scope="col">{t("tenants.columns.mail")}</th>
                <th scope="col">{t("tenants.columns.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((tenant) => (
                <tr key={tenant.id}>
                  <th scope="row">{tenant.name}</th>
                  <td>
                    <code>{tenant.slug}</code>
                  </td>
                  <td>
                    <ul className="plain-list">
                      {tenant.hosts.map((host) => (
                        <li key={host}>{host}</li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <span className={`status-tag status-tag--${tenant.status}`}>{t(`tenants.status.${tenant.status}`)}</span>
                  </td>
                  <td>
                    {tenant.enabledModules.length === 0
                      ? t("tenants.noModules")
                      : tenant.enabledModules.map((id) => t(`${id}:name`, { defaultValue: id })).join(", ")}
                  </td>
                  <td className="numeric">{new Intl.NumberFormat("fr-FR").format(tenant.activeAccounts)}</td>
                  <td>{tenant.lastActivityAt ? formatDateTime(tenant.lastActivityAt, tenant.timeZone) : t("tenants.noActivity")}</td>
                  <td>
                    <Link to={`/operateur/communes/${tenant.slug}/courriels`}>{t("tenants.outboxLink", { name: tenant.name })}</Link>
                  </td>
                  <td>
                    <ul className="plain-list operator-actions">
                      <li>
                        <Link to={`/operateur/communes/${tenant.slug}/etat`}>
                          {t(tenant.status === "active" ? "tenants.suspendLink" : "tenants.resumeLink", { name: tenant.name })}
                        </Link>
                      </li>
                      <li>
                        {/* A plain form post: the browser saves the archive and stays on the list. */}
                        <Form method="post" action={`/operateur/communes/${tenant.slug}/export`} reloadDocument>
                          <CsrfInput />
                          <button type="submit" className="link-button">
                            {t("tenants.exportButton", { name: tenant.name })}
                          </button>
                        </Form>
                      </li>
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
