// What the dashboard shows of an indicator: small counts withheld with everything that would
// give them away, differences and rates, values per 1,000 inhabitants, fr-FR formatting.
import { tFor } from "~/core/i18n/i18n.server";
import { indicatorFigures, isSmallCount, WITHHELD, type IndicatorValues } from "./figures";
import { formatFigures } from "./format";

const count = (current: number, previous: number): IndicatorValues => ({
  module: "directory", id: "published", labelKey: "directory:indicators.published", theme: "social", unit: "count", current, previous,
});
const options = { minimumGroupSize: 5, population: 8000 };
// fr-FR groups thousands with a narrow no-break space.
const nnbsp = "\u202f";

describe("small counts", () => {
  it("withholds counts from 1 to the minimum size minus one, never 0 nor the minimum itself", () => {
    expect([0, 1, 4, 5, 6].map((n) => isSmallCount("count", n, 5))).toEqual([false, true, true, false, false]);
    expect(isSmallCount("count", 9, 10)).toBe(true);
  });

  it("never withholds quantities: they are sums, not groups of people", () => {
    expect(isSmallCount("kg", 2, 5)).toBe(false);
    expect(isSmallCount("eur", 300, 5)).toBe(false);
    expect(isSmallCount("kgco2e", 1, 5)).toBe(false);
  });

  it("withholds the difference and the change when either period is small, and the rate of a small current count", () => {
    expect(indicatorFigures(count(3, 12), options)).toEqual({ current: WITHHELD, previous: 12, difference: WITHHELD, percent: WITHHELD, perThousand: WITHHELD });
    // The current count is shown; the difference would reveal the previous one.
    expect(indicatorFigures(count(12, 3), options)).toEqual({ current: 12, previous: WITHHELD, difference: WITHHELD, percent: WITHHELD, perThousand: 1.5 });
  });
});

describe("comparison and rate", () => {
  it("gives the difference, the change in percent and the value per 1,000 inhabitants", () => {
    const f = indicatorFigures(count(12, 8), options);
    expect(f).toMatchObject({ current: 12, previous: 8, difference: 4, perThousand: 1.5 });
    expect(f.percent).toBeCloseTo(50);
    expect(indicatorFigures(count(6, 8), options).percent).toBeCloseTo(-25);
  });

  it("has no change in percent when the previous period is 0", () => {
    expect(indicatorFigures(count(7, 0), options)).toMatchObject({ current: 7, previous: 0, difference: 7, percent: null });
  });

  it("has no rate when the population is unknown (or zero)", () => {
    expect(indicatorFigures(count(7, 6), { minimumGroupSize: 5, population: null }).perThousand).toBeNull();
    expect(indicatorFigures(count(7, 6), { minimumGroupSize: 5, population: 0 }).perThousand).toBeNull();
  });
});

describe("formatting (fr-FR, with units)", () => {
  const t = tFor("fr");
  it("formats counts, withheld values and signed differences", () => {
    expect(formatFigures("count", indicatorFigures(count(1234, 1000), options), t, 5)).toEqual({
      current: `1${nnbsp}234`, previous: `1${nnbsp}000`, difference: "+234", percent: "+23,4\u00a0%", perThousand: "154,25",
    });
    expect(formatFigures("count", indicatorFigures(count(3, 12), options), t, 5)).toEqual({
      current: "moins de 5", previous: "12", difference: "non communiqué", percent: "non communiqué", perThousand: "non communiqué",
    });
    expect(formatFigures("count", indicatorFigures(count(5, 9), { minimumGroupSize: 5, population: null }), t, 5)).toMatchObject({ difference: "-4", perThousand: null });
  });

  it("formats kilograms, CO2e and euro amounts (in cents)", () => {
    const kg = { ...count(1520.25, 1000), unit: "kg" as const };
    expect(formatFigures("kg", indicatorFigures(kg, options), t, 5)).toMatchObject({ current: `1${nnbsp}520,3 kg`, difference: "+520,3 kg" });
    const co2 = { ...count(2.5, 3), unit: "kgco2e" as const };
    expect(formatFigures("kgco2e", indicatorFigures(co2, options), t, 5)).toMatchObject({ current: "2,5 kg CO₂e", difference: "-0,5 kg CO₂e" });
    const eur = { ...count(123456, 100000), unit: "eur" as const };
    expect(formatFigures("eur", indicatorFigures(eur, options), t, 5)).toMatchObject({
      current: `1${nnbsp}234,56\u00a0€`, difference: `+234,56\u00a0€`, perThousand: "154,32\u00a0€",
    });
  });

  it("says it in English too", () => {
    expect(formatFigures("count", indicatorFigures(count(2, 0), options), tFor("en"), 5).current).toBe("fewer than 5");
  });
});
