// Open data of the directory: the published listings as the public may reuse them (CSV,
// GeoJSON, JSON API). Only public columns are selected, and the contact only when its owner
// chose to show it: hidden contacts, submitter data and moderation notes never leave the
// database through here. "The public" is the town's rules for everyone (`visitor`), whoever
// asks: the answers are the same for all and shared caches keep them.
import type { Feature, FeatureCollection, Point } from "geojson";
import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from "kysely";
import { stringify } from "csv-stringify/sync";
import type { Tx } from "~/core/db/db.server";
import type { DB } from "~/core/db/schema";
import { abilityFor } from "~/core/permissions/ability.server";
import { CSV_DELIMITER, CSV_LIST_SEPARATOR, LICENCES, OPEN_DATA_FIELDS, type OpenDataLicence } from "../opendata";
import { vocabularyLabel, type Vocabularies } from "../vocabulary";
import { allowedListings } from "./access.server";
import type { Freshness, OpeningHours } from "./tables";
import "./tables";

/** West, south, east, north in WGS 84 degrees. */
export type BBox = [number, number, number, number];

export type OpenDataFilter = { bbox?: BBox; kinds?: string[]; layers?: string[]; stages?: string[] };

export type OpenDataRow = {
  id: string;
  name: string;
  kind: string;
  stage: string | null;
  layers: string[];
  description: string;
  address: string;
  neighbourhood: string | null;
  latitude: number | null;
  longitude: number | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  links: string[];
  schedule: string | null;
  opening_hours: OpeningHours;
  languages: string[];
  accessibility_notes: string | null;
  freshness: Freshness;
  confirmed_at: Date;
  updated_at: Date;
  is_demo: boolean;
};

/** A published listing under the open-data field names (see ../opendata.ts). */
export type OpenDataRecord = {
  id: string;
  nom: string;
  type: string;
  type_libelle: string;
  etape: string | null;
  etape_libelle: string | null;
  thematiques: string[];
  description: string;
  adresse: string;
  quartier: string | null;
  latitude: number | null;
  longitude: number | null;
  contact_nom: string | null;
  contact_email: string | null;
  contact_telephone: string | null;
  liens: string[];
  horaires: string | null;
  heures_ouverture: { jour: number; ouverture: string; fermeture: string }[];
  langues: string[];
  accessibilite: string | null;
  fraicheur: "fresh" | "to_check";
  confirme_le: string;
  mis_a_jour_le: string;
  demonstration: boolean;
  url: string;
};

type Query = SelectQueryBuilder<DB, "directory_initiatives", object>;

/** The listings the town's rules let anyone read. */
async function publicScope(tx: Tx): Promise<Expression<SqlBool>> {
  return allowedListings(await abilityFor(tx, null), "read");
}

/** Published listings the public may see: hidden ones (stale for too long) stay out, as on the map. */
async function published(tx: Tx, filter: OpenDataFilter): Promise<Query> {
  let q: Query = tx
    .selectFrom("directory_initiatives")
    .where("status", "=", "published")
    .where("freshness", "<>", "hidden")
    .where(await publicScope(tx));
  if (filter.bbox) {
    const [w, s, e, n] = filter.bbox;
    q = q.where("longitude", ">=", w).where("longitude", "<=", e).where("latitude", ">=", s).where("latitude", "<=", n);
  }
  if (filter.kinds?.length) q = q.where("kind", "in", filter.kinds);
  if (filter.stages?.length) q = q.where("stage", "in", filter.stages);
  if (filter.layers?.length) q = q.where(sql<boolean>`layers && ${sql.val(filter.layers)}::text[]`);
  return q;
}

const contactIfPublic = (eb: ExpressionBuilder<DB, "directory_initiatives">, column: "contact_name" | "contact_email" | "contact_phone") =>
  eb.case().when("contact_public", "=", true).then(eb.ref(column)).else(null).end();

function selectPublic(q: Query) {
  return q.select((eb) => [
    "id",
    "name",
    "kind",
    "stage",
    "layers",
    "description",
    "address",
    "neighbourhood",
    "latitude",
    "longitude",
    contactIfPublic(eb, "contact_name").$castTo<string | null>().as("contact_name"),
    contactIfPublic(eb, "contact_email").$castTo<string | null>().as("contact_email"),
    contactIfPublic(eb, "contact_phone").$castTo<string | null>().as("contact_phone"),
    "links",
    "schedule",
    "opening_hours",
    "languages",
    "accessibility_notes",
    "freshness",
    "confirmed_at",
    "updated_at",
    "is_demo",
  ]);
}

export async function countOpenData(tx: Tx, filter: OpenDataFilter = {}): Promise<number> {
  const row = await (await published(tx, filter))
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * One page of the API, in identifier order: stable from one request to the next, and served
 * by the primary key even on a town with a very large directory.
 */
export async function listOpenDataPage(tx: Tx, filter: OpenDataFilter, page: { limit: number; offset: number }): Promise<OpenDataRow[]> {
  const rows = await selectPublic(await published(tx, filter)).orderBy("id").limit(page.limit).offset(page.offset).execute();
  return rows as OpenDataRow[];
}

/**
 * Listings in name order (accents and case ignored), for people reading them: the exports
 * (every listing) and the grouping's list (one page).
 */
export async function listOpenDataByName(tx: Tx, filter: OpenDataFilter = {}, page?: { limit: number; offset: number }): Promise<OpenDataRow[]> {
  let q = selectPublic(await published(tx, filter)).orderBy(sql`directory_normalise(name)`).orderBy("id");
  if (page) q = q.limit(page.limit).offset(page.offset);
  return (await q.execute()) as OpenDataRow[];
}

/** For the documentation page: how many listings are published and when the data last changed. */
export async function openDataSummary(tx: Tx): Promise<{ count: number; lastUpdated: Date | null }> {
  const row = await (await published(tx, {}))
    .select((eb) => [eb.fn.countAll<string>().as("n"), eb.fn.max("updated_at").as("last")])
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), lastUpdated: row.last ? new Date(row.last) : null };
}

/** A calendar date in the town's time zone, as YYYY-MM-DD. */
function isoDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

export function toOpenDataRecord(
  row: OpenDataRow,
  context: { vocabularies: Vocabularies; origin: string; timeZone: string },
): OpenDataRecord {
  const { vocabularies, origin, timeZone } = context;
  return {
    id: row.id,
    nom: row.name,
    type: row.kind,
    // Labels in French: the reference language of the published data.
    type_libelle: vocabularyLabel(vocabularies.kind, row.kind, "fr"),
    etape: row.stage,
    etape_libelle: row.stage ? vocabularyLabel(vocabularies.stage, row.stage, "fr") : null,
    thematiques: row.layers,
    description: row.description,
    adresse: row.address,
    quartier: row.neighbourhood,
    latitude: row.latitude,
    longitude: row.longitude,
    contact_nom: row.contact_name,
    contact_email: row.contact_email,
    contact_telephone: row.contact_phone,
    liens: row.links,
    horaires: row.schedule,
    heures_ouverture: row.opening_hours.map((h) => ({ jour: h.day, ouverture: h.opens, fermeture: h.closes })),
    langues: row.languages,
    accessibilite: row.accessibility_notes,
    fraicheur: row.freshness === "to_check" ? "to_check" : "fresh",
    confirme_le: isoDate(row.confirmed_at, timeZone),
    mis_a_jour_le: row.updated_at.toISOString(),
    demonstration: row.is_demo,
    url: `${origin}/initiatives/${row.id}`,
  };
}

/** Metadata carried by every export: who publishes, under which licence. */
export type OpenDataMeta = { publisher: string; licence: OpenDataLicence; generatedAt: Date; documentation: string };

export function licenceMeta(licence: OpenDataLicence) {
  const l = LICENCES[licence];
  return { id: licence, name: l.name, spdx: l.spdx, url: l.url };
}

export function toFeatureCollection(records: OpenDataRecord[], meta: OpenDataMeta): FeatureCollection<Point | null> & Record<string, unknown> {
  const features: Feature<Point | null>[] = records.map((r) => ({
    type: "Feature",
    id: r.id,
    // RFC 7946: longitude first. A listing without a position is an unlocated feature.
    geometry: r.longitude !== null && r.latitude !== null ? { type: "Point", coordinates: [r.longitude, r.latitude] } : null,
    properties: r,
  }));
  return {
    type: "FeatureCollection",
    // Foreign members (RFC 7946 §6.1): the licence and the attribution travel with the data.
    name: meta.publisher,
    licence: licenceMeta(meta.licence),
    attribution: meta.publisher,
    generated_at: meta.generatedAt.toISOString(),
    documentation: meta.documentation,
    features,
  };
}

// A spreadsheet runs a cell starting with one of these as a formula; text written by
// anonymous submitters must not be able to do that on the computer of whoever opens the file.
const FORMULA_START = /^[=+\-@\t\r]/;
const guard = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

function csvCell(value: OpenDataRecord[keyof OpenDataRecord], type: string): string {
  if (value === null || value === undefined) return "";
  if (type === "number") return String(value);
  if (type === "boolean") return value ? "true" : "false";
  if (type === "hours") {
    return (value as OpenDataRecord["heures_ouverture"]).map((h) => `${h.jour} ${h.ouverture}-${h.fermeture}`).join(CSV_LIST_SEPARATOR);
  }
  if (Array.isArray(value)) return guard(value.join(CSV_LIST_SEPARATOR));
  return guard(String(value));
}

/** The CSV export: UTF-8 with a byte-order mark, `;` separated, CRLF line ends (RFC 4180). */
export function toCsv(records: OpenDataRecord[]): string {
  const header = OPEN_DATA_FIELDS.map((f) => f.name);
  const body = records.map((r) => OPEN_DATA_FIELDS.map((f) => csvCell(r[f.name], f.type)));
  return stringify([header, ...body], { bom: true, delimiter: CSV_DELIMITER, record_delimiter: "windows" });
}
