// Operator sessions: stored in the database (revocable), looked up by the sha256 of the
// cookie token, under a cookie name of their own so a town's session cookie never counts.
// Shorter-lived than residents' sessions: an operator session reads every town's mail.
import type { Tx } from "../db/db.server";
import { hashToken, newToken } from "../auth/session.server";
import { cookieName, readCookie, serializeCookie } from "../http/cookies.server";

export const OPERATOR_SESSION_TTL_HOURS = 12;
const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

export const operatorCookieName = () => cookieName("communa_operator", true);

export type OperatorSession = {
  id: string;
  email: string;
  displayName: string;
  sessionId: string;
};

export function operatorTokenFrom(request: Request): string | undefined {
  const token = readCookie(request, operatorCookieName());
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}

export async function getOperatorSession(tx: Tx, token: string): Promise<OperatorSession | null> {
  const id = hashToken(token);
  const row = await tx
    .selectFrom("platform_operator_sessions as s")
    .innerJoin("platform_operators as o", "o.id", "s.operator_id")
    .select(["s.id as session_id", "s.last_seen_at", "o.id", "o.email", "o.display_name"])
    .where("s.id", "=", id)
    .where("s.revoked_at", "is", null)
    .where("s.expires_at", ">", new Date())
    .where("o.deactivated_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (Date.now() - row.last_seen_at.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await tx.updateTable("platform_operator_sessions").set({ last_seen_at: new Date() }).where("id", "=", id).execute();
  }
  return { id: row.id, email: row.email, displayName: row.display_name, sessionId: row.session_id };
}

/** A new session with a fresh id (never reuses the one presented); returns its Set-Cookie header. */
export async function createOperatorSession(
  tx: Tx,
  operatorId: string,
  meta: { ip?: string | null; userAgent?: string | null },
): Promise<string> {
  const token = newToken();
  const expires = new Date(Date.now() + OPERATOR_SESSION_TTL_HOURS * 3600 * 1000);
  await tx
    .insertInto("platform_operator_sessions")
    .values({
      id: hashToken(token),
      operator_id: operatorId,
      expires_at: expires,
      ip: meta.ip || null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return serializeCookie(operatorCookieName(), token, { expires });
}

export async function revokeOperatorSession(tx: Tx, sessionId: string) {
  await tx
    .updateTable("platform_operator_sessions")
    .set({ revoked_at: new Date() })
    .where("id", "=", sessionId)
    .where("revoked_at", "is", null)
    .execute();
}

export function clearOperatorCookie() {
  return serializeCookie(operatorCookieName(), "", { expires: new Date(0) });
}
