// Periods in the town's time zone: whole local days, across daylight saving changes, and
// the previous period each one is compared with.
import { addMonths, localDate, resolvePeriod, startOfDay, type Period } from "./period";

const PARIS = "Europe/Paris";
const iso = (d: Date) => d.toISOString();
const hours = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;
const days = (p: { firstDay: string; lastDay: string }) => [p.firstDay, p.lastDay];

function contiguous(period: Period) {
  expect(iso(period.previous.to)).toBe(iso(period.from));
}

describe("local days", () => {
  it("starts a Paris day at its midnight, in winter and in summer time", () => {
    expect(iso(startOfDay("2026-01-15", PARIS))).toBe("2026-01-14T23:00:00.000Z");
    expect(iso(startOfDay("2026-07-15", PARIS))).toBe("2026-07-14T22:00:00.000Z");
  });

  it("gives the days of the clock changes 23 and 25 hours", () => {
    const spring = resolvePeriod({ kind: "custom", firstDay: "2026-03-29", lastDay: "2026-03-29" }, "2026-04-10", PARIS);
    expect(iso(spring.from)).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(spring.to)).toBe("2026-03-29T22:00:00.000Z");
    expect(hours(spring.from, spring.to)).toBe(23);
    const autumn = resolvePeriod({ kind: "custom", firstDay: "2026-10-25", lastDay: "2026-10-25" }, "2026-11-10", PARIS);
    expect(hours(autumn.from, autumn.to)).toBe(25);
  });

  it("starts a day whose midnight does not exist at its first minute (America/Santiago)", () => {
    expect(iso(startOfDay("2026-09-06", "America/Santiago"))).toBe("2026-09-06T04:00:00.000Z");
    expect(iso(startOfDay("2026-09-07", "America/Santiago"))).toBe("2026-09-07T03:00:00.000Z");
  });

  it("reads today's date in the town's zone, not in UTC", () => {
    expect(localDate(new Date("2026-03-28T23:30:00Z"), PARIS)).toBe("2026-03-29");
    expect(localDate(new Date("2026-03-28T23:30:00Z"), "America/Cayenne")).toBe("2026-03-28");
    expect(localDate(new Date("2026-03-28T12:30:00Z"), "Pacific/Noumea")).toBe("2026-03-28");
    expect(localDate(new Date("2026-03-28T13:30:00Z"), "Pacific/Noumea")).toBe("2026-03-29");
  });

  it("moves by months onto the last day of a shorter month, and keeps a month's end at its month's end", () => {
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2028-03-31", -1)).toBe("2028-02-29");
    expect(addMonths("2026-02-28", 1)).toBe("2026-03-31");
    expect(addMonths("2026-01-15", -12)).toBe("2025-01-15");
    expect(addMonths("2026-01-01", -1)).toBe("2025-12-01");
  });
});

describe("periods and the period they are compared with", () => {
  it("this month runs to today, across the spring change, and compares with the same days of last month", () => {
    const p = resolvePeriod({ kind: "month" }, "2026-03-30", PARIS);
    expect(days(p)).toEqual(["2026-03-01", "2026-03-30"]);
    expect(iso(p.from)).toBe("2026-02-28T23:00:00.000Z");
    expect(iso(p.to)).toBe("2026-03-30T22:00:00.000Z");
    // 30 March has no 30 February: the comparison stops at the end of February.
    expect(days(p.previous)).toEqual(["2026-02-01", "2026-02-28"]);
    expect(iso(p.previous.from)).toBe("2026-01-31T23:00:00.000Z");
    expect(iso(p.previous.to)).toBe("2026-02-28T23:00:00.000Z");
  });

  it("this month on the 23rd compares 1–23 with 1–23 of the month before", () => {
    const p = resolvePeriod({ kind: "month" }, "2026-11-23", PARIS);
    expect(days(p)).toEqual(["2026-11-01", "2026-11-23"]);
    expect(days(p.previous)).toEqual(["2026-10-01", "2026-10-23"]);
  });

  it("last month is the whole previous month (across the autumn change), compared with the month before it", () => {
    const p = resolvePeriod({ kind: "last_month" }, "2026-11-10", PARIS);
    expect(days(p)).toEqual(["2026-10-01", "2026-10-31"]);
    expect(iso(p.from)).toBe("2026-09-30T22:00:00.000Z");
    expect(iso(p.to)).toBe("2026-10-31T23:00:00.000Z");
    expect(days(p.previous)).toEqual(["2026-09-01", "2026-09-30"]);
    contiguous(p);
  });

  it("last month in January is December of the year before", () => {
    const p = resolvePeriod({ kind: "last_month" }, "2026-01-05", PARIS);
    expect(days(p)).toEqual(["2025-12-01", "2025-12-31"]);
    expect(days(p.previous)).toEqual(["2025-11-01", "2025-11-30"]);
  });

  it("this year runs to today and compares with the same days of last year (29 February included)", () => {
    const p = resolvePeriod({ kind: "year" }, "2028-02-29", PARIS);
    expect(days(p)).toEqual(["2028-01-01", "2028-02-29"]);
    expect(days(p.previous)).toEqual(["2027-01-01", "2027-02-28"]);
  });

  it("the last 12 months end today and follow the 12 months before them", () => {
    const p = resolvePeriod({ kind: "last_12_months" }, "2026-11-23", PARIS);
    expect(days(p)).toEqual(["2025-11-24", "2026-11-23"]);
    expect(days(p.previous)).toEqual(["2024-11-24", "2025-11-23"]);
    contiguous(p);
    const leap = resolvePeriod({ kind: "last_12_months" }, "2028-02-29", PARIS);
    expect(days(leap)).toEqual(["2027-03-01", "2028-02-29"]);
  });

  it("chosen dates are compared with as many days just before them", () => {
    const p = resolvePeriod({ kind: "custom", firstDay: "2026-03-25", lastDay: "2026-04-03" }, "2026-11-23", PARIS);
    expect(days(p)).toEqual(["2026-03-25", "2026-04-03"]);
    expect(days(p.previous)).toEqual(["2026-03-15", "2026-03-24"]);
    contiguous(p);
    // Ten days, one of them 23 hours long.
    expect(hours(p.from, p.to)).toBe(10 * 24 - 1);
    expect(hours(p.previous.from, p.previous.to)).toBe(10 * 24);
  });
});
