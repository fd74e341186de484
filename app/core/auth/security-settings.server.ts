// The town's security settings, changed by its staff at /admin/securite: whether staff must
// sign in with a TOTP code, and how long the audit log is kept. Stored as tenant overrides
// (app/core/tenant/settings.server.ts) and audited as `town.security`.
import { z } from "zod";
import { recordAudit, staffActor } from "../audit.server";
import type { Tx } from "../db/db.server";
import { AUDIT_RETENTION_DAYS, consoleSettingsOf, readConsoleSettings, saveTenantOverrides, type ConsoleSettings } from "../tenant/settings.server";
import type { SessionUser } from "./session.server";

export const securitySettingsSchema = z.object({
  // An unticked checkbox sends nothing.
  staffTwoFactorRequired: z.literal("on", { errorMap: () => ({ message: "common:form.errors.invalid" }) }).optional(),
  auditRetentionDays: z
    .string({ required_error: "security:errors.retentionRequired" })
    .trim()
    .regex(/^\d{1,6}$/, "security:errors.retentionInvalid")
    .transform(Number)
    .pipe(z.number().min(AUDIT_RETENTION_DAYS.min, "security:errors.retentionInvalid").max(AUDIT_RETENTION_DAYS.max, "security:errors.retentionInvalid")),
});

/** Read in the request's transaction, so the page shows what was just saved whatever the tenant cache holds. */
export const securitySettings = readConsoleSettings;

export type SaveSecurityResult = { ok: true; changed: boolean } | { ok: false; errors: Record<string, string> };

/**
 * Saves the settings and their audit entry. Making two-factor sign-in mandatory is refused to
 * a staff member who has not set it up: the rule would shut them out of the console at once.
 */
export async function saveSecuritySettings(
  tx: Tx,
  tenantId: string,
  actor: Pick<SessionUser, "id" | "email" | "displayName" | "twoFactorEnabled">,
  input: ConsoleSettings,
): Promise<SaveSecurityResult> {
  if (input.staffTwoFactorRequired && !actor.twoFactorEnabled) return { ok: false, errors: { staffTwoFactorRequired: "security:errors.enableOwnFirst" } };
  const current = await securitySettings(tx);
  if (current.staffTwoFactorRequired === input.staffTwoFactorRequired && current.auditRetentionDays === input.auditRetentionDays) return { ok: true, changed: false };
  const { before, after } = await saveTenantOverrides(tx, tenantId, {
    security: { staffTwoFactorRequired: input.staffTwoFactorRequired },
    audit: { retentionDays: input.auditRetentionDays },
  });
  await recordAudit(tx, { actor: staffActor(actor), action: "town.security", subject: { type: "town", id: "security" }, before: consoleSettingsOf(before), after: consoleSettingsOf(after) });
  return { ok: true, changed: true };
}

export type StaffTwoFactor = { id: string; displayName: string; email: string; twoFactorSince: Date | null };

/** The town's active staff accounts and whether each signs in with a code. */
export async function staffTwoFactorStatus(tx: Tx): Promise<StaffTwoFactor[]> {
  const rows = await tx
    .selectFrom("users as u")
    .select(["u.id", "u.display_name", "u.email", "u.totp_enabled_at"])
    .where("u.deactivated_at", "is", null)
    .where((eb) => eb.exists(eb.selectFrom("user_roles as r").select("r.user_id").whereRef("r.user_id", "=", "u.id").where("r.role", "=", "staff")))
    .orderBy("u.display_name")
    .orderBy("u.email")
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, email: r.email, twoFactorSince: r.totp_enabled_at }));
}

/** Whether the account holds the staff role (whatever the two-factor rule hides for now). */
export async function isStaffAccount(tx: Tx, userId: string): Promise<boolean> {
  const row = await tx.selectFrom("user_roles").select("user_id").where("user_id", "=", userId).where("role", "=", "staff").executeTakeFirst();
  return row !== undefined;
}
