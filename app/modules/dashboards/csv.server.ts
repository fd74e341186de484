// The CSV export of the dashboard: one line per indicator, the figures the page shows
// (small counts withheld the same way), for spreadsheets set to French: `;` separated,
// decimal comma, UTF-8 with a byte-order mark, CRLF line ends.
import { stringify } from "csv-stringify/sync";
import type { TFunction } from "i18next";
import type { DashboardRow } from "./dashboard.server";
import { isWithheld, type IndicatorUnit, type Shown } from "./figures";
import type { Period } from "./period";

const COLUMNS = [
  "theme", "source", "indicator", "unit", "periodStart", "periodEnd", "value",
  "previousStart", "previousEnd", "previousValue", "difference", "changePercent", "perThousand",
] as const;

const decimal = new Intl.NumberFormat("fr-FR", { useGrouping: false, maximumFractionDigits: 2 });

/** Euro amounts are stored in cents and exported in euros. */
function number(unit: IndicatorUnit, value: number): string {
  return decimal.format(unit === "eur" ? value / 100 : value);
}

export function dashboardCsv(rows: DashboardRow[], period: Period, minimumGroupSize: number, t: TFunction): string {
  const withheld = `<${minimumGroupSize}`;
  const cell = (unit: IndicatorUnit, value: Shown | null, kind: "value" | "derived" = "value") => {
    if (value === null) return "";
    // A withheld difference or rate is left empty: only counts are withheld as "<N".
    if (isWithheld(value)) return kind === "value" ? withheld : "";
    return number(unit, value);
  };
  const lines = rows.map((r) => [
    t(`dashboards:themes.${r.theme}`),
    r.source,
    r.label,
    t(`dashboards:units.${r.unit}.name`),
    period.firstDay,
    period.lastDay,
    cell(r.unit, r.figures.current),
    period.previous.firstDay,
    period.previous.lastDay,
    cell(r.unit, r.figures.previous),
    cell(r.unit, r.figures.difference, "derived"),
    r.figures.percent === null || isWithheld(r.figures.percent) ? "" : decimal.format(r.figures.percent),
    cell(r.unit, r.figures.perThousand, "derived"),
  ]);
  const header = COLUMNS.map((c) => t(`dashboards:csv.${c}`));
  return stringify([header, ...lines], { bom: true, delimiter: ";", record_delimiter: "windows" });
}
