// Single-use tokens sent by email (verify an address, reset a password, change an address).
// Only their sha256 is stored: the link in the mailbox is the one usable copy.
import { sql } from "kysely";
import type { Tx } from "../db/db.server";
import { hashToken, newToken } from "./session.server";

export type TokenPurpose = "verify_email" | "reset_password" | "change_email";

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  verify_email: 48 * 3600 * 1000,
  change_email: 48 * 3600 * 1000,
  reset_password: 3600 * 1000,
};

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function issueToken(
  tx: Tx,
  tenantId: string,
  userId: string,
  purpose: TokenPurpose,
  newEmail: string | null = null,
): Promise<string> {
  const token = newToken();
  await tx
    .insertInto("auth_tokens")
    .values({
      tenant_id: tenantId,
      user_id: userId,
      purpose,
      token_hash: hashToken(token),
      new_email: newEmail,
      expires_at: new Date(Date.now() + TOKEN_TTL_MS[purpose]),
    })
    .execute();
  return token;
}

export type TokenCheck =
  | { status: "valid"; id: string; userId: string; purpose: TokenPurpose; newEmail: string | null }
  | { status: "expired" | "used" | "invalid" };

/** Tells what a token is worth without using it (to show a form before the real step). */
export async function checkToken(tx: Tx, token: string, purposes: TokenPurpose[]): Promise<TokenCheck> {
  if (!TOKEN_SHAPE.test(token)) return { status: "invalid" };
  const row = await tx
    .selectFrom("auth_tokens")
    .select(["id", "user_id", "purpose", "new_email", "expires_at", "used_at"])
    .where("token_hash", "=", hashToken(token))
    .where("purpose", "in", purposes)
    .executeTakeFirst();
  if (!row) return { status: "invalid" };
  if (row.used_at) return { status: "used" };
  if (row.expires_at.getTime() <= Date.now()) return { status: "expired" };
  return { status: "valid", id: row.id, userId: row.user_id, purpose: row.purpose, newEmail: row.new_email };
}

/**
 * Uses a token once. The update is conditional, so two concurrent clicks cannot both
 * succeed: the second one reads "used".
 */
export async function consumeToken(tx: Tx, token: string, purposes: TokenPurpose[]): Promise<TokenCheck> {
  if (!TOKEN_SHAPE.test(token)) return { status: "invalid" };
  const row = await tx
    .updateTable("auth_tokens")
    .set({ used_at: new Date() })
    .where("token_hash", "=", hashToken(token))
    .where("purpose", "in", purposes)
    .where("used_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .returning(["id", "user_id", "purpose", "new_email"])
    .executeTakeFirst();
  if (row) return { status: "valid", id: row.id, userId: row.user_id, purpose: row.purpose, newEmail: row.new_email };
  return checkToken(tx, token, purposes);
}

/** Voids the user's other unused tokens of these purposes (after a reset, a change of address). */
export async function voidTokens(tx: Tx, userId: string, purposes: TokenPurpose[]) {
  await tx
    .updateTable("auth_tokens")
    .set({ used_at: new Date() })
    .where("user_id", "=", userId)
    .where("purpose", "in", purposes)
    .where("used_at", "is", null)
    .execute();
}
