// Accounts of one tenant: sign-up, email verification, sign-in, password reset, changes of
// name, address and password. Every function runs in the caller's tenant transaction; the
// routes in app/routes only validate input and shape responses.
import type { Tx } from "../db/db.server";
import { tenantOrigin } from "../http/urls.server";
import type { RouteContext } from "../route.server";
import { queueEmail, type MailContext } from "../email/outbox.server";
import { isLocale } from "../i18n/i18n.server";
import type { Locale } from "../tenant/definition";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password.server";
import {
  accountKey,
  attemptsBlockedUntil,
  clearAccountAttempts,
  lockAccountAttempts,
  recordFailedAttempt,
  type AttemptKeys,
} from "./rate-limit.server";
import { revokeAllSessions, rotateSession, sessionTokenFrom } from "./session.server";
import { consumeToken, issueToken, voidTokens } from "./tokens.server";

export type AccountEnv = MailContext & {
  /** Language of the person acting (emails they trigger for themselves). */
  locale: Locale;
  /** Scheme and host of the tenant, for links in emails. */
  origin: string;
};

export type ClientMeta = { ip: string; userAgent: string | null; previousToken?: string };

const normaliseEmail = (email: string) => email.trim().toLowerCase();
const localeOf = (stored: string | null, fallback: Locale): Locale => (isLocale(stored) ? stored : fallback);

async function findUserByEmail(tx: Tx, email: string) {
  return tx
    .selectFrom("users")
    .select(["id", "email", "display_name", "password_hash", "locale", "deactivated_at", "email_verified_at", "totp_enabled_at"])
    .where("email", "=", normaliseEmail(email))
    .executeTakeFirst();
}

async function findUser(tx: Tx, id: string) {
  return tx
    .selectFrom("users")
    .select(["id", "email", "display_name", "password_hash", "locale", "deactivated_at", "email_verified_at", "totp_enabled_at"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Sends a link that confirms the account's current address. */
export async function sendVerificationEmail(env: AccountEnv, user: { id: string; email: string; displayName: string }) {
  const token = await issueToken(env.tx, env.tenant.id, user.id, "verify_email", user.email);
  await queueEmail(env, {
    to: user.email,
    template: "verifyEmail",
    locale: env.locale,
    vars: { name: user.displayName, url: `${env.origin}/verifier-email?token=${token}` },
  });
}

export type SignUpInput = { email: string; displayName: string; password: string };

/**
 * Creates a resident account and mails a verification link. For an address that already
 * has an account, that address gets a mail instead and the caller shows the same outcome,
 * so the form does not tell who has an account here.
 */
export async function signUp(env: AccountEnv, input: SignUpInput): Promise<{ created: true; userId: string } | { created: false }> {
  const email = normaliseEmail(input.email);
  // Hash first in both branches: the time taken does not tell either.
  const passwordHash = await hashPassword(input.password);
  const inserted = await env.tx
    .insertInto("users")
    .values({ tenant_id: env.tenant.id, email, display_name: input.displayName.trim(), password_hash: passwordHash, locale: env.locale })
    .onConflict((oc) => oc.columns(["tenant_id", "email"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) {
    const existing = await findUserByEmail(env.tx, email);
    if (existing && !existing.deactivated_at) {
      await queueEmail(env, {
        to: existing.email,
        template: "accountExists",
        locale: localeOf(existing.locale, env.locale),
        vars: { signInUrl: `${env.origin}/connexion`, resetUrl: `${env.origin}/mot-de-passe-oublie` },
      });
    }
    return { created: false };
  }
  await env.tx.insertInto("user_roles").values({ tenant_id: env.tenant.id, user_id: inserted.id, role: "resident" }).execute();
  await sendVerificationEmail(env, { id: inserted.id, email, displayName: input.displayName.trim() });
  return { created: true, userId: inserted.id };
}

export type EmailLinkOutcome = "verified" | "emailChanged" | "emailTaken" | "expired" | "used" | "invalid";

/** Applies a link from /verifier-email: confirms the address, or switches to a new one. */
export async function applyEmailLink(env: AccountEnv, token: string): Promise<EmailLinkOutcome> {
  const check = await consumeToken(env.tx, token, ["verify_email", "change_email"]);
  if (check.status !== "valid") return check.status;
  const user = await findUser(env.tx, check.userId);
  if (!user || user.deactivated_at || !check.newEmail) return "invalid";
  if (check.purpose === "verify_email") {
    // The link confirms the address it was sent to; the account may have changed since.
    if (normaliseEmail(user.email) !== normaliseEmail(check.newEmail)) return "invalid";
    if (!user.email_verified_at) {
      await env.tx.updateTable("users").set({ email_verified_at: new Date(), updated_at: new Date() }).where("id", "=", user.id).execute();
    }
    return "verified";
  }
  const newEmail = normaliseEmail(check.newEmail);
  const taken = await env.tx.selectFrom("users").select("id").where("email", "=", newEmail).where("id", "<>", user.id).executeTakeFirst();
  if (taken) return "emailTaken";
  await env.tx
    .updateTable("users")
    .set({ email: newEmail, email_verified_at: new Date(), updated_at: new Date() })
    .where("id", "=", user.id)
    .execute();
  await voidTokens(env.tx, user.id, ["change_email", "verify_email"]);
  await queueEmail(env, {
    to: user.email,
    template: "emailChanged",
    locale: localeOf(user.locale, env.locale),
    vars: { name: user.display_name, newEmail },
  });
  return "emailChanged";
}

type PasswordCheck = { ok: true } | { ok: false; retryAt: Date | null };

/** One password guess, counted against the account and the client address. */
export async function guardedPasswordCheck(
  tx: Tx,
  tenantId: string,
  keys: AttemptKeys,
  passwordHash: string | null,
  password: string,
): Promise<PasswordCheck> {
  await lockAccountAttempts(tx, tenantId, keys.account);
  const blockedUntil = await attemptsBlockedUntil(tx, keys);
  if (blockedUntil) return { ok: false, retryAt: blockedUntil };
  const ok = passwordHash ? await verifyPassword(passwordHash, password) : (await burnPasswordCheck(password), false);
  if (ok) return { ok: true };
  await recordFailedAttempt(tx, tenantId, keys);
  return { ok: false, retryAt: null };
}

export type SignInResult =
  /** `secondFactor`: the session waits for the TOTP code (/connexion/code) and grants nothing yet. */
  | { ok: true; userId: string; cookie: string; secondFactor: boolean }
  | { ok: false; reason: "invalid" | "deactivated" }
  | { ok: false; reason: "rateLimited"; retryAt: Date };

/**
 * Checks the credentials within the limits of auth_attempts and opens a fresh session.
 * The caller must *return* (not throw) a failure, so the recorded attempt is committed.
 */
export async function signIn(env: Pick<AccountEnv, "tx" | "tenant">, input: { email: string; password: string }, meta: ClientMeta): Promise<SignInResult> {
  const keys = { account: accountKey(input.email), address: meta.ip };
  const user = await findUserByEmail(env.tx, input.email);
  const check = await guardedPasswordCheck(env.tx, env.tenant.id, keys, user?.password_hash ?? null, input.password);
  if (!check.ok) return check.retryAt ? { ok: false, reason: "rateLimited", retryAt: check.retryAt } : { ok: false, reason: "invalid" };
  if (!user) return { ok: false, reason: "invalid" };
  if (user.deactivated_at) return { ok: false, reason: "deactivated" };
  const secondFactor = user.totp_enabled_at !== null;
  // With two-factor sign-in the code clears the failures (app/core/auth/totp.server.ts): were
  // the password to clear them, someone who knows it could guess codes without ever locking.
  if (!secondFactor) await clearAccountAttempts(env.tx, keys.account);
  const cookie = await rotateSession(env.tx, env.tenant.id, user.id, { ...meta, awaitingSecondFactor: secondFactor });
  return { ok: true, userId: user.id, cookie, secondFactor };
}

/** Mails a reset link if an active account has this address; silent otherwise. */
export async function requestPasswordReset(env: AccountEnv, email: string) {
  const user = await findUserByEmail(env.tx, email);
  if (!user || user.deactivated_at) return;
  const token = await issueToken(env.tx, env.tenant.id, user.id, "reset_password");
  await queueEmail(env, {
    to: user.email,
    template: "resetPassword",
    locale: localeOf(user.locale, env.locale),
    vars: { name: user.display_name, url: `${env.origin}/reinitialiser-mot-de-passe?token=${token}` },
  });
}

export type ResetResult = { ok: true; userId: string; cookie: string; awaitingSecondFactor: boolean } | { ok: false; reason: "expired" | "used" | "invalid" };

/**
 * Sets a new password from a reset link: every session of the account ends (whoever held
 * one), and the person who clicked gets a fresh one. The link also proves the mailbox.
 */
export async function resetPassword(env: Pick<AccountEnv, "tx" | "tenant">, token: string, password: string, meta: ClientMeta): Promise<ResetResult> {
  const check = await consumeToken(env.tx, token, ["reset_password"]);
  if (check.status !== "valid") return { ok: false, reason: check.status };
  const user = await findUser(env.tx, check.userId);
  if (!user || user.deactivated_at) return { ok: false, reason: "invalid" };
  const now = new Date();
  await env.tx
    .updateTable("users")
    .set({ password_hash: await hashPassword(password), email_verified_at: user.email_verified_at ?? now, updated_at: now })
    .where("id", "=", user.id)
    .execute();
  await voidTokens(env.tx, user.id, ["reset_password"]);
  await revokeAllSessions(env.tx, user.id);
  // A reset link proves the mailbox, not the phone: with two-factor sign-in the new session
  // still waits for the code, and only the code clears the failures (as in signIn).
  const secondFactor = user.totp_enabled_at !== null;
  if (!secondFactor) await clearAccountAttempts(env.tx, accountKey(user.email));
  const cookie = await rotateSession(env.tx, env.tenant.id, user.id, { ...meta, awaitingSecondFactor: secondFactor });
  return { ok: true, userId: user.id, cookie, awaitingSecondFactor: secondFactor };
}

export async function changeDisplayName(tx: Tx, userId: string, displayName: string) {
  await tx.updateTable("users").set({ display_name: displayName.trim(), updated_at: new Date() }).where("id", "=", userId).execute();
}

/** A field error (i18n key) or a lock-out, for the account forms that ask for the password. */
export type ChangeResult = { ok: true } | { ok: false; errors: Record<string, string> } | { ok: false; retryAt: Date };

type Actor = { id: string; email: string; displayName: string; sessionId: string };

/**
 * Mails a confirmation link to the NEW address; nothing changes until it is clicked. The
 * current password is asked, so a borrowed session cannot take the account over.
 */
export async function requestEmailChange(
  env: AccountEnv,
  actor: Actor,
  input: { newEmail: string; password: string },
  clientIp: string,
): Promise<ChangeResult> {
  const user = await findUser(env.tx, actor.id);
  if (!user) return { ok: false, errors: { password: "auth:errors.currentPasswordWrong" } };
  const check = await guardedPasswordCheck(env.tx, env.tenant.id, { account: accountKey(user.email), address: clientIp }, user.password_hash, input.password);
  if (!check.ok) return check.retryAt ? { ok: false, retryAt: check.retryAt } : { ok: false, errors: { password: "auth:errors.currentPasswordWrong" } };
  const newEmail = normaliseEmail(input.newEmail);
  if (newEmail === normaliseEmail(user.email)) return { ok: false, errors: { newEmail: "auth:errors.sameEmail" } };
  const taken = await env.tx.selectFrom("users").select("id").where("email", "=", newEmail).executeTakeFirst();
  if (taken) return { ok: false, errors: { newEmail: "auth:errors.emailTaken" } };
  await voidTokens(env.tx, user.id, ["change_email"]);
  const token = await issueToken(env.tx, env.tenant.id, user.id, "change_email", newEmail);
  await queueEmail(env, {
    to: newEmail,
    template: "changeEmail",
    locale: env.locale,
    vars: { name: user.display_name, newEmail, url: `${env.origin}/verifier-email?token=${token}` },
  });
  return { ok: true };
}

/** The address waiting for confirmation, if a change is under way. */
export async function pendingEmailChange(tx: Tx, userId: string): Promise<string | null> {
  const row = await tx
    .selectFrom("auth_tokens")
    .select("new_email")
    .where("user_id", "=", userId)
    .where("purpose", "=", "change_email")
    .where("used_at", "is", null)
    .where("expires_at", ">", new Date())
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return row?.new_email ?? null;
}

/** Changes the password; every other session of the account ends. */
export async function changePassword(
  env: Pick<AccountEnv, "tx" | "tenant">,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  clientIp: string,
): Promise<ChangeResult> {
  const user = await findUser(env.tx, actor.id);
  if (!user) return { ok: false, errors: { currentPassword: "auth:errors.currentPasswordWrong" } };
  const check = await guardedPasswordCheck(env.tx, env.tenant.id, { account: accountKey(user.email), address: clientIp }, user.password_hash, input.currentPassword);
  if (!check.ok) return check.retryAt ? { ok: false, retryAt: check.retryAt } : { ok: false, errors: { currentPassword: "auth:errors.currentPasswordWrong" } };
  await env.tx
    .updateTable("users")
    .set({ password_hash: await hashPassword(input.newPassword), updated_at: new Date() })
    .where("id", "=", user.id)
    .execute();
  await revokeAllSessions(env.tx, user.id, actor.sessionId);
  await voidTokens(env.tx, user.id, ["reset_password"]);
  return { ok: true };
}

/** What the account functions need from a loader's or action's context. */
export function accountEnv(ctx: Pick<RouteContext, "tx" | "tenant" | "afterCommit" | "locale" | "request">): AccountEnv {
  return { tx: ctx.tx, tenant: ctx.tenant, afterCommit: ctx.afterCommit, locale: ctx.locale, origin: tenantOrigin(ctx.request, ctx.tenant) };
}

export function clientMeta(ctx: Pick<RouteContext, "request" | "context">): ClientMeta {
  return {
    ip: ctx.context.clientIp,
    userAgent: ctx.request.headers.get("user-agent"),
    previousToken: sessionTokenFrom(ctx.request),
  };
}
