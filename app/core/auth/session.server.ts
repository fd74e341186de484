// Database-backed sessions: revocable, rotated at sign-in, looked up by the hash of the
// cookie token so a copy of the table yields no usable session.
import crypto from "node:crypto";
import type { Tx } from "../db/db.server";
import { cookieName, readCookie, serializeCookie } from "../http/cookies.server";

export const SESSION_TTL_DAYS = 30;
const LAST_SEEN_RESOLUTION_MS = 10 * 60 * 1000;

export const sessionCookieName = () => cookieName("communa_session", true);

export type SessionUser = {
  id: string;
  email: string;
  displayName: string;
  locale: string | null;
  emailVerified: boolean;
  roles: { role: string; organisationId: string | null }[];
  sessionId: string;
  /** Last proof of the password in this session (sign-in or re-confirmation). */
  reauthenticatedAt: Date | null;
  /** The account signs in with a TOTP code after its password. */
  twoFactorEnabled: boolean;
};

export function hashToken(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function newToken() {
  return crypto.randomBytes(32).toString("base64url");
}

export function sessionTokenFrom(request: Request): string | undefined {
  const token = readCookie(request, sessionCookieName());
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}

export async function getSessionUser(tx: Tx, token: string): Promise<SessionUser | null> {
  const id = hashToken(token);
  const row = await tx
    .selectFrom("sessions as s")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "s.tenant_id").onRef("u.id", "=", "s.user_id"))
    .select(["s.id as session_id", "s.last_seen_at", "s.reauthenticated_at", "u.id", "u.email", "u.display_name", "u.locale", "u.email_verified_at", "u.totp_enabled_at"])
    .where("s.id", "=", id)
    .where("s.revoked_at", "is", null)
    .where("s.awaiting_second_factor", "=", false)
    .where("s.expires_at", ">", new Date())
    .where("u.deactivated_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const roles = await tx
    .selectFrom("user_roles")
    .select(["role", "organisation_id"])
    .where("user_id", "=", row.id)
    .execute();
  if (Date.now() - row.last_seen_at.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await tx.updateTable("sessions").set({ last_seen_at: new Date() }).where("id", "=", id).execute();
  }
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    locale: row.locale,
    emailVerified: row.email_verified_at !== null,
    roles: roles.map((r) => ({ role: r.role, organisationId: r.organisation_id })),
    sessionId: row.session_id,
    reauthenticatedAt: row.reauthenticated_at,
    twoFactorEnabled: row.totp_enabled_at !== null,
  };
}

/** Starts a new session (a fresh id on every sign-in) and returns its Set-Cookie header. */
export async function createSession(
  tx: Tx,
  tenantId: string,
  userId: string,
  meta: { ip?: string | null; userAgent?: string | null; awaitingSecondFactor?: boolean },
): Promise<string> {
  const token = newToken();
  const awaiting = meta.awaitingSecondFactor === true;
  const expires = new Date(Date.now() + SESSION_TTL_DAYS * 24 * 3600 * 1000);
  await tx
    .insertInto("sessions")
    .values({
      tenant_id: tenantId,
      id: hashToken(token),
      user_id: userId,
      expires_at: expires,
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      // The password was just proven; a session waiting for its TOTP code is proven when the code is.
      reauthenticated_at: awaiting ? null : new Date(),
      awaiting_second_factor: awaiting,
    })
    .execute();
  return serializeCookie(sessionCookieName(), token, { expires });
}

export async function revokeSession(tx: Tx, sessionId: string) {
  await tx.updateTable("sessions").set({ revoked_at: new Date() }).where("id", "=", sessionId).where("revoked_at", "is", null).execute();
}

export async function revokeAllSessions(tx: Tx, userId: string, exceptSessionId?: string) {
  let q = tx.updateTable("sessions").set({ revoked_at: new Date() }).where("user_id", "=", userId).where("revoked_at", "is", null);
  if (exceptSessionId) q = q.where("id", "<>", exceptSessionId);
  await q.execute();
}

export function clearSessionCookie() {
  return serializeCookie(sessionCookieName(), "", { expires: new Date(0) });
}

/**
 * Sign-in: the session the browser held (if any) is revoked and a new id is issued, so a
 * session id planted before sign-in is worth nothing after it.
 */
export async function rotateSession(
  tx: Tx,
  tenantId: string,
  userId: string,
  meta: { ip?: string | null; userAgent?: string | null; previousToken?: string; awaitingSecondFactor?: boolean },
): Promise<string> {
  if (meta.previousToken) await revokeSession(tx, hashToken(meta.previousToken));
  return createSession(tx, tenantId, userId, meta);
}

export async function listActiveSessions(tx: Tx, userId: string) {
  return tx
    .selectFrom("sessions")
    .select(["id", "created_at", "last_seen_at", "ip", "user_agent"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", new Date())
    .orderBy("last_seen_at", "desc")
    .execute();
}

/** Revokes one of the user's own sessions; false when it is not theirs or already ended. */
export async function revokeUserSession(tx: Tx, userId: string, sessionId: string): Promise<boolean> {
  const result = await tx
    .updateTable("sessions")
    .set({ revoked_at: new Date() })
    .where("id", "=", sessionId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records a fresh proof of the password (or of the TOTP code at sign-in) for this session. */
export async function markReauthenticated(tx: Tx, sessionId: string, at: Date = new Date()) {
  await tx.updateTable("sessions").set({ reauthenticated_at: at }).where("id", "=", sessionId).where("revoked_at", "is", null).execute();
}
