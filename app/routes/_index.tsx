import { json, type HeadersFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listModules } from "~/core/modules/registry.server";
import { tenantLoader } from "~/core/route.server";
import { isModuleEnabled } from "~/core/tenant/tenant.server";

/**
 * The same page for every anonymous visitor of a town: the server may keep it a few seconds
 * (server/page-cache.ts swaps the nonce and CSRF token; signed-in visitors never get it).
 */
export const headers: HeadersFunction = () => ({ "X-Communa-Page-Cache": "anonymous" });

export const loader = /* @__PURE__ */ tenantLoader(async ({ tenant }) => {
  const modules = listModules()
    .filter((m) => isModuleEnabled(tenant, m.id) && m.navigation.length > 0)
    .map((m) => ({ id: m.id, to: m.navigation[0].to }));
  const c = tenant.definition.commune;
  return json({ name: tenant.name, commune: c, modules });
});

export default function PortalHome() {
  const { name, commune, modules } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const number = new Intl.NumberFormat("fr-FR");
  return (
    <>
      <h1>{t("home.title", { name })}</h1>
      <p className="lead">{t("home.intro")}</p>
      <section aria-labelledby="modules-title">
        <h2 id="modules-title">{t("home.modulesTitle")}</h2>
        {modules.length === 0 ? (
          <p>{t("home.noModules")}</p>
        ) : (
          <ul className="card-list">
            {modules.map((m) => (
              <li key={m.id} className="card">
                <h3>
                  <Link to={m.to}>{t(`${m.id}:name`)}</Link>
                </h3>
                <p>{t(`${m.id}:description`)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="commune-title" className="commune-facts">
        <h2 id="commune-title">{t("home.communeFacts")}</h2>
        <dl>
          <dt>{t("home.inseeCode")}</dt>
          <dd>{commune.inseeCode}</dd>
          {commune.postalCodes.length > 0 ? (
            <>
              <dt>{t("home.postalCodes")}</dt>
              <dd>{commune.postalCodes.join(", ")}</dd>
            </>
          ) : null}
          <dt>{t("home.population")}</dt>
          <dd>
            {commune.population !== null
              ? t("home.populationValue", { value: number.format(commune.population) })
              : commune.parentName
                ? t("home.populationUnknown", { name: commune.officialName, parent: commune.parentName })
                : t("home.populationMissing")}
          </dd>
        </dl>
      </section>
      
    </>
  );
}
