// The period in the URL: presets, chosen dates (as date inputs or plain text boxes send
// them) and the translated errors of a bad one.
import { periodSearch, readPeriodQuery } from "./query";

const read = (search: string) => readPeriodQuery(new URLSearchParams(search), "last_month");

describe("reading the period from the query string", () => {
  it("takes the town's default period when none is asked for", () => {
    expect(read("")).toEqual({ values: { periode: "mois-precedent", du: "", au: "" }, errors: {}, choice: { kind: "last_month" } });
  });

  it("reads presets and ignores dates that go with them", () => {
    expect(read("periode=annee&du=2026-01-01").choice).toEqual({ kind: "year" });
    expect(read("periode=douze-mois").choice).toEqual({ kind: "last_12_months" });
    expect(read("periode=mois").choice).toEqual({ kind: "month" });
  });

  it("reads chosen dates, as yyyy-mm-dd or dd/mm/yyyy", () => {
    expect(read("periode=dates&du=2026-01-01&au=2026-03-31").choice).toEqual({ kind: "custom", firstDay: "2026-01-01", lastDay: "2026-03-31" });
    expect(read("periode=dates&du=1/2/2026&au=28/02/2026").choice).toEqual({ kind: "custom", firstDay: "2026-02-01", lastDay: "2026-02-28" });
  });

  it.each([
    ["periode=semaine", { periode: "dashboards:errors.periodUnknown" }],
    ["periode=dates", { du: "dashboards:errors.fromRequired", au: "dashboards:errors.toRequired" }],
    ["periode=dates&du=2026-02-30&au=demain", { du: "dashboards:errors.fromInvalid", au: "dashboards:errors.toInvalid" }],
    ["periode=dates&du=2026-03-01&au=2026-02-01", { au: "dashboards:errors.order" }],
    ["periode=dates&du=2000-01-01&au=2026-01-01", { au: "dashboards:errors.tooLong" }],
  ])("refuses %s with the field's message, keeping what was typed", (search, errors) => {
    const query = read(search);
    expect(query.errors).toEqual(errors);
    expect(query.choice).toBeNull();
    const typed = new URLSearchParams(search);
    if (typed.get("du")) expect(query.values.du).toBe(typed.get("du"));
  });

  it("writes a period back as the same query string", () => {
    expect(periodSearch({ kind: "custom", firstDay: "2026-01-01", lastDay: "2026-03-31" })).toBe("periode=dates&du=2026-01-01&au=2026-03-31");
    expect(read(periodSearch({ kind: "last_12_months" })).choice).toEqual({ kind: "last_12_months" });
  });
});
