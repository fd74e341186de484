// Password guessing limits: failures are counted per account (its email address, known or
// not, so the limit itself tells nothing) and per client address, over a sliding window.
// A refused attempt is not counted: someone hammering a locked account cannot extend the
// lock forever.
import { sql } from "kysely";
import type { Tx } from "../db/db.server";

export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
export const ATTEMPT_LIMITS = { account: 5, address: 20 } as const;

export type AttemptKeys = { account: string; address: string };

export const accountKey = (email: string) => email.trim().toLowerCase();

/**
 * Serialises the checks of one account within the tenant, so that parallel guesses cannot
 * all pass the count before any of them is recorded.
 */
export async function lockAccountAttempts(tx: Tx, tenantId: string, account: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`auth:${tenantId}:${account}`}, 0))`.execute(tx);
}

/** When the next attempt will be accepted, or null if it is accepted now. */
export async function attemptsBlockedUntil(tx: Tx, keys: AttemptKeys): Promise<Date | null> {
  let until: Date | null = null;
  for (const scope of ["account", "address"] as const) {
    const limit = ATTEMPT_LIMITS[scope];
    const recent = await tx
      .selectFrom("auth_attempts")
      .select("attempted_at")
      .where("scope", "=", scope)
      .where("key", "=", keys[scope])
      .where("attempted_at", ">", new Date(Date.now() - ATTEMPT_WINDOW_MS))
      .orderBy("attempted_at", "desc")
      .limit(limit)
      .execute();
    if (recent.length < limit) continue;
    // Once the limit-th most recent failure leaves the window, fewer than `limit` remain.
    const unlock = new Date(recent[limit - 1].attempted_at.getTime() + ATTEMPT_WINDOW_MS);
    if (!until || unlock > until) until = unlock;
  }
  return until;
}

export async function recordFailedAttempt(tx: Tx, tenantId: string, keys: AttemptKeys) {
  const cutoff = new Date(Date.now() - ATTEMPT_WINDOW_MS);
  for (const scope of ["account", "address"] as const) {
    await tx.deleteFrom("auth_attempts").where("scope", "=", scope).where("key", "=", keys[scope]).where("attempted_at", "<", cutoff).execute();
    await tx.insertInto("auth_attempts").values({ tenant_id: tenantId, scope, key: keys[scope] }).execute();
  }
}

/** A successful sign-in wipes the account's failures (not the address's). */
export async function clearAccountAttempts(tx: Tx, account: string) {
  await tx.deleteFrom("auth_attempts").where("scope", "=", "account").where("key", "=", account).execute();
}
