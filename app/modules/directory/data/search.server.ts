// Search over the published listings, shared by the list and the map.
//
// Why an in-process snapshot rather than `search_text like '%…%'` in every request: the app
// role is subject to row-level security, and PostgreSQL only lets *leakproof* operators run
// inside an index scan before the tenant policy is checked. LIKE, similarity and the other
// trigram operators are not leakproof, so the trigram indexes are never used for the app
// role: each search is a sequential scan of the tenant's rows (measured: ~40 ms per scan on
// 100,000 listings, twice per page with the count), whatever the index. Creating a
// leakproof wrapper needs a superuser, which a hosted database does not give us.
//
// So each tenant's published listings (the columns the filters read, with the generated
// `search_text`) are loaded once into memory and kept until `directory_versions` says the
// table changed (a trigger bumps it on every write; checking it is a primary-key lookup).
// Search words are normalised by the database's own `directory_normalise`, the function
// that produced `search_text`, so "epicerie" finds "Épicerie" exactly as SQL would; matching
// is a plain substring test, the semantics of `like '%word%'` with `%` and `_` escaped.
import { sql } from "kysely";
import type { Tx } from "~/core/db/db.server";
import { queryTerms, type DirectoryFilters } from "../filters";
import { isOpenAt, localClock, type LocalClock } from "../opening-hours";
import type { OpeningHours } from "./tables";
import "./tables";

/** What the filters and the map read of one published listing. */
export type SnapshotListing = {
  id: string;
  name: string;
  /** directory_normalise(name): the list's accent- and case-insensitive order. */
  sortKey: string;
  text: string;
  kind: string;
  stage: string | null;
  layers: string[];
  languages: string[];
  hours: OpeningHours;
  longitude: number | null;
  latitude: number | null;
};

export type Snapshot = {
  tenantId: string;
  version: string;
  /** Sorted by sortKey, then id: filtering keeps the list's order. */
  listings: SnapshotListing[];
  /** Languages spoken in at least one listing, for the filter's choices. */
  languages: string[];
};

/** Listings kept in memory across all tenants before the least recently used are dropped. */
const MAX_CACHED_LISTINGS = 400_000;
const snapshots = new Map<string, { version: string; promise: Promise<Snapshot>; size: number }>();

/**
 * The transaction's tenant and its change counter (see migration 2026112204; "0" before the
 * first write). The cache is keyed by what the database says the tenant is, never by an id
 * a caller passes: a snapshot can only ever be handed to the tenant whose rows it holds.
 */
export async function directoryVersion(tx: Tx): Promise<{ tenantId: string; version: string }> {
  const { rows } = await sql<{ tenant_id: string | null; version: string | null }>`
    select nullif(current_setting('app.tenant_id', true), '')::uuid as tenant_id,
           (select version from directory_versions) as version`.execute(tx);
  const tenantId = rows[0]?.tenant_id;
  if (!tenantId) throw new Error("directory search outside a tenant transaction");
  return { tenantId, version: String(rows[0].version ?? 0) };
}

async function loadSnapshot(tx: Tx, tenantId: string, version: string): Promise<Snapshot> {
  const rows = await tx
    .selectFrom("directory_initiatives")
    .select([
      "id",
      "name",
      "search_text",
      "kind",
      "stage",
      "layers",
      "languages",
      "opening_hours",
      "longitude",
      "latitude",
      sql<string>`directory_normalise(name)`.as("sort_key"),
    ])
    .where("status", "=", "published")
    .where("freshness", "<>", "hidden")
    .execute();
  const listings: SnapshotListing[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    sortKey: r.sort_key,
    text: r.search_text,
    kind: r.kind,
    stage: r.stage,
    layers: r.layers,
    languages: r.languages,
    hours: Array.isArray(r.opening_hours) ? r.opening_hours : [],
    longitude: r.longitude,
    latitude: r.latitude,
  }));
  listings.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const languages = [...new Set(listings.flatMap((l) => l.languages))].sort();
  return { tenantId, version, listings, languages };
}

function evictBeyondLimit() {
  let total = 0;
  for (const entry of snapshots.values()) total += entry.size;
  // A Map iterates in insertion order and every hit re-inserts: the first is the least recent.
  for (const [tenantId, entry] of snapshots) {
    if (total <= MAX_CACHED_LISTINGS || snapshots.size === 1) break;
    total -= entry.size;
    snapshots.delete(tenantId);
  }
}

/** The published, not hidden, listings of the transaction's tenant, current as of this transaction. */
export async function publishedSnapshot(tx: Tx): Promise<Snapshot> {
  const { tenantId, version } = await directoryVersion(tx);
  const cached = snapshots.get(tenantId);
  if (cached && cached.version === version) {
    snapshots.delete(tenantId);
    snapshots.set(tenantId, cached);
    return cached.promise;
  }
  const entry = { version, size: 0, promise: loadSnapshot(tx, tenantId, version) };
  snapshots.set(tenantId, entry);
  try {
    const snapshot = await entry.promise;
    entry.size = snapshot.listings.length;
    evictBeyondLimit();
    return snapshot;
  } catch (error) {
    if (snapshots.get(tenantId) === entry) snapshots.delete(tenantId);
    throw error;
  }
}

/** The search words as `search_text` spells them: lower case, accents removed by the database. */
export async function normaliseTerms(tx: Tx, q: string): Promise<string[]> {
  const terms = queryTerms(q);
  if (terms.length === 0) return [];
  const { rows } = await sql<{ term: string }>`select directory_normalise(t) as term from unnest(${terms}::text[]) with ordinality as u(t, n) order by n`.execute(tx);
  return [...new Set(rows.map((r) => r.term).filter(Boolean))];
}

export type Criteria = {
  terms: string[];
  kind: string | null;
  stage: string | null;
  layers: string[];
  language: string | null;
  /** Set when "open now" is asked: the tenant's wall clock at the time of the request. */
  openAt: LocalClock | null;
};

export function matchesCriteria(l: SnapshotListing, c: Criteria): boolean {
  if (c.kind !== null && l.kind !== c.kind) return false;
  if (c.stage !== null && l.stage !== c.stage) return false;
  if (c.layers.length > 0 && !l.layers.some((layer) => c.layers.includes(layer))) return false;
  if (c.language !== null && !l.languages.includes(c.language)) return false;
  for (const term of c.terms) if (!l.text.includes(term)) return false;
  if (c.openAt !== null && !isOpenAt(l.hours, c.openAt)) return false;
  return true;
}

export async function criteriaFor(tx: Tx, filters: DirectoryFilters, now: Date, timeZone: string): Promise<Criteria> {
  return {
    terms: await normaliseTerms(tx, filters.q),
    kind: filters.kind,
    stage: filters.stage,
    layers: filters.layers,
    language: filters.language,
    openAt: filters.openNow ? localClock(now, timeZone) : null,
  };
}

export const PAGE_SIZE = 30;

export type ListItem = {
  id: string;
  name: string;
  kind: string;
  stage: string | null;
  layers: string[];
  neighbourhood: string | null;
  address: string;
  languages: string[];
  confirmedAt: string;
  toCheck: boolean;
  isDemo: boolean;
  openNow: boolean;
  hasSchedule: boolean;
};

export type SearchResult = { total: number; page: number; pageCount: number; items: ListItem[]; languages: string[] };

/** One page of the list: the matching listings in name order, with their count. */
export async function searchInitiatives(
  tx: Tx,
  filters: DirectoryFilters,
  options: { page: number; now: Date; timeZone: string; pageSize?: number },
): Promise<SearchResult> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const snapshot = await publishedSnapshot(tx);
  const criteria = await criteriaFor(tx, filters, options.now, options.timeZone);
  const matching = snapshot.listings.filter((l) => matchesCriteria(l, criteria));
  const pageCount = Math.max(1, Math.ceil(matching.length / pageSize));
  const slice = matching.slice((options.page - 1) * pageSize, options.page * pageSize);
  const items = await listItems(tx, slice.map((l) => l.id), localClock(options.now, options.timeZone));
  return { total: matching.length, page: options.page, pageCount, items, languages: snapshot.languages };
}

/** The fields the list shows, read fresh from the table, in the order of `ids`. */
async function listItems(tx: Tx, ids: string[], clock: LocalClock): Promise<ListItem[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .selectFrom("directory_initiatives")
    .select([
      "id", "name", "kind", "stage", "layers", "neighbourhood", "address", "languages",
      "confirmed_at", "freshness", "is_demo", "opening_hours", "schedule",
    ])
    .where("id", "in", ids)
    .where("status", "=", "published")
    .where("freshness", "<>", "hidden")
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const hours = Array.isArray(r.opening_hours) ? r.opening_hours : [];
    return [
      {
        id: r.id,
        name: r.name,
        kind: r.kind,
        stage: r.stage,
        layers: r.layers,
        neighbourhood: r.neighbourhood,
        address: r.address,
        languages: r.languages,
        confirmedAt: r.confirmed_at.toISOString(),
        toCheck: r.freshness === "to_check",
        isDemo: r.is_demo,
        openNow: isOpenAt(hours, clock),
        hasSchedule: hours.length > 0 || !!r.schedule,
      },
    ];
  });
}
