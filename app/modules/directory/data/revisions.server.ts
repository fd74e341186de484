// The history of a listing: every change writes a revision holding the whole row as it is
// after the change (snapshot), who made it and when. Staff may put a listing's content back
// as it was in any snapshot; that is itself a change, with its own revision.
import type { Selectable } from "kysely";
import type { Tx } from "~/core/db/db.server";
import { isUuid } from "./listing.server";
import type { DirectoryInitiativesTable } from "./tables";

/**
 * Who made a change. Labels starting with "@" name no person and are translated when shown
 * (`moderation.history.actors.*`): "@system" for the scheduled jobs, "@email-link" for a link
 * received by email, whose clicker the platform cannot know.
 */
export type Actor = { userId: string | null; label: string };
export const SYSTEM_ACTOR: Actor = { userId: null, label: "@system" };
export const EMAIL_LINK_ACTOR: Actor = { userId: null, label: "@email-link" };

export type RevisionAction =
  | "submitted"
  | "confirmed_by_submitter"
  | "approved"
  | "changes_requested"
  | "refused"
  | "merged"
  | "merged_into_this"
  | "edited"
  | "edited_by_link"
  | "claim_approved"
  | "freshness_confirmed"
  | "reminder_sent"
  | "marked_to_check"
  | "hidden"
  | "reverted";

/** The content of a listing, as opposed to its moderation and freshness state: what a revert restores. */
export const CONTENT_FIELDS = [
  "name",
  "kind",
  "stage",
  "layers",
  "description",
  "address",
  "neighbourhood",
  "latitude",
  "longitude",
  "contact_name",
  "contact_email",
  "contact_phone",
  "contact_public",
  "links",
  "schedule",
  "opening_hours",
  "languages",
  "accessibility_notes",
] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

export type InitiativeRow = Omit<Selectable<DirectoryInitiativesTable>, "search_text">;

/** The whole row, without the derived search column. */
export async function readInitiative(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<InitiativeRow | undefined> {
  if (!isUuid(id)) return undefined;
  let query = tx
    .selectFrom("directory_initiatives")
    .selectAll()
    .where("id", "=", id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const { search_text: _derived, ...rest } = row;
  return rest;
}

/** Writes the revision of a change just made to the listing (reads the row as it now is). */
export async function recordRevision(tx: Tx, initiativeId: string, action: RevisionAction, actor: Actor, now?: Date) {
  const row = await readInitiative(tx, initiativeId);
  if (!row) throw new Error(`recordRevision: no initiative ${initiativeId}`);
  await tx
    .insertInto("directory_revisions")
    .values({
      tenant_id: row.tenant_id,
      initiative_id: initiativeId,
      action,
      actor_user_id: actor.userId,
      actor_label: actor.label,
      snapshot: JSON.stringify(row),
      ...(now ? { created_at: now } : {}),
    })
    .execute();
}

export type RevisionEntry = {
  id: string;
  action: string;
  actorLabel: string;
  createdAt: Date;
  /** Content fields that differ from the previous revision (all of them for the first one). */
  changed: ContentField[];
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The listing's revisions, newest first, each with the content fields it changed. */
export async function listRevisions(tx: Tx, initiativeId: string): Promise<RevisionEntry[]> {
  if (!isUuid(initiativeId)) return [];
  const rows = await tx
    .selectFrom("directory_revisions")
    .select(["id", "action", "actor_label", "created_at", "snapshot"])
    .where("initiative_id", "=", initiativeId)
    // Identity order is insertion order; created_at ties within a transaction.
    .orderBy("id")
    .execute();
  const entries: RevisionEntry[] = [];
  let previous: Record<string, unknown> | null = null;
  for (const r of rows) {
    const snapshot = r.snapshot as Record<string, unknown>;
    const changed = CONTENT_FIELDS.filter((f) => previous === null || !same(previous[f], snapshot[f]));
    entries.push({ id: String(r.id), action: r.action, actorLabel: r.actor_label, createdAt: r.created_at, changed });
    previous = snapshot;
  }
  return entries.reverse();
}

export class RevertError extends Error {
  constructor(readonly code: "unknownRevision" | "merged") {
    super(`revert refused: ${code}`);
  }
}

/**
 * Puts the listing's content back as in the revision's snapshot. Its moderation state
 * (status, merge, organisation) and its freshness are not part of the content and stay as
 * they are. The row is locked first: two staff members reverting at once apply one after
 * the other, each with its revision.
 */
export async function revertToRevision(tx: Tx, initiativeId: string, revisionId: string, actor: Actor) {
  if (!isUuid(initiativeId) || !/^\d{1,18}$/.test(revisionId)) throw new RevertError("unknownRevision");
  const current = await readInitiative(tx, initiativeId, { lock: true });
  if (!current) throw new RevertError("unknownRevision");
  if (current.status === "merged") throw new RevertError("merged");
  const revision = await tx
    .selectFrom("directory_revisions")
    .select("snapshot")
    .where("initiative_id", "=", initiativeId)
    .where("id", "=", revisionId)
    .executeTakeFirst();
  if (!revision) throw new RevertError("unknownRevision");
  const snapshot = revision.snapshot as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) {
    if (!(field in snapshot)) continue;
    values[field] = field === "opening_hours" ? JSON.stringify(snapshot[field] ?? []) : snapshot[field];
  }
  await tx
    .updateTable("directory_initiatives")
    .set({ ...(values as object), updated_at: new Date() })
    .where("id", "=", initiativeId)
    .execute();
  await recordRevision(tx, initiativeId, "reverted", actor);
}
