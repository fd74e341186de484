// Deletes personal data once the durations stated on each town's privacy page have passed.
// Run per tenant (inside its withTenant transaction) by a scheduled job.
import type { Tx } from "./db/db.server";
import { purgeExpiredAuditEntries } from "./audit-log.server";
import { ATTEMPT_WINDOW_MS } from "./auth/rate-limit.server";
import { SESSION_TTL_DAYS } from "./auth/session.server";

/** How long the copy of a sent email is kept (stated on the privacy page). */
export const EMAIL_RETENTION_DAYS = 365;
/** Used or expired single-use links carry nothing useful after a day. */
const TOKEN_GRACE_MS = 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export type PurgeCounts = { sessions: number; attempts: number; tokens: number; emails: number; audit: number };

export async function purgeExpiredPersonalData(tx: Tx, now: Date = new Date()): Promise<PurgeCounts> {
  const sessions = await tx
    .deleteFrom("sessions")
    .where("created_at", "<", new Date(now.getTime() - SESSION_TTL_DAYS * DAY_MS))
    .executeTakeFirst();
  const attempts = await tx
    .deleteFrom("auth_attempts")
    .where("attempted_at", "<", new Date(now.getTime() - ATTEMPT_WINDOW_MS))
    .executeTakeFirst();
  const tokens = await tx
    .deleteFrom("auth_tokens")
    .where((eb) =>
      eb.or([
        eb("expires_at", "<", new Date(now.getTime() - TOKEN_GRACE_MS)),
        eb("used_at", "<", new Date(now.getTime() - TOKEN_GRACE_MS)),
      ]),
    )
    .executeTakeFirst();
  const emails = await tx
    .deleteFrom("outbox_emails")
    .where("created_at", "<", new Date(now.getTime() - EMAIL_RETENTION_DAYS * DAY_MS))
    .executeTakeFirst();
  // The audit log is kept for the period the town's staff chose (security settings).
  const audit = await purgeExpiredAuditEntries(tx, now);
  return {
    sessions: Number(sessions.numDeletedRows),
    attempts: Number(attempts.numDeletedRows),
    tokens: Number(tokens.numDeletedRows),
    emails: Number(emails.numDeletedRows),
    audit,
  };
}
