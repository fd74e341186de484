// Single-use links sent by email to people who may have no account: confirm a submission,
// "still accurate", edit a listing, "I have answered" a contact request. Only the sha256 of
// the token is stored (the mailbox holds the one usable copy), as for the core's tokens.
import { sql } from "kysely";
import { hashToken, newToken } from "~/core/auth/session.server";
import type { Tx } from "~/core/db/db.server";
import type { DirectoryLinksTable } from "./tables";

export type LinkPurpose = DirectoryLinksTable["purpose"];

const DAY_MS = 24 * 3600 * 1000;

/** How long each kind of link works. */
export const LINK_TTL_MS: Record<LinkPurpose, number> = {
  confirm_submission: 7 * DAY_MS,
  // Changes asked by moderation, or a reminder's edit link: time to gather the information.
  edit: 60 * DAY_MS,
  // A reminder's "still accurate" link must outlive the listing's hiding (hidden until
  // someone confirms), within reason: the next reminder brings a new one.
  still_accurate: 365 * DAY_MS,
  contact_answered: 365 * DAY_MS,
};

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function issueLink(
  tx: Tx,
  tenantId: string,
  initiativeId: string,
  purpose: LinkPurpose,
  options: { now?: Date; requestId?: string; ttlMs?: number } = {},
): Promise<string> {
  const token = newToken();
  const now = options.now ?? new Date();
  await tx
    .insertInto("directory_links")
    .values({
      tenant_id: tenantId,
      initiative_id: initiativeId,
      purpose,
      token_hash: hashToken(token),
      expires_at: new Date(now.getTime() + (options.ttlMs ?? LINK_TTL_MS[purpose])),
      request_id: options.requestId ?? null,
    })
    .execute();
  return token;
}

export type LinkCheck =
  | { status: "valid"; id: string; initiativeId: string; purpose: LinkPurpose; requestId: string | null }
  | { status: "expired" | "used" | "invalid" };

/** What a link is worth, without using it (to show the edit form before saving). */
export async function checkLink(tx: Tx, token: string, purposes: LinkPurpose[], now = new Date()): Promise<LinkCheck> {
  if (!TOKEN_SHAPE.test(token)) return { status: "invalid" };
  const row = await tx
    .selectFrom("directory_links")
    .select(["id", "initiative_id", "purpose", "request_id", "expires_at", "used_at"])
    .where("token_hash", "=", hashToken(token))
    .where("purpose", "in", purposes)
    .executeTakeFirst();
  if (!row) return { status: "invalid" };
  if (row.used_at) return { status: "used" };
  if (row.expires_at.getTime() <= now.getTime()) return { status: "expired" };
  return { status: "valid", id: row.id, initiativeId: row.initiative_id, purpose: row.purpose, requestId: row.request_id };
}

/**
 * Uses a link once. The update is conditional: of two concurrent clicks, one succeeds and
 * the other reads "used".
 */
export async function consumeLink(tx: Tx, token: string, purposes: LinkPurpose[], now = new Date()): Promise<LinkCheck> {
  if (!TOKEN_SHAPE.test(token)) return { status: "invalid" };
  const row = await tx
    .updateTable("directory_links")
    .set({ used_at: now })
    .where("token_hash", "=", hashToken(token))
    .where("purpose", "in", purposes)
    .where("used_at", "is", null)
    .where("expires_at", ">", sql<Date>`${now}::timestamptz`)
    .returning(["id", "initiative_id", "purpose", "request_id"])
    .executeTakeFirst();
  if (row) return { status: "valid", id: row.id, initiativeId: row.initiative_id, purpose: row.purpose, requestId: row.request_id };
  return checkLink(tx, token, purposes, now);
}
