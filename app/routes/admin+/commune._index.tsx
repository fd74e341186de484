import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";
import { SECTION_PATHS, TOWN_SECTIONS, townSettingsState } from "~/core/tenant/town-settings.server";
import { TownPageHeader } from "~/core/ui/console/TownSection";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** The town's settings, section by section, each saying whether it was changed here. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, t }) => {
    const state = await townSettingsState(tx, tenant.id);
    const c = state.current;
    const summaries: Record<(typeof TOWN_SECTIONS)[number], string> = {
      identity: c.name,
      theme: t("console-town:overview.themeSummary", { primary: c.theme.primary, accent: c.theme.accent }),
      logo: state.overrides.logo ? t("console-town:overview.logoUploaded") : c.hasLogo ? t("console-town:overview.logoPlatform") : t("console-town:overview.logoNone"),
      map: t("console-town:overview.mapSummary", {
        lng: c.map.center[0].toLocaleString("fr-FR"),
        lat: c.map.center[1].toLocaleString("fr-FR"),
        zoom: c.map.zoom.toLocaleString("fr-FR"),
      }),
      locales: t("console-town:overview.localesSummary", {
        enabled: c.locales.enabled.map((l) => t(`console-town:locales.names.${l}`)).join(", "),
        default: t(`console-town:locales.names.${c.locales.default}`),
        timeZone: c.timeZone,
      }),
      legal: t("console-town:overview.legalSummary", { publisher: c.legal.publisher, status: t(`console-town:legal.statuses.${c.accessibility.status}`) }),
    };
    return json({
      town: c.name,
      title: t("console-town:overview.title"),
      sections: TOWN_SECTIONS.map((id) => ({ id, to: SECTION_PATHS[id], summary: summaries[id], changed: state.changed[id] })),
    });
  },
  { console: true, sensitive: true },
);

export default function TownSettings() {
  const { town, sections } = useLoaderData<typeof loader>();
  const { t } = useTranslation("console-town");
  return (
    <>
      <TownPageHeader overview title={t("overview.title")} intro={t("overview.intro", { town })} />
      <div className="table-scroll">
        <table className="town-overview">
          <caption>{t("overview.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("overview.section")}</th>
              <th scope="col">{t("overview.value")}</th>
              <th scope="col">{t("overview.source")}</th>
            </tr>
          </thead>
          <tbody>
            {sections.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={s.to}>{t(`sections.${s.id}`)}</Link>
                </th>
                <td>{s.summary}</td>
                <td>{s.changed ? t("source.changed") : t("source.platform")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
