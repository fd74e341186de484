import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { operatorMeta } from "~/core/operator/meta";
import { operatorLoader } from "~/core/operator/route.server";
import { listTenantsForOperator } from "~/core/operator/tenants.server";
import { formatDateTime } from "~/core/ui/format";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => operatorMeta(matches, data?.title);

export const loader = /* @__PURE__ */ operatorLoader(async ({ tx, withTenant, t }) => {
  const tenants = await listTenantsForOperator(tx, withTenant);
  return json({
    title: t("tenants.title"),
    tenants: tenants.map((tenant) => ({ ...tenant, lastActivityAt: tenant.lastActivityAt?.toISOString() ?? null })),
  });
});

export default function OperatorTenants() {
  const { tenants } = useLoaderData<typeof loader>();
  const { t } = useTranslation("operator");
  return (
    <>
      <h1>{t("tenants.title")}</h1>
      <p className="lead">{t("tenants.intro")}</p>
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
