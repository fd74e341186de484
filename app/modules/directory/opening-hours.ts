// "Open now": the wall-clock day and time in the tenant's time zone, computed by Intl from
// the IANA rules, so the answer stays right across daylight-saving changes (a fixed UTC
// offset would be an hour off for half the year).
import type { OpeningHours } from "./data/tables";

/** ISO day (1 = Monday … 7 = Sunday) and "HH:MM" (24-hour) on the tenant's wall clock. */
export type LocalClock = { day: number; time: string };

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const formatters = new Map<string, Intl.DateTimeFormat>();

export function localClock(now: Date, timeZone: string): LocalClock {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  return { day: WEEKDAYS.indexOf(parts.weekday) + 1, time: `${parts.hour}:${parts.minute}` };
}

export const previousDay = (day: number) => (day === 1 ? 7 : day - 1);

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/**
 * Whether a listing is open at `clock`. A slot whose closing time is before its opening time
 * runs past midnight (a bar's 18:00–01:00) and counts on the next day too. The SQL filter in
 * data/search.server.ts applies the same rule.
 */
export function isOpenAt(hours: OpeningHours, clock: LocalClock): boolean {
  return hours.some((slot) => {
    if (!TIME.test(slot.opens) || !TIME.test(slot.closes)) return false;
    if (slot.opens < slot.closes) return slot.day === clock.day && slot.opens <= clock.time && clock.time < slot.closes;
    if (slot.closes < slot.opens) {
      return (slot.day === clock.day && slot.opens <= clock.time) || (slot.day === previousDay(clock.day) && clock.time < slot.closes);
    }
    return false;
  });
}

/** The slots of each day, Monday first, sorted by opening time; days without slots left out. */
export function weekSchedule(hours: OpeningHours): { day: number; slots: { opens: string; closes: string }[] }[] {
  const days: { day: number; slots: { opens: string; closes: string }[] }[] = [];
  for (let day = 1; day <= 7; day++) {
    const slots = hours
      .filter((s) => s.day === day && TIME.test(s.opens) && TIME.test(s.closes))
      .map((s) => ({ opens: s.opens, closes: s.closes }))
      .sort((a, b) => a.opens.localeCompare(b.opens));
    if (slots.length) days.push({ day, slots });
  }
  return days;
}
