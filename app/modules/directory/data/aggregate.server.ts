// A grouping (an intercommunality, a region) shows the published listings of its member
// towns, read-only. Members are found by slug on the platform table; each member's listings
// are then read in a transaction scoped to that member, so row-level security applies to
// every read exactly as on the member's own portal. One member is read at a time, so a
// request never holds more than one connection besides its own.
import type { Feature, Point } from "geojson";
import { withPlatform, withTenant } from "~/core/db/db.server";
import type { Locale } from "~/core/tenant/definition";
import { LICENCES, type OpenDataLicence } from "../opendata";
import { directorySettingsSchema } from "../schemas";
import { vocabularyLabel } from "../vocabulary";
import { countOpenData, listOpenDataByName, toOpenDataRecord, type BBox, type OpenDataRecord } from "./opendata.server";
import { getVocabularies } from "./vocabulary.server";

export type MemberTown = { id: string; slug: string; name: string; host: string; timeZone: string; licence: OpenDataLicence };

/**
 * The member towns that exist, are active and have the directory enabled, in name order.
 * A grouping never lists itself.
 */
export async function resolveMemberTowns(slugs: string[], groupingId: string): Promise<MemberTown[]> {
  if (slugs.length === 0) return [];
  const rows = await withPlatform((tx) =>
    tx
      .selectFrom("tenants")
      .select(["id", "slug", "name", "hosts", "definition"])
      .where("slug", "in", slugs)
      .where("status", "=", "active")
      .where("id", "<>", groupingId)
      .execute(),
  );
  const members: MemberTown[] = [];
  for (const row of rows) {
    const module = await withTenant(row.id, (tx) =>
      tx.selectFrom("tenant_modules").select(["enabled", "settings"]).where("module_id", "=", "directory").executeTakeFirst(),
    );
    if (!module?.enabled) continue;
    const definition = row.definition as { timeZone?: string };
    // Each town publishes under the licence it chose; the grouping passes it on with the data.
    const settings = directorySettingsSchema.safeParse(module.settings);
    const licence = settings.success ? settings.data.openDataLicence : directorySettingsSchema.parse({}).openDataLicence;
    members.push({ id: row.id, slug: row.slug, name: row.name, host: row.hosts[0], timeZone: definition.timeZone ?? "Europe/Paris", licence });
  }
  return members.sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

/** A member's portal, with the scheme and port the visitor is using (so links work in development too). */
export function memberOrigin(member: MemberTown, requestUrl: string): string {
  const url = new URL(requestUrl);
  return `${url.protocol}//${member.host}${url.port ? `:${url.port}` : ""}`;
}

export type TerritoryItem = {
  id: string;
  name: string;
  kindLabel: string;
  stageLabel: string | null;
  address: string;
  neighbourhood: string | null;
  demo: boolean;
  town: string;
  url: string;
};

/** Published listings per member, in the members' order. */
export async function countMemberListings(members: MemberTown[]): Promise<number[]> {
  const counts: number[] = [];
  for (const m of members) counts.push(await withTenant(m.id, (tx) => countOpenData(tx)));
  return counts;
}

/**
 * One page of the territory's list, ordered by town then by listing name: only the members
 * whose listings fall into the page are read, and only their part of it.
 */
export async function memberListingsPage(
  members: MemberTown[],
  counts: number[],
  page: { offset: number; limit: number },
  context: { requestUrl: string; locale: Locale },
): Promise<TerritoryItem[]> {
  const items: TerritoryItem[] = [];
  let start = 0;
  for (const [index, member] of members.entries()) {
    const count = counts[index];
    const from = Math.max(page.offset - start, 0);
    const to = Math.min(page.offset + page.limit - start, count);
    start += count;
    if (from >= to) continue;
    const origin = memberOrigin(member, context.requestUrl);
    const { rows, vocabularies } = await withTenant(member.id, async (tx) => ({
      rows: await listOpenDataByName(tx, {}, { offset: from, limit: to - from }),
      vocabularies: await getVocabularies(tx),
    }));
    for (const r of rows) {
      items.push({
        id: r.id,
        name: r.name,
        kindLabel: vocabularyLabel(vocabularies.kind, r.kind, context.locale),
        stageLabel: r.stage ? vocabularyLabel(vocabularies.stage, r.stage, context.locale) : null,
        address: r.address,
        neighbourhood: r.neighbourhood,
        demo: r.is_demo,
        town: member.name,
        url: `${origin}/initiatives/${r.id}`,
      });
    }
  }
  return items;
}

/** A listing of the territory: the open-data record plus the town it belongs to and that town's licence. */
export type TerritoryRecord = OpenDataRecord & { commune: string; commune_slug: string; licence: string };

/** The positioned listings of every member (optionally within a box), for the map. */
export async function memberFeatures(members: MemberTown[], requestUrl: string, bbox?: BBox): Promise<Feature<Point, TerritoryRecord>[]> {
  const features: Feature<Point, TerritoryRecord>[] = [];
  for (const member of members) {
    const origin = memberOrigin(member, requestUrl);
    const { rows, vocabularies } = await withTenant(member.id, async (tx) => ({
      rows: await listOpenDataByName(tx, { bbox }),
      vocabularies: await getVocabularies(tx),
    }));
    for (const r of rows) {
      if (r.latitude === null || r.longitude === null) continue;
      const record = toOpenDataRecord(r, { vocabularies, origin, timeZone: member.timeZone });
      features.push({
        type: "Feature",
        id: `${member.slug}/${r.id}`,
        geometry: { type: "Point", coordinates: [r.longitude, r.latitude] },
        properties: { ...record, commune: member.name, commune_slug: member.slug, licence: LICENCES[member.licence].spdx },
      });
    }
  }
  return features;
}
