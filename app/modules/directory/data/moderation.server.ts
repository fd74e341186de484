// The moderation queue: listings confirmed by their submitter wait here for staff, who
// approve, ask for changes, refuse with a reason, or merge a duplicate into another listing.
// Every decision locks the rows it changes first and checks their state under the lock, so
// two staff members acting at once never both apply (the second one is told it is done).
import type { Expression, SqlBool } from "kysely";
import type { Tx } from "~/core/db/db.server";
import { recordEvent } from "~/core/events.server";
import { countLikelyDuplicates } from "./duplicates.server";
import { issueLink } from "./links.server";
import { isUuid } from "./listing.server";
import { readInitiative, recordRevision, type Actor, type InitiativeRow } from "./revisions.server";
import type { InitiativeStatus } from "./tables";

export type ModerationProblem = "notFound" | "alreadyHandled" | "invalidTarget";

export class ModerationRefused extends Error {
  constructor(readonly code: ModerationProblem) {
    super(`moderation refused: ${code}`);
  }
}

/** States a staff decision may start from. */
const DECIDABLE: InitiativeStatus[] = ["pending", "changes_requested"];

/**
 * The listings waiting for a decision that `moderatable` keeps (over the table, unaliased),
 * each with the count of its likely duplicates among those `candidates` keeps (alias `other`).
 */
export async function listModerationQueue(tx: Tx, moderatable: Expression<SqlBool>, candidates: Expression<SqlBool>) {
  const rows = await tx
    .selectFrom("directory_initiatives")
    .select(["id", "name", "kind", "status", "address", "submitter_name", "created_at", "updated_at", "moderation_note"])
    .where("status", "in", DECIDABLE)
    .where(moderatable)
    .orderBy("updated_at")
    .orderBy("id")
    .execute();
  const duplicates = await countLikelyDuplicates(
    tx,
    rows.filter((r) => r.status === "pending").map((r) => r.id),
    candidates,
  );
  return rows.map((r) => ({ ...r, duplicates: duplicates.get(r.id) ?? 0 }));
}

/** A listing as staff see it in moderation, whatever its status, with its photos' metadata. */
export async function getModerationItem(tx: Tx, id: string) {
  const listing = await readInitiative(tx, id);
  if (!listing) return null;
  const photos = await tx
    .selectFrom("directory_photos")
    .select(["id", "alt", "width", "height", "content_type"])
    .where("initiative_id", "=", id)
    .orderBy("position")
    .execute();
  return { listing, photos };
}

/**
 * A photo of a listing whatever its status, when `allowed` keeps the listing (alias `i`):
 * moderation and editing show the photos of listings that are not public yet.
 */
export async function getPrivatePhoto(tx: Tx, photoId: string, allowed: Expression<SqlBool>) {
  if (!isUuid(photoId)) return null;
  return tx
    .selectFrom("directory_photos as p")
    .innerJoin("directory_initiatives as i", (join) => join.onRef("i.tenant_id", "=", "p.tenant_id").onRef("i.id", "=", "p.initiative_id"))
    .select(["p.content_type", "p.bytes", "p.created_at"])
    .where("p.id", "=", photoId)
    .where(allowed)
    .executeTakeFirst();
}

async function lockDecidable(tx: Tx, id: string, allowed: InitiativeStatus[] = DECIDABLE): Promise<InitiativeRow> {
  const listing = await readInitiative(tx, id, { lock: true });
  if (!listing) throw new ModerationRefused("notFound");
  if (!allowed.includes(listing.status)) throw new ModerationRefused("alreadyHandled");
  return listing;
}

export async function approveListing(tx: Tx, id: string, staff: Actor): Promise<InitiativeRow> {
  const listing = await lockDecidable(tx, id);
  const now = new Date();
  await tx
    .updateTable("directory_initiatives")
    .set({ status: "published", moderation_note: null, confirmed_at: now, freshness: "fresh", reminder_sent_at: null, updated_at: now })
    .where("id", "=", id)
    .execute();
  await recordRevision(tx, id, "approved", staff);
  await recordEvent(tx, { module: "directory", kind: "initiative_published", actorId: staff.userId, subjectType: "Initiative", subjectId: id });
  return listing;
}

/** Sends the listing back to its submitter with what to change; returns the edit link's token. */
export async function requestChanges(tx: Tx, id: string, message: string, staff: Actor): Promise<{ listing: InitiativeRow; token: string }> {
  const listing = await lockDecidable(tx, id, ["pending"]);
  await tx
    .updateTable("directory_initiatives")
    .set({ status: "changes_requested", moderation_note: message, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
  await recordRevision(tx, id, "changes_requested", staff);
  const token = await issueLink(tx, listing.tenant_id, id, "edit");
  return { listing, token };
}

export async function refuseListing(tx: Tx, id: string, reason: string, staff: Actor): Promise<InitiativeRow> {
  const listing = await lockDecidable(tx, id);
  await tx
    .updateTable("directory_initiatives")
    .set({ status: "refused", moderation_note: reason, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
  await recordRevision(tx, id, "refused", staff);
  return listing;
}

/**
 * Merges `sourceId` into `targetId`: the source becomes `merged`, pointing at the target,
 * and leaves the map and the queue; the target is unchanged but for its history. Both rows
 * are locked in a fixed order (by id) so that two opposite merges cannot deadlock, and the
 * second of two concurrent merges finds the source already merged. A target `allowed`
 * refuses (checked under the lock) is not a valid target.
 */
export async function mergeListing(
  tx: Tx,
  sourceId: string,
  targetId: string,
  staff: Actor,
  allowed: (listing: InitiativeRow) => boolean = () => true,
): Promise<{ source: InitiativeRow; target: InitiativeRow }> {
  if (!isUuid(sourceId) || !isUuid(targetId)) throw new ModerationRefused("notFound");
  if (sourceId === targetId) throw new ModerationRefused("invalidTarget");
  const locked = await tx
    .selectFrom("directory_initiatives")
    .select("id")
    .where("id", "in", [sourceId, targetId])
    .orderBy("id")
    .forUpdate()
    .execute();
  if (locked.length !== 2) throw new ModerationRefused(locked.some((r) => r.id === sourceId) ? "invalidTarget" : "notFound");
  const source = (await readInitiative(tx, sourceId))!;
  const target = (await readInitiative(tx, targetId))!;
  if (!["pending", "changes_requested", "published"].includes(source.status)) throw new ModerationRefused("alreadyHandled");
  if (!["pending", "published"].includes(target.status) || !allowed(target)) throw new ModerationRefused("invalidTarget");
  const now = new Date();
  await tx
    .updateTable("directory_initiatives")
    .set({ status: "merged", merged_into: targetId, updated_at: now })
    .where("id", "=", sourceId)
    .execute();
  // Listings merged earlier into the source now point at the surviving listing.
  await tx
    .updateTable("directory_initiatives")
    .set({ merged_into: targetId, updated_at: now })
    .where("merged_into", "=", sourceId)
    .execute();
  await recordRevision(tx, sourceId, "merged", staff);
  await recordRevision(tx, targetId, "merged_into_this", staff);
  return { source, target };
}
