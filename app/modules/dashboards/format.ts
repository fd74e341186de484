// Indicator values as text: fr-FR numbers (as app/core/ui/format.ts does for dates and
// money), with their unit. Euro amounts are in cents, like every amount of the platform.
import type { TFunction } from "i18next";
import { formatMoney } from "~/core/ui/format";
import { isWithheld, type IndicatorFigures, type IndicatorUnit, type Shown } from "./figures";

const whole = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const wholeSigned = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0, signDisplay: "exceptZero" });
const oneDecimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
const oneDecimalSigned = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1, signDisplay: "exceptZero" });
const twoDecimals = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });

type Style = "value" | "difference" | "rate";

function formatNumber(unit: IndicatorUnit, value: number, style: Style, t: TFunction): string {
  if (unit === "eur") {
    const cents = Math.round(value);
    const sign = style === "difference" && cents > 0 ? "+" : style === "difference" && cents < 0 ? "-" : "";
    return sign + formatMoney(style === "difference" ? Math.abs(cents) : cents);
  }
  const signed = style === "difference";
  const formatter = style === "rate" ? twoDecimals : unit === "count" ? (signed ? wholeSigned : whole) : signed ? oneDecimalSigned : oneDecimal;
  const text = formatter.format(value);
  return unit === "count" ? text : t(`dashboards:units.${unit}.withValue`, { value: text });
}

/** A shown value, or the "fewer than N" of a withheld count. */
export function formatShown(unit: IndicatorUnit, value: Shown, style: Style, t: TFunction, minimumGroupSize: number): string {
  if (isWithheld(value)) return t("dashboards:figures.fewerThan", { size: whole.format(minimumGroupSize) });
  return formatNumber(unit, value, style, t);
}

export type FormattedFigures = {
  current: string;
  previous: string;
  difference: string;
  /** null: no ratio (previous value 0). */
  percent: string | null;
  /** null: population unknown. */
  perThousand: string | null;
};

export function formatFigures(unit: IndicatorUnit, figures: IndicatorFigures, t: TFunction, minimumGroupSize: number): FormattedFigures {
  const shown = (value: Shown, style: Style) => formatShown(unit, value, style, t, minimumGroupSize);
  return {
    current: shown(figures.current, "value"),
    previous: shown(figures.previous, "value"),
    difference: isWithheld(figures.difference) ? t("dashboards:figures.withheld") : shown(figures.difference, "difference"),
    percent:
      figures.percent === null ? null : isWithheld(figures.percent) ? t("dashboards:figures.withheld") : percent.format(figures.percent / 100),
    perThousand: figures.perThousand === null ? null : isWithheld(figures.perThousand) ? t("dashboards:figures.withheld") : shown(figures.perThousand, "rate"),
  };
}

export function formatPopulation(population: number): string {
  return whole.format(population);
}
