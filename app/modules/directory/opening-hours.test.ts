// "Open now" on the town's wall clock, including the two nights a year the clock jumps.
import { isOpenAt, localClock, weekSchedule } from "./opening-hours";

const PARIS = "Europe/Paris";
const sundayMorning = [{ day: 7, opens: "09:00", closes: "12:00" }];

describe("localClock", () => {
  it("reads the wall clock of the tenant's zone across the spring change (29 March 2026)", () => {
    // 00:30 UTC: still winter time (UTC+1), 01:30 in Paris.
    expect(localClock(new Date("2026-03-29T00:30:00Z"), PARIS)).toEqual({ day: 7, time: "01:30" });
    // 01:30 UTC: at 02:00 the clock jumped to 03:00 (UTC+2), so 03:30, not 02:30.
    expect(localClock(new Date("2026-03-29T01:30:00Z"), PARIS)).toEqual({ day: 7, time: "03:30" });
    expect(localClock(new Date("2026-03-29T07:30:00Z"), PARIS)).toEqual({ day: 7, time: "09:30" });
  });

  it("and across the autumn change (25 October 2026)", () => {
    expect(localClock(new Date("2026-10-25T00:30:00Z"), PARIS)).toEqual({ day: 7, time: "02:30" });
    // 03:00 summer time became 02:00 again: 01:30 UTC is 02:30 a second time.
    expect(localClock(new Date("2026-10-25T01:30:00Z"), PARIS)).toEqual({ day: 7, time: "02:30" });
    expect(localClock(new Date("2026-10-25T08:30:00Z"), PARIS)).toEqual({ day: 7, time: "09:30" });
  });

  it("numbers days from Monday (1) to Sunday (7) and never says 24:00", () => {
    expect(localClock(new Date("2026-03-30T06:00:00Z"), PARIS)).toEqual({ day: 1, time: "08:00" });
    expect(localClock(new Date("2026-03-29T22:00:00Z"), PARIS)).toEqual({ day: 1, time: "00:00" });
  });
});

describe("isOpenAt across a DST change", () => {
  it("opens a Sunday-morning slot by the local clock on the day summer time starts", () => {
    // 07:30 UTC is 09:30 in Paris that Sunday (UTC+2): open. A fixed UTC+1 would say 08:30, closed.
    expect(isOpenAt(sundayMorning, localClock(new Date("2026-03-29T07:30:00Z"), PARIS))).toBe(true);
    // 10:30 UTC is 12:30 in Paris: closed. A fixed UTC+1 would say 11:30, open.
    expect(isOpenAt(sundayMorning, localClock(new Date("2026-03-29T10:30:00Z"), PARIS))).toBe(false);
    // The Sunday before, still winter time: 08:30 UTC is 09:30 in Paris.
    expect(isOpenAt(sundayMorning, localClock(new Date("2026-03-22T08:30:00Z"), PARIS))).toBe(true);
    expect(isOpenAt(sundayMorning, localClock(new Date("2026-03-22T07:30:00Z"), PARIS))).toBe(false);
  });

  it("and on the day winter time returns", () => {
    expect(isOpenAt(sundayMorning, localClock(new Date("2026-10-25T08:30:00Z"), PARIS))).toBe(true);
    expect(isOpenAt(sundayMorning, localClock(new Date("2026-10-25T07:30:00Z"), PARIS))).toBe(false);
  });
});

describe("isOpenAt", () => {
  it("opens at the opening minute and closes at the closing minute", () => {
    const slot = [{ day: 3, opens: "14:00", closes: "18:00" }];
    expect(isOpenAt(slot, { day: 3, time: "13:59" })).toBe(false);
    expect(isOpenAt(slot, { day: 3, time: "14:00" })).toBe(true);
    expect(isOpenAt(slot, { day: 3, time: "17:59" })).toBe(true);
    expect(isOpenAt(slot, { day: 3, time: "18:00" })).toBe(false);
    expect(isOpenAt(slot, { day: 4, time: "15:00" })).toBe(false);
  });

  it("carries a slot past midnight into the next day, Sunday night into Monday", () => {
    const late = [{ day: 7, opens: "20:00", closes: "01:00" }];
    expect(isOpenAt(late, { day: 7, time: "23:30" })).toBe(true);
    expect(isOpenAt(late, { day: 1, time: "00:30" })).toBe(true);
    expect(isOpenAt(late, { day: 1, time: "01:00" })).toBe(false);
    expect(isOpenAt(late, { day: 7, time: "00:30" })).toBe(false);
  });

  it("treats 00:00–24:00 as all day and ignores malformed slots", () => {
    expect(isOpenAt([{ day: 2, opens: "00:00", closes: "24:00" }], { day: 2, time: "23:59" })).toBe(true);
    expect(isOpenAt([{ day: 2, opens: "9h", closes: "12:00" }], { day: 2, time: "10:00" })).toBe(false);
  });
});

describe("weekSchedule", () => {
  it("groups slots by day, Monday first, in order", () => {
    expect(
      weekSchedule([
        { day: 6, opens: "14:00", closes: "17:00" },
        { day: 2, opens: "18:00", closes: "19:30" },
        { day: 6, opens: "09:30", closes: "12:30" },
      ]),
    ).toEqual([
      { day: 2, slots: [{ opens: "18:00", closes: "19:30" }] },
      { day: 6, slots: [{ opens: "09:30", closes: "12:30" }, { opens: "14:00", closes: "17:00" }] },
    ]);
  });
});
