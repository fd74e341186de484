// Reading a town's audit log (written by recordAudit, app/core/audit.server.ts): the staff
// console's journal and its CSV export, with the same filters, and the daily purge of the
// entries older than the town's retention period.
//
// The filters run under row-level security: `starts_with` and `ilike` are not leakproof, so
// they filter the town's rows without an index. The log of one town over its retention
// period is small enough for that; the date bounds (plain comparisons) do use the index.
import { sql } from "kysely";
import { stringify } from "csv-stringify/sync";
import type { Tx } from "./db/db.server";
import type { AuditActorKind } from "./audit.server";
import { readConsoleSettings } from "./tenant/settings.server";

export const AUDIT_PAGE_SIZE = 50;
const MAX_PAGE = 10_000;
const ACTION = /^[a-z][a-z0-9_.-]*$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export type AuditFilters = {
  /** An action (`module.disable`) or a dotted prefix of actions (`module`). */
  action?: string;
  /** Part of the actor's name or address, any case. */
  actor?: string;
  subjectType?: string;
  /** Calendar days (YYYY-MM-DD) in the town's time zone, both included. */
  from?: string;
  to?: string;
};

export type AuditFilterInput = Record<keyof AuditFilters, string>;

export type AuditFilterParse =
  | { ok: true; filters: AuditFilters; page: number; input: AuditFilterInput }
  | { ok: false; errors: Record<string, string>; input: AuditFilterInput };

/**
 * A calendar day as YYYY-MM-DD: what a date input sends, or what someone types where the
 * browser shows a plain text box instead (31/01/2026, the French way). Null when invalid.
 */
export function calendarDay(value: string): string | null {
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = french ? `${french[3]}-${french[2].padStart(2, "0")}-${french[1].padStart(2, "0")}` : value;
  if (!DAY.test(iso)) return null;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/**
 * The journal's query string (`action`, `auteur`, `objet`, `du`, `au`, `page`) as filters.
 * Errors are i18n keys by parameter name (the form's field names), as the form kit expects.
 */
export function parseAuditFilters(params: URLSearchParams): AuditFilterParse {
  const get = (name: string) => (params.get(name) ?? "").trim();
  const input: AuditFilterInput = { action: get("action"), actor: get("auteur"), subjectType: get("objet"), from: get("du"), to: get("au") };
  const errors: Record<string, string> = {};
  if (input.action && (!ACTION.test(input.action) || input.action.length > 100)) errors.action = "common:form.errors.choice";
  if (input.actor.length > 200) errors.auteur = "common:form.errors.tooLong";
  if (input.subjectType.length > 100) errors.objet = "common:form.errors.choice";
  const from = input.from ? calendarDay(input.from) : null;
  const to = input.to ? calendarDay(input.to) : null;
  if (input.from && !from) errors.du = "console-audit:errors.date";
  if (input.to && !to) errors.au = "console-audit:errors.date";
  if (from && to && to < from) errors.au = "console-audit:errors.dateOrder";
  if (Object.keys(errors).length > 0) return { ok: false, errors, input };
  const requested = Number(params.get("page") ?? "1");
  const page = Number.isInteger(requested) && requested >= 1 && requested <= MAX_PAGE ? requested : 1;
  const filters: AuditFilters = {};
  if (input.action) filters.action = input.action;
  if (input.actor) filters.actor = input.actor;
  if (input.subjectType) filters.subjectType = input.subjectType;
  if (from) filters.from = from;
  if (to) filters.to = to;
  return { ok: true, filters, page, input };
}

/** The query string of these filters (page left out), for links and the CSV export. */
export function auditFilterQuery(filters: AuditFilters): string {
  const q = new URLSearchParams();
  if (filters.action) q.set("action", filters.action);
  if (filters.actor) q.set("auteur", filters.actor);
  if (filters.subjectType) q.set("objet", filters.subjectType);
  if (filters.from) q.set("du", filters.from);
  if (filters.to) q.set("au", filters.to);
  return q.toString();
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function filtered(tx: Tx, filters: AuditFilters, timeZone: string) {
  let q = tx.selectFrom("audit_log");
  if (filters.action) {
    const action = filters.action;
    q = q.where((eb) => eb.or([eb("action", "=", action), eb(sql<boolean>`starts_with(action, ${action + "."})`, "=", true)]));
  }
  if (filters.actor) q = q.where(sql<boolean>`actor_label ilike ${"%" + escapeLike(filters.actor) + "%"}`);
  if (filters.subjectType) q = q.where("subject_type", "=", filters.subjectType);
  // A calendar day of the town: from its midnight to the next one, in its time zone (which
  // moves with daylight saving time; the database knows the rules).
  if (filters.from) q = q.where("occurred_at", ">=", sql<Date>`(${filters.from}::date)::timestamp at time zone ${timeZone}`);
  if (filters.to) q = q.where("occurred_at", "<", sql<Date>`(${filters.to}::date + 1)::timestamp at time zone ${timeZone}`);
  return q;
}

export type AuditRow = {
  id: string;
  actorKind: AuditActorKind;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  before: unknown;
  after: unknown;
  occurredAt: Date;
};

const COLUMNS = ["id", "actor_kind", "actor_label", "action", "subject_type", "subject_id", "before", "after", "occurred_at"] as const;

function toRow(r: {
  id: string;
  actor_kind: AuditActorKind;
  actor_label: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: unknown;
  after: unknown;
  occurred_at: Date;
}): AuditRow {
  return {
    id: String(r.id),
    actorKind: r.actor_kind,
    actorLabel: r.actor_label,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    before: r.before,
    after: r.after,
    occurredAt: r.occurred_at,
  };
}

/** One page of entries, newest first (the id breaks ties within one transaction). */
export async function listAuditEntries(tx: Tx, filters: AuditFilters, timeZone: string, page: number): Promise<{ entries: AuditRow[]; hasMore: boolean }> {
  const rows = await filtered(tx, filters, timeZone)
    .select(COLUMNS)
    .orderBy("occurred_at", "desc")
    .orderBy("id", "desc")
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return { entries: rows.slice(0, AUDIT_PAGE_SIZE).map(toRow), hasMore: rows.length > AUDIT_PAGE_SIZE };
}

/** Every entry matching the filters, newest first: the CSV export (bounded by the retention period). */
export async function exportAuditEntries(tx: Tx, filters: AuditFilters, timeZone: string): Promise<AuditRow[]> {
  const rows = await filtered(tx, filters, timeZone).select(COLUMNS).orderBy("occurred_at", "desc").orderBy("id", "desc").execute();
  return rows.map(toRow);
}

/**
 * The choices of the filter form: every action in the town's log and each of their dotted
 * prefixes (`module` for `module.enable` and `module.disable`), and every subject type.
 */
export async function auditFilterChoices(tx: Tx): Promise<{ actions: { value: string; group: boolean }[]; subjectTypes: string[] }> {
  const [actions, types] = await Promise.all([
    tx.selectFrom("audit_log").select("action").distinct().execute(),
    tx.selectFrom("audit_log").select("subject_type").distinct().orderBy("subject_type").execute(),
  ]);
  const recorded = new Set(actions.map((a) => a.action));
  const all = new Set<string>();
  for (const action of recorded) {
    const parts = action.split(".");
    for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join("."));
  }
  // `group`: a prefix that is no action of its own, offered as "all the actions under it".
  return { actions: [...all].sort().map((value) => ({ value, group: !recorded.has(value) })), subjectTypes: types.map((t) => t.subject_type) };
}

// --- Before and after ---------------------------------------------------------------------

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Equal as JSON values, whatever the order of their keys (jsonb keeps its own order). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export type AuditChange = {
  /** The top-level key that changed; null when the values are not both objects (compared whole). */
  key: string | null;
  /** JSON text of the value before and after; null when there was none. */
  before: string | null;
  after: string | null;
};

const jsonText = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** The top-level keys whose value differs between before and after, in key order. */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.filter((k) => !sameJson(before[k], after[k])).map((key) => ({ key, before: jsonText(before[key]), after: jsonText(after[key]) }));
  }
  if (sameJson(before ?? null, after ?? null)) return [];
  return [{ key: null, before: jsonText(before), after: jsonText(after) }];
}

/** A JSON value laid out for reading (two-space indent), or null. */
export function prettyJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(canonical(value), null, 2);
}

// --- CSV ------------------------------------------------------------------------------------

// A spreadsheet runs a cell starting with one of these as a formula: an actor's display name
// is typed by its owner, and must not run on the computer of whoever opens the export.
const FORMULA_START = /^[=+\-@\t\r]/;
const guard = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

export type AuditCsvHeaders = { date: string; actor: string; action: string; subjectType: string; subjectId: string; before: string; after: string };

/** The export: UTF-8 with a byte-order mark (Excel reads the accents), `;` separated as French spreadsheets expect, CRLF. */
export function auditCsv(rows: AuditRow[], headers: AuditCsvHeaders): string {
  const header = [headers.date, headers.actor, headers.action, headers.subjectType, headers.subjectId, headers.before, headers.after];
  const body = rows.map((r) => [
    r.occurredAt.toISOString(),
    guard(r.actorLabel),
    r.action,
    guard(r.subjectType),
    guard(r.subjectId ?? ""),
    jsonText(r.before) ?? "",
    jsonText(r.after) ?? "",
  ]);
  return stringify([header, ...body], { bom: true, delimiter: ";", record_delimiter: "windows" });
}

// --- Retention ------------------------------------------------------------------------------

const DAY_MS = 24 * 3600 * 1000;

/** How long the town keeps its log (its staff's security settings, or the default). */
export async function auditRetentionDays(tx: Tx): Promise<number> {
  return (await readConsoleSettings(tx)).auditRetentionDays;
}

/**
 * Deletes the transaction's town's entries older than its retention period; returns how many.
 * The log's trigger (db/migrations/2026112206_audit_log.ts) refuses UPDATE only: DELETE stays
 * open for this purge and for a town's deletion, so no migration is needed for it.
 */
export async function purgeExpiredAuditEntries(tx: Tx, now: Date): Promise<number> {
  const days = await auditRetentionDays(tx);
  const result = await tx
    .deleteFrom("audit_log")
    .where("occurred_at", "<", new Date(now.getTime() - days * DAY_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
