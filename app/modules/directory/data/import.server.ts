// CSV import of listings by staff: read the file, check every row against the town's
// vocabularies, map area and existing listings, show the problems, then import all rows in
// the request's transaction, or none.
//
// Between the preview and the confirmation the file travels back in the confirmation form,
// base64-encoded and signed (HMAC over the town, the staff member, an expiry and the content),
// rather than in a table of pending imports: nothing to clean up, nothing a schema change
// would have to hold, and what is imported is exactly what was previewed. The confirmation
// checks the file again, because listings may have been added in between.
import crypto from "node:crypto";
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { z } from "zod";
import type { Tx } from "~/core/db/db.server";
import { recordEvent } from "~/core/events.server";
import { serverSecret } from "~/core/http/csrf.server";
import { CSV_LIST_SEPARATOR, IMPORT_MAX_ROWS, IMPORT_ONLY_COLUMNS, OPEN_DATA_FIELDS } from "../opendata";
import type { Vocabularies, VocabularyName } from "../vocabulary";
import "./tables";

export type ImportIssue = {
  /** Row in the spreadsheet (the header is row 1); null for a problem of the whole file. */
  row: number | null;
  column: string | null;
  /** Key under `opendata.import.issues`. */
  code: string;
  params?: Record<string, string | number>;
};

export type ImportRow = {
  row: number;
  name: string;
  kind: string;
  stage: string | null;
  layers: string[];
  description: string;
  address: string;
  neighbourhood: string | null;
  latitude: number | null;
  longitude: number | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  contactPublic: boolean;
  links: string[];
  schedule: string | null;
  languages: string[];
  accessibilityNotes: string | null;
};

export type ImportAnalysis = { rows: ImportRow[]; issues: ImportIssue[] };

/** Columns the import reads; the exports' other columns (id, labels, dates...) are accepted and ignored. */
export const IMPORT_COLUMNS: string[] = [...OPEN_DATA_FIELDS.filter((f) => f.importable).map((f) => f.name), ...IMPORT_ONLY_COLUMNS];
const IGNORED_COLUMNS: string[] = OPEN_DATA_FIELDS.filter((f) => !f.importable).map((f) => f.name);
const REQUIRED_COLUMNS = ["nom", "type"];

const MAX_LENGTH: Record<string, number> = {
  nom: 150,
  description: 5000,
  adresse: 300,
  quartier: 100,
  contact_nom: 150,
  horaires: 500,
  accessibilite: 1000,
};

/** The file's text: UTF-8, with or without a byte-order mark; anything else is refused, not guessed. */
export function decodeCsv(bytes: Uint8Array): { ok: true; text: string } | { ok: false; issue: ImportIssue } {
  if (bytes.length === 0) return { ok: false, issue: { row: null, column: null, code: "fileEmpty" } };
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    return { ok: false, issue: { row: null, column: null, code: "notUtf8" } };
  }
}

/** `;` or `,`, whichever separates the header row (the header holds no quoted separators). */
function detectDelimiter(text: string): ";" | "," {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => header.split(c).length - 1;
  return count(";") >= count(",") && count(";") > 0 ? ";" : ",";
}

const fold = (value: string) =>
  value
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();

/** A vocabulary entry named by its key or by its French or English label (accents and case ignored). */
function matchEntry(vocabularies: Vocabularies, name: VocabularyName, value: string): string | null {
  const wanted = fold(value);
  const entry = vocabularies[name].find((e) => e.key === value || fold(e.key) === wanted || fold(e.labels.fr) === wanted || fold(e.labels.en) === wanted);
  return entry?.key ?? null;
}

const languageNames = new Intl.DisplayNames(["fr"], { type: "language", fallback: "none" });
const isLanguageCode = (code: string) => /^[a-z]{2}$/.test(code) && languageNames.of(code) !== undefined;

const emailSchema = z.string().email().max(254);
const PHONE = /^[0-9+ ().-]{6,30}$/;
const DECIMAL = /^-?\d{1,3}([.,]\d+)?$/;
const TRUE_VALUES = ["oui", "o", "yes", "y", "true", "vrai", "1"];
const FALSE_VALUES = ["non", "n", "no", "false", "faux", "0", ""];

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".") && value.length <= 500;
  } catch {
    return false;
  }
}

/**
 * A cell as typed. A leading apostrophe before = + - @ is the exports' guard against
 * spreadsheet formulas: it is dropped so that an exported file reads back unchanged.
 */
function cell(record: string[], index: number | undefined): string {
  if (index === undefined) return "";
  const value = (record[index] ?? "").trim();
  return /^'[=+\-@]/.test(value) ? value.slice(1) : value;
}

const splitList = (value: string) =>
  value
    .split(CSV_LIST_SEPARATOR)
    .map((v) => v.trim())
    .filter(Boolean);

type ParseContext = { vocabularies: Vocabularies; bounds: [[number, number], [number, number]] };

/** Reads and checks the file without touching the database (duplicates with existing listings come after). */
export function parseImportCsv(text: string, context: ParseContext): ImportAnalysis {
  const issues: ImportIssue[] = [];
  const fileIssue = (code: string, params?: ImportIssue["params"], column: string | null = null): ImportAnalysis => ({
    rows: [],
    issues: [{ row: null, column, code, params }],
  });
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") return fileIssue("fileEmpty");
  let records: string[][];
  try {
    records = parse(body, { delimiter: detectDelimiter(body), relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    const e = error as { code?: string; lines?: number };
    const code = e.code === "CSV_QUOTE_NOT_CLOSED" || e.code === "CSV_INVALID_CLOSING_QUOTE" ? "quotes" : "malformed";
    return fileIssue(code, { line: e.lines ?? 1 });
  }
  const [header, ...data] = records;
  const columns = header.map((h) => h.trim().toLowerCase());
  const index: Record<string, number> = {};
  for (const [i, name] of columns.entries()) {
    if (name === "") continue;
    if (index[name] !== undefined) issues.push({ row: 1, column: name, code: "duplicateColumn" });
    else if (!IMPORT_COLUMNS.includes(name) && !IGNORED_COLUMNS.includes(name)) {
      issues.push({ row: 1, column: name, code: "unknownColumn", params: { accepted: IMPORT_COLUMNS.join(", ") } });
    }
    index[name] ??= i;
  }
  for (const name of REQUIRED_COLUMNS) {
    if (index[name] === undefined) issues.push({ row: 1, column: name, code: "missingColumn" });
  }
  if (issues.length > 0) return { rows: [], issues };

  // Rows are numbered as in a spreadsheet: the header is row 1, blank rows still count.
  const filled = data.map((record, i) => ({ record, row: i + 2 })).filter(({ record }) => record.some((v) => v.trim() !== ""));
  if (filled.length === 0) return fileIssue("noRows");
  if (filled.length > IMPORT_MAX_ROWS) return fileIssue("tooManyRows", { count: filled.length, max: IMPORT_MAX_ROWS });

  const rows: ImportRow[] = [];
  const [[west, south], [east, north]] = context.bounds;
  for (const { record, row } of filled) {
    const before = issues.length;
    const problem = (column: string | null, code: string, params?: ImportIssue["params"]) => issues.push({ row, column, code, params });
    if (record.length !== header.length) problem(null, "columnCount", { found: record.length, expected: header.length });
    const get = (column: string) => cell(record, index[column]);
    for (const [column, max] of Object.entries(MAX_LENGTH)) {
      if (get(column).length > max) problem(column, "tooLong", { max });
    }

    const name = get("nom");
    if (name === "") problem("nom", "required");
    else if (name.length < 2) problem("nom", "nameTooShort");

    const vocabularyValue = (column: string, vocabulary: VocabularyName, raw: string) => {
      const key = matchEntry(context.vocabularies, vocabulary, raw);
      if (key === null) problem(column, "unknownValue", { value: raw, allowed: context.vocabularies[vocabulary].map((e) => e.key).join(", ") });
      return key;
    };
    const kindRaw = get("type");
    const kind = kindRaw === "" ? (problem("type", "required"), null) : vocabularyValue("type", "kind", kindRaw);
    const stageRaw = get("etape");
    const stage = stageRaw === "" ? null : vocabularyValue("etape", "stage", stageRaw);
    const layers = [...new Set(splitList(get("thematiques")).map((v) => vocabularyValue("thematiques", "layer", v)))].filter((k): k is string => k !== null);

    const coordinate = (column: "latitude" | "longitude", limit: number) => {
      const raw = get(column);
      if (raw === "") return null;
      if (!DECIMAL.test(raw)) return problem(column, "notANumber", { value: raw }), null;
      const value = Number(raw.replace(",", "."));
      if (Math.abs(value) > limit) return problem(column, "coordinateRange", { min: -limit, max: limit }), null;
      return value;
    };
    const latitude = coordinate("latitude", 90);
    const longitude = coordinate("longitude", 180);
    const latitudeGiven = get("latitude") !== "";
    const longitudeGiven = get("longitude") !== "";
    if (latitudeGiven !== longitudeGiven) problem(latitudeGiven ? "longitude" : "latitude", "coordinatesPair");
    if (latitude !== null && longitude !== null && (longitude < west || longitude > east || latitude < south || latitude > north)) {
      problem("latitude", "outOfBounds", { latitude, longitude });
    }

    const contactEmail = get("contact_email");
    if (contactEmail !== "" && !emailSchema.safeParse(contactEmail).success) problem("contact_email", "email", { value: contactEmail });
    const contactPhone = get("contact_telephone");
    if (contactPhone !== "" && !PHONE.test(contactPhone)) problem("contact_telephone", "phone", { value: contactPhone });
    const publicRaw = fold(get("contact_public"));
    if (!TRUE_VALUES.includes(publicRaw) && !FALSE_VALUES.includes(publicRaw)) problem("contact_public", "yesNo", { value: get("contact_public") });

    const links = splitList(get("liens"));
    for (const link of links.filter((l) => !isHttpUrl(l))) problem("liens", "url", { value: link });
    if (links.length > 10) problem("liens", "tooMany", { max: 10 });
    const languages = splitList(get("langues")).map((l) => l.toLowerCase());
    for (const code of languages.filter((l) => !isLanguageCode(l))) problem("langues", "language", { value: code });

    if (issues.length > before || kind === null) continue;
    rows.push({
      row,
      name,
      kind,
      stage,
      layers,
      description: get("description"),
      address: get("adresse"),
      neighbourhood: get("quartier") || null,
      latitude,
      longitude,
      contactName: get("contact_nom") || null,
      contactEmail: contactEmail || null,
      contactPhone: contactPhone || null,
      contactPublic: TRUE_VALUES.includes(publicRaw),
      links: [...new Set(links)],
      schedule: get("horaires") || null,
      languages: languages.length > 0 ? [...new Set(languages)] : ["fr"],
      accessibilityNotes: get("accessibilite") || null,
    });
  }
  return { rows, issues };
}

/**
 * Duplicate names, compared as the directory's search does (accents and case ignored): with
 * another row of the file, or with a listing the town already has (unless refused or merged).
 */
async function duplicateIssues(tx: Tx, rows: ImportRow[]): Promise<ImportIssue[]> {
  if (rows.length === 0) return [];
  const names = rows.map((r) => r.name);
  const { rows: keys } = await sql<{ ord: string; key: string }>`
    select ord, directory_normalise(n) as key from unnest(${names}::text[]) with ordinality as u(n, ord)`.execute(tx);
  const existing = await tx
    .selectFrom("directory_initiatives")
    .select(["name", sql<string>`directory_normalise(name)`.as("key")])
    .where(sql<boolean>`directory_normalise(name) = any(${keys.map((k) => k.key)}::text[])`)
    .where("status", "not in", ["refused", "merged"])
    .execute();
  const existingByKey = new Map(existing.map((e) => [e.key, e.name]));
  const firstRowByKey = new Map<string, number>();
  const issues: ImportIssue[] = [];
  for (const k of keys) {
    const row = rows[Number(k.ord) - 1];
    const clash = existingByKey.get(k.key);
    if (clash !== undefined) issues.push({ row: row.row, column: "nom", code: "duplicateExisting", params: { existing: clash } });
    const first = firstRowByKey.get(k.key);
    if (first !== undefined) issues.push({ row: row.row, column: "nom", code: "duplicateInFile", params: { other: first } });
    else firstRowByKey.set(k.key, row.row);
  }
  return issues;
}

/** The whole check: the file's own problems, then duplicates with the town's listings. */
export async function analyseImport(tx: Tx, text: string, context: ParseContext): Promise<ImportAnalysis> {
  const parsed = parseImportCsv(text, context);
  const duplicates = await duplicateIssues(tx, parsed.rows);
  const issues = [...parsed.issues, ...duplicates].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const rejected = new Set(duplicates.map((d) => d.row));
  return { rows: parsed.rows.filter((r) => !rejected.has(r.row)), issues };
}

const INSERT_CHUNK = 200;

/**
 * Publishes every row, each with its revision ("imported", by the staff member) and its
 * event, in the caller's transaction: an error anywhere rolls back the whole import.
 */
export async function importInitiatives(tx: Tx, tenantId: string, rows: ImportRow[], actor: { userId: string; label: string }): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const inserted = await tx
      .insertInto("directory_initiatives")
      .values(
        rows.slice(i, i + INSERT_CHUNK).map((r) => ({
          tenant_id: tenantId,
          name: r.name,
          kind: r.kind,
          stage: r.stage,
          layers: r.layers,
          description: r.description,
          address: r.address,
          neighbourhood: r.neighbourhood,
          latitude: r.latitude,
          longitude: r.longitude,
          contact_name: r.contactName,
          contact_email: r.contactEmail,
          contact_phone: r.contactPhone,
          contact_public: r.contactPublic,
          links: r.links,
          schedule: r.schedule,
          opening_hours: "[]",
          languages: r.languages,
          accessibility_notes: r.accessibilityNotes,
          status: "published" as const,
        })),
      )
      .returningAll()
      .execute();
    await tx
      .insertInto("directory_revisions")
      .values(
        inserted.map(({ search_text: _derived, ...snapshot }) => ({
          tenant_id: tenantId,
          initiative_id: snapshot.id,
          action: "imported",
          actor_user_id: actor.userId,
          actor_label: actor.label,
          snapshot: JSON.stringify(snapshot),
        })),
      )
      .execute();
    for (const row of inserted) {
      await recordEvent(tx, { module: "directory", kind: "initiative_published", actorId: actor.userId, subjectType: "Initiative", subjectId: row.id });
      ids.push(row.id);
    }
  }
  return ids;
}

/** How long a preview may be confirmed. */
const CONFIRM_TTL_MS = 60 * 60 * 1000;

export type SignedImport = { payload: string; expires: string; signature: string };

function signature(payload: string, expires: string, scope: { tenantId: string; userId: string }) {
  const digest = crypto.createHash("sha256").update(payload).digest("hex");
  return crypto
    .createHmac("sha256", serverSecret())
    .update(`directory-import|${scope.tenantId}|${scope.userId}|${expires}|${digest}`)
    .digest("base64url");
}

/** The previewed file, base64url-encoded (a form would rewrite its line ends) and signed. */
export function signImport(text: string, scope: { tenantId: string; userId: string }, now = Date.now()): SignedImport {
  const payload = Buffer.from(text, "utf8").toString("base64url");
  const expires = String(now + CONFIRM_TTL_MS);
  return { payload, expires, signature: signature(payload, expires, scope) };
}

/** The file's text when the signature holds for this town and this staff member and has not expired. */
export function verifyImport(signed: Partial<SignedImport>, scope: { tenantId: string; userId: string }, now = Date.now()): string | null {
  const { payload, expires, signature: given } = signed;
  if (!payload || !expires || !given || !/^\d{1,15}$/.test(expires) || Number(expires) < now) return null;
  const expected = Buffer.from(signature(payload, expires, scope));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) return null;
  return Buffer.from(payload, "base64url").toString("utf8");
}
