// Confirming one's identity again before sensitive console actions (the `sensitive` option of
// the route wrapper): the password, plus a code for an account with two-factor sign-in. Every
// wrong guess counts against the sign-in limits, so a session left open on a shared computer
// cannot be used to guess the password at leisure.
import { z } from "zod";
import type { Tx } from "../db/db.server";
import { safeReturnPath } from "../http/urls.server";
import { guardedPasswordCheck } from "./accounts.server";
import { accountKey } from "./rate-limit.server";
import { PASSWORD_MAX } from "./schemas";
import { markReauthenticated, type SessionUser } from "./session.server";
import { guardedAttempt, useSecondFactor } from "./totp.server";

/** Where a confirmation leads when it was not sent from a page of this site. */
export const REAUTH_FALLBACK = "/admin";

/** A same-site path to return to after the confirmation; anything else leads to the console home. */
export const reauthReturnPath = (value: unknown) => safeReturnPath(value, REAUTH_FALLBACK);

/** A code from the app or a recovery code ("abcde-fghjk"); spaces and dashes are tolerated. */
export const secondFactorCode = z
  .string({ required_error: "security:errors.codeRequired" })
  .trim()
  .min(1, "security:errors.codeRequired")
  .max(32, "security:errors.codeInvalid");

export const confirmIdentitySchema = z.object({
  password: z.string({ required_error: "security:errors.passwordRequired" }).max(PASSWORD_MAX, "auth:errors.passwordTooLong"),
  code: secondFactorCode.optional(),
  retour: z.string().optional(),
});

export type ConfirmResult = { ok: true } | { ok: false; errors: Record<string, string> } | { ok: false; retryAt: Date };

/** Marks the session as proven now when the password (and code) are right. */
export async function confirmIdentity(
  tx: Tx,
  tenantId: string,
  user: Pick<SessionUser, "id" | "email" | "sessionId">,
  input: { password: string; code?: string },
  clientIp: string,
): Promise<ConfirmResult> {
  const account = await tx.selectFrom("users").select(["password_hash", "totp_enabled_at"]).where("id", "=", user.id).executeTakeFirstOrThrow();
  const withCode = account.totp_enabled_at !== null;
  // A missing code is a form error, not a guess: nothing is checked, nothing is counted.
  if (withCode && !input.code) return { ok: false, errors: { code: "security:errors.codeRequired" } };
  const keys = { account: accountKey(user.email), address: clientIp };
  const password = await guardedPasswordCheck(tx, tenantId, keys, account.password_hash, input.password);
  if (!password.ok) return password.retryAt ? { ok: false, retryAt: password.retryAt } : { ok: false, errors: { password: "security:errors.passwordWrong" } };
  if (withCode) {
    const code = await guardedAttempt(tx, tenantId, keys, async () => {
      const used = await useSecondFactor(tx, user.id, input.code!);
      return { passed: used.ok, value: used };
    });
    if (!code.ok) {
      if (code.retryAt) return { ok: false, retryAt: code.retryAt };
      const replayed = code.value?.ok === false && code.value.reason === "replayed";
      return { ok: false, errors: { code: replayed ? "security:errors.codeReplayed" : "security:errors.codeWrong" } };
    }
  }
  await markReauthenticated(tx, user.sessionId);
  return { ok: true };
}
