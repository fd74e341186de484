// Operator sign-in with rate limiting. Failures are counted in a platform table (not in
// process memory) so the limit survives restarts and holds across app instances.
import { sql } from "kysely";
import { z } from "zod";
import type { Tx } from "../db/db.server";
import { burnPasswordCheck, verifyPassword } from "../auth/password.server";

/** The sign-in form; error messages are i18n keys (see app/core/ui/form.server.ts). */
export const signInSchema = z.object({
  email: z
    .string({ required_error: "operator:signIn.errors.emailRequired" })
    .trim()
    .email("operator:signIn.errors.emailInvalid")
    .max(254, "operator:signIn.errors.emailInvalid"),
  password: z.string({ required_error: "operator:signIn.errors.passwordRequired" }).max(1000, "operator:signIn.errors.invalid"),
  retour: z.string().optional(),
});

export const SIGN_IN_WINDOW_MINUTES = 15;
/** Failures allowed per account, and per client address, within the window. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export type SignInResult =
  | { ok: true; operatorId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate-limited"; retryAfterMinutes: number };

const LIMITS = { account: MAX_FAILURES_PER_ACCOUNT, address: MAX_FAILURES_PER_ADDRESS } as const;
const WINDOW_MS = SIGN_IN_WINDOW_MINUTES * 60 * 1000;

/** When the next attempt will be accepted, or null if it is accepted now. */
async function blockedUntil(tx: Tx, keys: Record<"account" | "address", string>): Promise<Date | null> {
  let until: Date | null = null;
  for (const scope of ["account", "address"] as const) {
    const recent = await tx
      .selectFrom("platform_operator_sign_in_failures")
      .select("attempted_at")
      .where("scope", "=", scope)
      .where("key", "=", keys[scope])
      .where("attempted_at", ">", new Date(Date.now() - WINDOW_MS))
      .orderBy("attempted_at", "desc")
      .limit(LIMITS[scope])
      .execute();
    if (recent.length < LIMITS[scope]) continue;
    // Once the limit-th most recent failure leaves the window, the next attempt is accepted.
    const unlock = new Date(recent[LIMITS[scope] - 1].attempted_at.getTime() + WINDOW_MS);
    if (!until || unlock > until) until = unlock;
  }
  return until;
}

/**
 * Checks an operator's credentials. A deactivated or unknown account and a wrong password
 * give the same answer, in about the same time, so the form reveals no account's existence.
 * A refused (rate-limited) attempt is not counted, so hammering cannot extend the lock forever.
 */
export async function signInOperator(tx: Tx, input: { email: string; password: string; clientIp: string }): Promise<SignInResult> {
  const keys = { account: input.email.trim().toLowerCase(), address: input.clientIp || "unknown" };
  // Concurrent guesses on one account wait for each other, so none slips past the count.
  await sql`select pg_advisory_xact_lock(hashtextextended(${"operator-sign-in:" + keys.account}, 0))`.execute(tx);
  const until = await blockedUntil(tx, keys);
  if (until) return { ok: false, reason: "rate-limited", retryAfterMinutes: Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60000)) };
  const operator = await tx
    .selectFrom("platform_operators")
    .select(["id", "password_hash", "deactivated_at"])
    .where("email", "=", keys.account)
    .executeTakeFirst();
  let valid = false;
  if (operator) valid = (await verifyPassword(operator.password_hash, input.password)) && operator.deactivated_at === null;
  else await burnPasswordCheck(input.password);
  if (valid && operator) {
    await tx.deleteFrom("platform_operator_sign_in_failures").where("scope", "=", "account").where("key", "=", keys.account).execute();
    return { ok: true, operatorId: operator.id };
  }
  await tx
    .insertInto("platform_operator_sign_in_failures")
    .values([
      { scope: "account", key: keys.account },
      { scope: "address", key: keys.address },
    ])
    .execute();
  // Failures older than the window count for nothing: keep the table small.
  await tx.deleteFrom("platform_operator_sign_in_failures").where("attempted_at", "<", new Date(Date.now() - WINDOW_MS)).execute();
  return { ok: false, reason: "invalid" };
}
