import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";

/** The console's areas, in the order of the side navigation. */
const AREAS = [
  { to: "/admin", key: "home", end: true },
  { to: "/admin/modules", key: "modules" },
  { to: "/admin/roles", key: "roles" },
  { to: "/admin/personnes", key: "people" },
  { to: "/admin/organisations", key: "organisations" },
  { to: "/admin/commune", key: "town" },
  { to: "/admin/securite", key: "security" },
  { to: "/admin/journal", key: "audit" },
  { to: "/admin/outbox", key: "outbox" },
] as const;

/** Every console page sits in this layout: its loader refuses anyone but staff, once more. */
export const loader = /* @__PURE__ */ tenantLoader(async () => json({ areas: AREAS }), { console: true });

export default function ConsoleLayout() {
  const { areas } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <div className="console">
      <nav className="console__nav" aria-label={t("nav.label")}>
        <ul>
          {areas.map((a) => (
            <li key={a.to}>
              <NavLink to={a.to} end={"end" in a ? a.end : false}>
                {t(`nav.${a.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="console__page">
        <Outlet />
      </div>
    </div>
  );
}
