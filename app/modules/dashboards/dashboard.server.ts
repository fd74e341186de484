// The dashboard of one town: the indicators every module it enabled declares, computed from
// the core event log in the request's transaction (row-level security keeps them the town's
// own), for the chosen period and the one it is compared with.
import type { TFunction } from "i18next";
import type { Tx } from "~/core/db/db.server";
import { listModules } from "~/core/modules/registry.server";
import { isModuleEnabled, type TenantContext } from "~/core/tenant/tenant.server";
import { indicatorFigures, type IndicatorFigures, type IndicatorValues } from "./figures";
import { localDate, resolvePeriod, type Period } from "./period";
import { readPeriodQuery, type PeriodQuery } from "./query";
import { dashboardsSettingsSchema, type DashboardsSettings } from "./schemas";

export function dashboardsSettings(tenant: TenantContext): DashboardsSettings {
  return dashboardsSettingsSchema.parse(tenant.modules.dashboards?.settings ?? {});
}

/** Every indicator of the town's enabled modules, in registry order, for `period` and its previous period. */
export async function computeIndicators(tx: Tx, tenant: TenantContext, period: Period): Promise<IndicatorValues[]> {
  const out: IndicatorValues[] = [];
  for (const manifest of listModules()) {
    if (!isModuleEnabled(tenant, manifest.id)) continue;
    for (const indicator of manifest.indicators) {
      // One transaction, one connection: the queries run one after another.
      const current = await indicator.compute(tx, { from: period.from, to: period.to });
      const previous = await indicator.compute(tx, { from: period.previous.from, to: period.previous.to });
      out.push({ module: manifest.id, id: indicator.id, labelKey: `${manifest.id}:${indicator.labelKey}`, theme: indicator.theme, unit: indicator.unit, current, previous });
    }
  }
  return out;
}

export type DashboardRow = IndicatorValues & { label: string; source: string; figures: IndicatorFigures };

export type Dashboard = {
  settings: DashboardsSettings;
  query: PeriodQuery;
  /** Null when the period asked for is invalid (see `query.errors`). */
  period: Period | null;
  /** The commune's population, null when the official dataset has none (an associated commune). */
  population: number | null;
  rows: DashboardRow[];
};

export async function loadDashboard(tx: Tx, tenant: TenantContext, request: Request, t: TFunction, now: Date = new Date()): Promise<Dashboard> {
  const settings = dashboardsSettings(tenant);
  const query = readPeriodQuery(new URL(request.url).searchParams, settings.defaultPeriod);
  const population = tenant.definition.commune?.population ?? null;
  if (!query.choice) return { settings, query, period: null, population, rows: [] };
  const period = resolvePeriod(query.choice, localDate(now, tenant.timeZone), tenant.timeZone);
  const values = await computeIndicators(tx, tenant, period);
  const rows = values.map((v) => ({
    ...v,
    label: t(v.labelKey),
    source: t(`${v.module}:name`),
    figures: indicatorFigures(v, { minimumGroupSize: settings.minimumGroupSize, population }),
  }));
  return { settings, query, period, population, rows };
}
