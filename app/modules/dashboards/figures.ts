// What the dashboard may show of one indicator: its value for the period and the previous
// one, the difference, the change in percent and the value per 1,000 inhabitants, with small
// counts withheld. Pure functions, shared by the page and the CSV export.
import type { IndicatorProvider } from "~/core/modules/types";

export type IndicatorUnit = IndicatorProvider["unit"];
export type IndicatorTheme = IndicatorProvider["theme"];
export const THEMES: readonly IndicatorTheme[] = ["social", "economic", "ecological"];

/** An indicator computed for a period and the period it is compared with. */
export type IndicatorValues = {
  module: string;
  id: string;
  /** "<module>:<key>": the label in the module's namespace. */
  labelKey: string;
  theme: IndicatorTheme;
  unit: IndicatorUnit;
  current: number;
  previous: number;
};

export type Withheld = { withheld: true };
export type Shown = number | Withheld;

export type IndicatorFigures = {
  current: Shown;
  previous: Shown;
  /** current − previous; withheld when either value is (it would give the other away). */
  difference: Shown;
  /** Change in percent; null when the previous value is 0 (no ratio to compute). */
  percent: Shown | null;
  /** Per 1,000 inhabitants; null when the population is unknown. */
  perThousand: Shown | null;
};

export const WITHHELD: Withheld = { withheld: true };
export const isWithheld = (value: Shown | null): value is Withheld => typeof value === "object" && value !== null;

/**
 * Counts of 1 to `minimumGroupSize − 1` are withheld; 0 is shown (nobody is described by it).
 * Quantities (kg, euros, CO2e) are sums, not groups of people, and are always shown.
 */
export function isSmallCount(unit: IndicatorUnit, value: number, minimumGroupSize: number): boolean {
  return unit === "count" && value > 0 && value < minimumGroupSize;
}

export function indicatorFigures(values: IndicatorValues, options: { minimumGroupSize: number; population: number | null }): IndicatorFigures {
  const { unit, current, previous } = values;
  const currentHidden = isSmallCount(unit, current, options.minimumGroupSize);
  const previousHidden = isSmallCount(unit, previous, options.minimumGroupSize);
  const anyHidden = currentHidden || previousHidden;
  const population = options.population && options.population > 0 ? options.population : null;
  return {
    current: currentHidden ? WITHHELD : current,
    previous: previousHidden ? WITHHELD : previous,
    difference: anyHidden ? WITHHELD : current - previous,
    percent: previous === 0 ? null : anyHidden ? WITHHELD : ((current - previous) / previous) * 100,
    perThousand: population === null ? null : currentHidden ? WITHHELD : (current / population) * 1000,
  };
}
