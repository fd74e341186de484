import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listModules } from "~/core/modules/registry.server";
import { tenantLoader } from "~/core/route.server";
import { isModuleEnabled } from "~/core/tenant/tenant.server";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** Staff console home: the platform's tools, then those of each enabled module. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tenant, t }) => {
    const modules = listModules()
      .filter((m) => isModuleEnabled(tenant, m.id) && (m.adminNavigation?.length ?? 0) > 0)
      .map((m) => ({
        id: m.id,
        name: t(`${m.id}:name`),
        entries: (m.adminNavigation ?? []).map((e) => ({ to: e.to, label: t(`${m.id}:${e.labelKey}`) })),
      }));
    return json({ town: tenant.name, title: t("admin:home.title"), modules });
  },
  { console: true },
);

/** The console's own areas, each with a sentence saying what it is for. */
const CORE_AREAS = [
  { to: "/admin/modules", label: "nav.modules", help: "home.modulesHelp" },
  { to: "/admin/roles", label: "nav.roles", help: "home.rolesHelp" },
  { to: "/admin/personnes", label: "nav.people", help: "home.peopleHelp" },
  { to: "/admin/organisations", label: "nav.organisations", help: "home.organisationsHelp" },
  { to: "/admin/commune", label: "nav.town", help: "home.townHelp" },
  { to: "/admin/securite", label: "nav.security", help: "home.securityHelp" },
  { to: "/admin/journal", label: "nav.audit", help: "home.auditHelp" },
  { to: "/admin/outbox", label: "home.outbox", help: "home.outboxHelp" },
] as const;

export default function AdminHome() {
  const { town, modules } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <>
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.intro", { town })}</p>
      <section aria-labelledby="admin-core">
        <h2 id="admin-core">{t("home.core")}</h2>
        <ul className="card-list">
          {CORE_AREAS.map((a) => (
            <li key={a.to} className="card">
              <h3>
                <Link to={a.to}>{t(a.label)}</Link>
              </h3>
              <p>{t(a.help)}</p>
            </li>
          ))}
        </ul>
      </section>
      {modules.map((m) => (
        <section key={m.id} aria-labelledby={`admin-${m.id}`}>
          <h2 id={`admin-${m.id}`}>{m.name}</h2>
          <ul>
            {m.entries.map((e) => (
              <li key={e.to}>
                <Link to={e.to}>{e.label}</Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
