// Periods of the dashboard: whole local days of the town's time zone, turned into half-open
// ranges of instants [from, to) for the event log. Calendar arithmetic works on plain dates
// (no time zone); only the edges of a period are converted, so a day of 23 or 25 hours
// (daylight saving changes) counts as one day.

export const PERIOD_PRESETS = ["month", "last_month", "year", "last_12_months"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export type PeriodKind = PeriodPreset | "custom";
export const PERIOD_KINDS: readonly PeriodKind[] = [...PERIOD_PRESETS, "custom"];

/** A calendar date, `YYYY-MM-DD`. */
export type PlainDate = string;

export type DayRange = {
  /** First day, included. */
  firstDay: PlainDate;
  /** Last day, included. */
  lastDay: PlainDate;
  /** Start of the first day in the time zone. */
  from: Date;
  /** Start of the day after the last one: the range is [from, to). */
  to: Date;
};

export type Period = DayRange & { kind: PeriodKind; previous: DayRange };

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function parts(date: PlainDate): [number, number, number] {
  const match = PLAIN_DATE.exec(date);
  if (!match) throw new Error(`not a plain date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** A real calendar date between years 1900 and 2999 (the date inputs' format). */
export function isPlainDate(value: string): boolean {
  const match = PLAIN_DATE.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < 1900 || y > 2999) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function fromUtcDay(ms: number): PlainDate {
  return new Date(ms).toISOString().slice(0, 10);
}

function utcDay(date: PlainDate): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d);
}

export function addDays(date: PlainDate, days: number): PlainDate {
  return fromUtcDay(utcDay(date) + days * DAY_MS);
}

/** Days from `a` to `b` (b − a). */
export function daysBetween(a: PlainDate, b: PlainDate): number {
  return Math.round((utcDay(b) - utcDay(a)) / DAY_MS);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isLastDayOfMonth(date: PlainDate): boolean {
  const [y, m, d] = parts(date);
  return d === daysInMonth(y, m);
}

/**
 * The same day `months` months later (earlier when negative), on the last day of the target
 * month when it is shorter (31 March − 1 month = 28 or 29 February); a month's last day stays
 * its month's last day (28 February + 1 month = 31 March).
 */
export function addMonths(date: PlainDate, months: number): PlainDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = daysInMonth(year, month);
  const day = isLastDayOfMonth(date) ? last : Math.min(d, last);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(instant: number, timeZone: string) {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    dayFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, asUtc: Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) };
}

/** The calendar date of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): PlainDate {
  return wallClock(instant.getTime(), timeZone).date;
}

/**
 * The first instant of a local day. Usually its midnight; where the clocks jump over
 * midnight (America/Santiago in September), the first minute that exists on that day.
 */
export function startOfDay(date: PlainDate, timeZone: string): Date {
  const midnightAsUtc = utcDay(date);
  // The zone's offset just before and just after that midnight are the only candidates.
  const offsets = [midnightAsUtc - DAY_MS / 2, midnightAsUtc + DAY_MS / 2].map((probe) => wallClock(probe, timeZone).asUtc - probe);
  const candidates = offsets
    .map((offset) => midnightAsUtc - offset)
    .filter((instant) => wallClock(instant, timeZone).date === date)
    .sort((a, b) => a - b);
  if (candidates.length === 0) throw new Error(`no start of day for ${date} in ${timeZone}`);
  return new Date(candidates[0]);
}

function dayRange(firstDay: PlainDate, lastDay: PlainDate, timeZone: string): DayRange {
  return { firstDay, lastDay, from: startOfDay(firstDay, timeZone), to: startOfDay(addDays(lastDay, 1), timeZone) };
}

export type PeriodChoice = { kind: PeriodPreset } | { kind: "custom"; firstDay: PlainDate; lastDay: PlainDate };

/**
 * The period chosen, as seen on `today` (the town's date), and the one it is compared with:
 * - a period running to today (this month, this year) is compared with the same days of the
 *   month or year before (1–23 November with 1–23 October);
 * - a complete period (last month, the last 12 months, chosen dates) with the period of the
 *   same calendar length just before it (October with September; 10 days with the 10 before).
 */
export function resolvePeriod(choice: PeriodChoice, today: PlainDate, timeZone: string): Period {
  const [y, m] = parts(today);
  const firstOfMonth = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-01`;
  let firstDay: PlainDate;
  let lastDay: PlainDate;
  let previousFirst: PlainDate;
  let previousLast: PlainDate;
  switch (choice.kind) {
    case "month":
      [firstDay, lastDay] = [firstOfMonth, today];
      [previousFirst, previousLast] = [addMonths(firstDay, -1), addMonths(lastDay, -1)];
      break;
    case "year":
      [firstDay, lastDay] = [`${String(y).padStart(4, "0")}-01-01`, today];
      [previousFirst, previousLast] = [addMonths(firstDay, -12), addMonths(lastDay, -12)];
      break;
    case "last_month":
      [firstDay, lastDay] = [addMonths(firstOfMonth, -1), addDays(firstOfMonth, -1)];
      [previousFirst, previousLast] = [addMonths(firstDay, -1), addDays(firstDay, -1)];
      break;
    case "last_12_months":
      [firstDay, lastDay] = [addDays(addMonths(today, -12), 1), today];
      [previousFirst, previousLast] = [addMonths(firstDay, -12), addDays(firstDay, -1)];
      break;
    case "custom": {
      [firstDay, lastDay] = [choice.firstDay, choice.lastDay];
      const length = daysBetween(firstDay, lastDay) + 1;
      [previousFirst, previousLast] = [addDays(firstDay, -length), addDays(firstDay, -1)];
      break;
    }
  }
  return { kind: choice.kind, ...dayRange(firstDay, lastDay, timeZone), previous: dayRange(previousFirst, previousLast, timeZone) };
}
