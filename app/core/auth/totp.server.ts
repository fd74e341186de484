// TOTP two-factor sign-in (RFC 6238): enrolment, codes, one-time recovery codes, and the
// sign-in step that turns a session waiting for its code into a real one. The secret is kept
// in clear (users.totp_secret): it is needed to compute the codes. A code is worth one use:
// the last accepted time step is stored and no code of that step or an earlier one passes.
import crypto from "node:crypto";
import { generateTOTP, getTOTPAuthUri, verifyTOTP } from "@epic-web/totp";
import type { ColumnType, Generated } from "kysely";
import { renderSVG } from "uqr";
import type { Tx } from "../db/db.server";
import { attemptsBlockedUntil, clearAccountAttempts, lockAccountAttempts, recordFailedAttempt, type AttemptKeys } from "./rate-limit.server";
import { hashToken } from "./session.server";

/** What authenticator apps expect by default (some ignore any other setting). */
export const TOTP_SETTINGS = { period: 30, digits: 6, algorithm: "SHA-1", charSet: "0123456789" } as const;
/** Codes of the previous and next time step pass too: phone clocks drift. */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 8;
/** A password accepted at sign-in waits this long for its code, then the person starts again. */
export const PENDING_SIGN_IN_MS = 10 * 60 * 1000;

export interface UserRecoveryCodesTable {
  tenant_id: string;
  user_id: string;
  code_hash: string;
  created_at: Generated<Date>;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

declare module "../db/schema" {
  interface DB {
    user_recovery_codes: UserRecoveryCodesTable;
  }
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A 160-bit secret, as RFC 4226 recommends (the library's own default is 80 bits). */
export function newTotpSecret(): string {
  return base32(crypto.randomBytes(20));
}

/** The secret in groups of four, for typing it into an app by hand. */
export function groupedSecret(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? "";
}

export function totpAuthUri(secret: string, issuer: string, accountName: string): string {
  return getTOTPAuthUri({ ...TOTP_SETTINGS, secret, issuer, accountName });
}

/** The issuer shown in the person's authenticator app. */
export const totpIssuer = (townName: string) => `Communa – ${townName}`;

/**
 * The QR code of an otpauth URI as a `data:` image (the CSP allows `img-src data:`). uqr draws
 * with presentation attributes only; an inline `style` attribute would break the CSP's
 * promise, so its absence is checked rather than assumed.
 */
export function qrCodeDataUri(uri: string): string {
  const svg = renderSVG(uri, { ecc: "M", border: 4 });
  if (/\sstyle\s*=/i.test(svg)) throw new Error("the QR code SVG carries a style attribute, which the CSP forbids");
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

export const currentStep = (now = Date.now()) => Math.floor(now / 1000 / TOTP_SETTINGS.period);

/** The current code of a secret (tests and the e2e journey compute what an app would show). */
export async function currentTotpCode(secret: string): Promise<string> {
  return (await generateTOTP({ ...TOTP_SETTINGS, secret })).otp;
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "invalid" | "replayed" };

/** A 6-digit code, ignoring spaces typed in the middle ("123 456"). */
export const looksLikeTotpCode = (input: string) => /^\d{6}$/.test(input.replace(/\s/g, ""));

/**
 * Checks a code against the secret, within ±TOTP_WINDOW steps, and refuses a step at or before
 * `lastStep` (the last one accepted for this account).
 */
export async function checkTotpCode(secret: string, input: string, lastStep: number | null): Promise<TotpCheck> {
  const otp = input.replace(/\s/g, "");
  if (!looksLikeTotpCode(otp)) return { ok: false, reason: "invalid" };
  for (;;) {
    // The library reads the clock itself, synchronously, when called: the step it matched is
    // known for sure only if the step did not turn between these two readings (else retry).
    const before = currentStep();
    const verifying = verifyTOTP({ ...TOTP_SETTINGS, otp, secret, window: TOTP_WINDOW });
    const after = currentStep();
    const result = await verifying;
    if (before !== after) continue;
    if (!result) return { ok: false, reason: "invalid" };
    const step = before + result.delta;
    if (lastStep !== null && step <= lastStep) return { ok: false, reason: "replayed" };
    return { ok: true, step };
  }
}

// Recovery codes: 10 characters without look-alikes (0/o, 1/l/i), shown as "abcde-fghjk".
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const normaliseRecoveryCode = (input: string) => input.toLowerCase().replace(/[^a-z0-9]/g, "");

function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[crypto.randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Replaces the account's recovery codes with fresh ones and returns them (their one showing). */
export async function replaceRecoveryCodes(tx: Tx, tenantId: string, userId: string): Promise<string[]> {
  await tx.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx
    .insertInto("user_recovery_codes")
    .values(codes.map((code) => ({ tenant_id: tenantId, user_id: userId, code_hash: hashToken(normaliseRecoveryCode(code)) })))
    .execute();
  return codes;
}

/** Uses a recovery code: true once, for an unused code of this account. */
async function useRecoveryCode(tx: Tx, userId: string, input: string): Promise<boolean> {
  const normalised = normaliseRecoveryCode(input);
  if (normalised.length !== 10) return false;
  const used = await tx
    .updateTable("user_recovery_codes")
    .set({ used_at: new Date() })
    .where("user_id", "=", userId)
    .where("code_hash", "=", hashToken(normalised))
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

export type TotpStatus = {
  enabledAt: Date | null;
  /** A secret generated for an enrolment not confirmed yet. */
  pendingSecret: string | null;
  recoveryCodesLeft: number;
};

export async function totpStatus(tx: Tx, userId: string): Promise<TotpStatus> {
  const row = await tx.selectFrom("users").select(["totp_secret", "totp_enabled_at"]).where("id", "=", userId).executeTakeFirstOrThrow();
  const left = await tx
    .selectFrom("user_recovery_codes")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return {
    enabledAt: row.totp_enabled_at,
    pendingSecret: row.totp_enabled_at === null ? row.totp_secret : null,
    recoveryCodesLeft: Number(left.n),
  };
}

/** Generates the secret of a new enrolment (replacing an unconfirmed one); null if already enabled. */
export async function startTotpEnrolment(tx: Tx, userId: string): Promise<string | null> {
  const secret = newTotpSecret();
  const updated = await tx
    .updateTable("users")
    .set({ totp_secret: secret, totp_last_step: null, updated_at: new Date() })
    .where("id", "=", userId)
    .where("totp_enabled_at", "is", null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1 ? secret : null;
}

export async function cancelTotpEnrolment(tx: Tx, userId: string) {
  await tx.updateTable("users").set({ totp_secret: null, totp_last_step: null }).where("id", "=", userId).where("totp_enabled_at", "is", null).execute();
}

export type EnrolmentResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: "noPending" | "invalid" | "replayed" };

/** Turns two-factor sign-in on once the person proves their app computes the right codes. */
export async function confirmTotpEnrolment(tx: Tx, tenantId: string, userId: string, code: string): Promise<EnrolmentResult> {
  const row = await tx.selectFrom("users").select(["totp_secret", "totp_enabled_at", "totp_last_step"]).where("id", "=", userId).forUpdate().executeTakeFirstOrThrow();
  if (row.totp_enabled_at !== null || row.totp_secret === null) return { ok: false, reason: "noPending" };
  const check = await checkTotpCode(row.totp_secret, code, row.totp_last_step === null ? null : Number(row.totp_last_step));
  if (!check.ok) return check;
  await tx.updateTable("users").set({ totp_enabled_at: new Date(), totp_last_step: check.step, updated_at: new Date() }).where("id", "=", userId).execute();
  return { ok: true, recoveryCodes: await replaceRecoveryCodes(tx, tenantId, userId) };
}

export async function disableTotp(tx: Tx, userId: string) {
  await tx.updateTable("users").set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: new Date() }).where("id", "=", userId).execute();
  await tx.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
}

export type SecondFactorResult = { ok: true; method: "totp" | "recovery" } | { ok: false; reason: "invalid" | "replayed" };

/**
 * Checks a code from the app (6 digits) or a recovery code for an account with two-factor
 * sign-in, and spends it: the step becomes the last one accepted, the recovery code is used.
 */
export async function useSecondFactor(tx: Tx, userId: string, input: string): Promise<SecondFactorResult> {
  const row = await tx.selectFrom("users").select(["totp_secret", "totp_enabled_at", "totp_last_step"]).where("id", "=", userId).forUpdate().executeTakeFirstOrThrow();
  if (row.totp_enabled_at === null || row.totp_secret === null) return { ok: false, reason: "invalid" };
  if (!looksLikeTotpCode(input)) return (await useRecoveryCode(tx, userId, input)) ? { ok: true, method: "recovery" } : { ok: false, reason: "invalid" };
  const check = await checkTotpCode(row.totp_secret, input, row.totp_last_step === null ? null : Number(row.totp_last_step));
  if (!check.ok) return check;
  await tx.updateTable("users").set({ totp_last_step: check.step }).where("id", "=", userId).execute();
  return { ok: true, method: "totp" };
}

export type GuardedResult<T> = { ok: true; value: T } | { ok: false; retryAt: Date | null; value: T | null };

/**
 * One guess of a secret (a code, a password), counted against the account and the client
 * address by the sign-in limiter: `check` returns its outcome and whether it succeeded.
 * Nothing is checked while the limiter refuses. The caller must *return* a failure (not
 * throw), so the recorded attempt is committed.
 */
export async function guardedAttempt<T>(
  tx: Tx,
  tenantId: string,
  keys: AttemptKeys,
  check: () => Promise<{ passed: boolean; value: T }>,
): Promise<GuardedResult<T>> {
  await lockAccountAttempts(tx, tenantId, keys.account);
  const blockedUntil = await attemptsBlockedUntil(tx, keys);
  if (blockedUntil) return { ok: false, retryAt: blockedUntil, value: null };
  const { passed, value } = await check();
  if (passed) return { ok: true, value };
  await recordFailedAttempt(tx, tenantId, keys);
  return { ok: false, retryAt: null, value };
}

export type PendingSignIn = { sessionId: string; userId: string; email: string; createdAt: Date };

/** The session of this cookie token if it is a sign-in waiting for its code, still in time. */
export async function pendingSignIn(tx: Tx, token: string): Promise<PendingSignIn | null> {
  const row = await tx
    .selectFrom("sessions as s")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "s.tenant_id").onRef("u.id", "=", "s.user_id"))
    .select(["s.id", "s.user_id", "s.created_at", "u.email"])
    .where("s.id", "=", hashToken(token))
    .where("s.awaiting_second_factor", "=", true)
    .where("s.revoked_at", "is", null)
    .where("s.created_at", ">", new Date(Date.now() - PENDING_SIGN_IN_MS))
    .where("u.deactivated_at", "is", null)
    .where("u.totp_enabled_at", "is not", null)
    .executeTakeFirst();
  return row ? { sessionId: row.id, userId: row.user_id, email: row.email, createdAt: row.created_at } : null;
}

export type SecondStepResult = { ok: true } | { ok: false; reason: "invalid" | "replayed" } | { ok: false; reason: "rateLimited"; retryAt: Date };

/**
 * The second step of a sign-in: a right code turns the waiting session into a real one
 * (proven now, for sensitive actions); a wrong one counts against the sign-in limits.
 */
export async function completeSignIn(tx: Tx, tenantId: string, pending: PendingSignIn, code: string, clientIp: string): Promise<SecondStepResult> {
  const keys = { account: pending.email.trim().toLowerCase(), address: clientIp };
  const result = await guardedAttempt(tx, tenantId, keys, async () => {
    const used = await useSecondFactor(tx, pending.userId, code);
    return { passed: used.ok, value: used };
  });
  if (!result.ok) {
    if (result.retryAt) return { ok: false, reason: "rateLimited", retryAt: result.retryAt };
    return { ok: false, reason: result.value?.ok === false ? result.value.reason : "invalid" };
  }
  // The password's success did not clear the account's failures (see signIn): the code's does.
  await clearAccountAttempts(tx, keys.account);
  await tx
    .updateTable("sessions")
    .set({ awaiting_second_factor: false, reauthenticated_at: new Date(), last_seen_at: new Date() })
    .where("id", "=", pending.sessionId)
    .where("awaiting_second_factor", "=", true)
    .execute();
  return { ok: true };
}
