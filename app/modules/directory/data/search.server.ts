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
// Scanning is linear in the text (5 to 10 ms for 100,000 listings of 120 characters,
// measured); the word that rules out the most listings is tried first.
//
// The snapshot is what the public may see at most; what one user sees of it is decided by
// their ability's read rules (readableSnapshot). The default rules ("published only") keep
// all of it, at no cost; rules that depend on a listing's organisation or neighbourhood
// keep a part, computed once per snapshot and rule set.
import type { AnyAbility } from "@casl/ability";
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
  kind: string;
  stage: string | null;
  layers: string[];
  languages: string[];
  hours: OpeningHours;
  longitude: number | null;
  latitude: number | null;
  /** What read rules may test besides the status (published, for every listing here). */
  organisationId: string | null;
  neighbourhood: string | null;
};

export type Snapshot = {
  tenantId: string;
  version: string;
  /** Sorted by sortKey, then id: filtering keeps the list's order. */
  listings: SnapshotListing[];
  /** Each listing's search_text (name, description, address, neighbourhood, normalised), in the same order. */
  texts: string[];
  /** Languages spoken in at least one listing, for the filter's choices. */
  languages: string[];
  /** "" for every published listing; otherwise names the read rules that kept these (caches key on it). */
  scope: string;
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
      "organisation_id",
      "neighbourhood",
      sql<string>`directory_normalise(name)`.as("sort_key"),
    ])
    .where("status", "=", "published")
    .where("freshness", "<>", "hidden")
    .execute();
  const listings = rows.map((r) => ({
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
    organisationId: r.organisation_id,
    neighbourhood: r.neighbourhood,
  }));
  listings.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // The texts as pg decodes them lie scattered among each row's other objects; copied
  // together in one array, they are scanned 3 to 5 times faster (memory locality, measured
  // on 100,000 listings), for ~100 ms once per load.
  const texts = JSON.parse(JSON.stringify(listings.map((l) => l.text))) as string[];
  const languages = [...new Set(listings.flatMap((l) => l.languages))].sort();
  return { tenantId, version, listings: listings.map(({ text: _text, ...listing }) => listing), texts, languages, scope: "" };
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

type RuleLike = { inverted: boolean; conditions?: unknown; matchesConditions(object: Record<string, unknown>): boolean };

export type SnapshotAccess = { kind: "all" } | { kind: "none" } | { kind: "some"; scope: string; keeps: (listing: SnapshotListing) => boolean };

/**
 * How the ability's read rules apply to the snapshot, whose listings are all published.
 * CASL applies the first rule (by priority) whose conditions match; a rule testing nothing
 * but the status is decided once for the whole snapshot, and ends the walk when it matches.
 */
export function snapshotAccess(ability: AnyAbility): SnapshotAccess {
  const published = { status: "published" };
  const perListing: RuleLike[] = [];
  for (const rule of ability.rulesFor("read", "Initiative") as RuleLike[]) {
    const tested = rule.conditions ? Object.keys(rule.conditions) : [];
    if (tested.every((attribute) => attribute === "status")) {
      if (!rule.matchesConditions(published)) continue;
      if (perListing.length === 0) return { kind: rule.inverted ? "none" : "all" };
      perListing.push(rule);
      break;
    }
    perListing.push(rule);
  }
  if (perListing.length === 0) return { kind: "none" };
  return {
    kind: "some",
    scope: JSON.stringify(perListing.map((r) => [r.inverted, r.conditions ?? null])),
    keeps: (l) => {
      const attributes = { status: "published", organisation_id: l.organisationId, neighbourhood: l.neighbourhood };
      for (const rule of perListing) if (rule.matchesConditions(attributes)) return !rule.inverted;
      return false;
    },
  };
}

/** Views of a snapshot for rule sets that keep part of it; they go with their snapshot. */
const views = new WeakMap<Snapshot, Map<string, Snapshot>>();
const MAX_VIEWS_PER_SNAPSHOT = 32;

function view(snapshot: Snapshot, scope: string, keeps: (listing: SnapshotListing) => boolean): Snapshot {
  let byScope = views.get(snapshot);
  if (!byScope) views.set(snapshot, (byScope = new Map()));
  const cached = byScope.get(scope);
  if (cached) return cached;
  const listings: SnapshotListing[] = [];
  const texts: string[] = [];
  for (let i = 0; i < snapshot.listings.length; i++) {
    if (!keeps(snapshot.listings[i])) continue;
    listings.push(snapshot.listings[i]);
    texts.push(snapshot.texts[i]);
  }
  const languages = [...new Set(listings.flatMap((l) => l.languages))].sort();
  const made: Snapshot = { tenantId: snapshot.tenantId, version: snapshot.version, listings, texts, languages, scope };
  if (byScope.size >= MAX_VIEWS_PER_SNAPSHOT) byScope.delete(byScope.keys().next().value!);
  byScope.set(scope, made);
  return made;
}

/** The published listings the ability may read: the whole snapshot under the default rules. */
export async function readableSnapshot(tx: Tx, ability: AnyAbility): Promise<Snapshot> {
  const snapshot = await publishedSnapshot(tx);
  const access = snapshotAccess(ability);
  if (access.kind === "all") return snapshot;
  if (access.kind === "none") return view(snapshot, "none", () => false);
  return view(snapshot, access.scope, access.keeps);
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

const SAMPLE = 2000;

/** The terms, rarest first, judged on a sample of the texts: most listings then fail on the first. */
function rarestFirst(texts: string[], terms: string[]): string[] {
  if (terms.length < 2) return terms;
  const step = Math.max(1, Math.floor(texts.length / SAMPLE));
  const hits = new Map(terms.map((t) => [t, 0]));
  for (let i = 0; i < texts.length; i += step) for (const t of terms) if (texts[i].includes(t)) hits.set(t, hits.get(t)! + 1);
  return [...terms].sort((a, b) => hits.get(a)! - hits.get(b)!);
}

function matchesFields(l: SnapshotListing, c: Criteria): boolean {
  if (c.kind !== null && l.kind !== c.kind) return false;
  if (c.stage !== null && l.stage !== c.stage) return false;
  if (c.layers.length > 0 && !l.layers.some((layer) => c.layers.includes(layer))) return false;
  if (c.language !== null && !l.languages.includes(c.language)) return false;
  if (c.openAt !== null && !isOpenAt(l.hours, c.openAt)) return false;
  return true;
}

/** The snapshot's listings that meet every criterion, in the list's order. */
export function matchingListings(snapshot: Snapshot, c: Criteria): SnapshotListing[] {
  const fields = c.kind !== null || c.stage !== null || c.layers.length > 0 || c.language !== null || c.openAt !== null;
  if (c.terms.length === 0 && !fields) return snapshot.listings;
  const { listings, texts } = snapshot;
  const terms = rarestFirst(texts, c.terms);
  const found: SnapshotListing[] = [];
  // A plain loop: a closure per listing costs more than the search itself at 100,000. The
  // field tests are cheap and go first; the text is scanned only for what they keep.
  listing: for (let i = 0; i < listings.length; i++) {
    if (fields && !matchesFields(listings[i], c)) continue;
    for (let k = 0; k < terms.length; k++) if (!texts[i].includes(terms[k])) continue listing;
    found.push(listings[i]);
  }
  return found;
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

/** One page of the list: the matching listings the ability may read, in name order, with their count. */
export async function searchInitiatives(
  tx: Tx,
  filters: DirectoryFilters,
  options: { page: number; now: Date; timeZone: string; ability: AnyAbility; pageSize?: number },
): Promise<SearchResult> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const snapshot = await readableSnapshot(tx, options.ability);
  const criteria = await criteriaFor(tx, filters, options.now, options.timeZone);
  const matching = matchingListings(snapshot, criteria);
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
