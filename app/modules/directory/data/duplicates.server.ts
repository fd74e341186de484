// Likely duplicates of a listing: a similar name (pg_trgm similarity of the normalised
// names, which ignores case and accents) and a position close by. A listing without a
// position cannot be told apart by distance, so the name alone decides for it.
import { sql, type Expression, type SqlBool } from "kysely";
import type { Tx } from "~/core/db/db.server";
import { distanceMetres } from "./geo.server";
import { isUuid } from "./listing.server";

export const DUPLICATE_MIN_SIMILARITY = 0.4;
export const DUPLICATE_MAX_DISTANCE_M = 500;

/** Listings that may be the same initiative: candidates for a merge. */
const CANDIDATE_STATUSES = ["pending", "changes_requested", "published"] as const;

export type DuplicateCandidate = { id: string; name: string; status: string; address: string; similarity: number; distanceM: number | null };

/** Likely duplicates of the listing among those `candidates` keeps (a filter over alias `other`). */
export async function findLikelyDuplicates(tx: Tx, initiativeId: string, candidates: Expression<SqlBool>, limit = 10): Promise<DuplicateCandidate[]> {
  if (!isUuid(initiativeId)) return [];
  const rows = await tx
    .selectFrom("directory_initiatives as self")
    .innerJoin("directory_initiatives as other", (j) =>
      j
        .onRef("other.tenant_id", "=", "self.tenant_id")
        .onRef("other.id", "<>", "self.id")
        // `%` (similarity above pg_trgm's threshold, 0.3) lets the trigram index find candidates.
        .on(sql<boolean>`directory_normalise(other.name) % directory_normalise(self.name)`),
    )
    .select([
      "other.id",
      "other.name",
      "other.status",
      "other.address",
      sql<number>`similarity(directory_normalise(other.name), directory_normalise(self.name))`.as("similarity"),
      sql<number | null>`case when other.latitude is null or self.latitude is null then null else ${distanceMetres(
        sql.ref("self.latitude"),
        sql.ref("self.longitude"),
        sql.ref("other.latitude"),
        sql.ref("other.longitude"),
      )} end`.as("distance"),
    ])
    .where("self.id", "=", initiativeId)
    .where("other.status", "in", CANDIDATE_STATUSES)
    .where(candidates)
    .where(sql<boolean>`similarity(directory_normalise(other.name), directory_normalise(self.name)) >= ${DUPLICATE_MIN_SIMILARITY}`)
    .where((eb) =>
      eb.or([
        eb("other.latitude", "is", null),
        eb("self.latitude", "is", null),
        eb(distanceMetres(sql.ref("self.latitude"), sql.ref("self.longitude"), sql.ref("other.latitude"), sql.ref("other.longitude")), "<=", DUPLICATE_MAX_DISTANCE_M),
      ]),
    )
    .orderBy("similarity", "desc")
    .orderBy("other.name")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    address: r.address,
    similarity: Number(r.similarity),
    distanceM: r.distance === null ? null : Math.round(Number(r.distance)),
  }));
}

/** How many likely duplicates each listing has (the queue shows a flag). */
export async function countLikelyDuplicates(tx: Tx, ids: string[], candidates: Expression<SqlBool>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (await findLikelyDuplicates(tx, id, candidates)).length);
  return counts;
}
