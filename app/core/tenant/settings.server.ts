// The town's settings changed by its staff in the console, stored in `tenant_settings`
// (a tenant table) over the definition the operator wrote in tenant.json (the platform table
// `tenants`, read-only to the app). Each top-level key replaces the definition's whole.
import { z } from "zod";
import type { Tx } from "../db/db.server";
import { tenantDefinitionSchema, type StoredTenantDefinition } from "./definition";

const definition = tenantDefinitionSchema.shape;

/** Defaults of the settings that exist only in the console. */
export const CONSOLE_DEFAULTS = {
  /** Staff accounts must sign in with a TOTP code. */
  staffTwoFactorRequired: false,
  /** How long console changes stay in the audit log (purged daily afterwards). */
  auditRetentionDays: 365,
} as const;

export const AUDIT_RETENTION_DAYS = { min: 90, max: 3650 } as const;

export const tenantOverridesSchema = z
  .object({
    name: definition.name.optional(),
    theme: z.object({ primary: definition.theme.shape.primary, accent: definition.theme.shape.accent }).strict().optional(),
    /** Set when staff uploaded a logo (stored in `tenant_assets`, key "logo"); `tenants:sync` then keeps it. */
    logo: z.object({ contentType: z.string(), uploadedAt: z.string() }).strict().optional(),
    map: definition.map.optional(),
    locales: definition.locales.optional(),
    timeZone: z.string().refine((tz) => definition.timeZone.safeParse(tz).success, "unknown IANA time zone").optional(),
    legal: definition.legal.optional(),
    accessibility: definition.accessibility.optional(),
    security: z.object({ staffTwoFactorRequired: z.boolean() }).strict().optional(),
    audit: z
      .object({ retentionDays: z.number().int().min(AUDIT_RETENTION_DAYS.min).max(AUDIT_RETENTION_DAYS.max) })
      .strict()
      .optional(),
  })
  .strict();

export type TenantOverrides = z.infer<typeof tenantOverridesSchema>;

export type ConsoleSettings = { staffTwoFactorRequired: boolean; auditRetentionDays: number };

/** The console-only settings the overrides hold, with their defaults. */
export function consoleSettingsOf(o: TenantOverrides): ConsoleSettings {
  return {
    staffTwoFactorRequired: o.security?.staffTwoFactorRequired ?? CONSOLE_DEFAULTS.staffTwoFactorRequired,
    auditRetentionDays: o.audit?.retentionDays ?? CONSOLE_DEFAULTS.auditRetentionDays,
  };
}

/**
 * The definition as it applies: the operator's, with the staff's changes over it. Stored
 * overrides that no longer validate (a field renamed since) are ignored rather than breaking
 * the portal.
 */
export function applyOverrides(
  stored: StoredTenantDefinition,
  raw: unknown,
): { definition: StoredTenantDefinition; console: ConsoleSettings; overrides: TenantOverrides } {
  const parsed = tenantOverridesSchema.safeParse(raw ?? {});
  const o: TenantOverrides = parsed.success ? parsed.data : {};
  const merged: StoredTenantDefinition = {
    ...stored,
    ...(o.name !== undefined && { name: o.name }),
    ...(o.theme && { theme: { ...stored.theme, ...o.theme } }),
    ...(o.map && { map: o.map }),
    ...(o.locales && { locales: o.locales }),
    ...(o.timeZone && { timeZone: o.timeZone }),
    ...(o.legal && { legal: o.legal }),
    ...(o.accessibility && { accessibility: o.accessibility }),
    hasLogo: stored.hasLogo || o.logo !== undefined,
  };
  return {
    definition: merged,
    console: consoleSettingsOf(o),
    overrides: o,
  };
}

export async function readTenantOverrides(tx: Tx): Promise<TenantOverrides> {
  const row = await tx.selectFrom("tenant_settings").select("overrides").executeTakeFirst();
  const parsed = tenantOverridesSchema.safeParse(row?.overrides ?? {});
  return parsed.success ? parsed.data : {};
}

/** Read in the request's transaction: what was just saved, whatever the tenant cache holds. */
export async function readConsoleSettings(tx: Tx): Promise<ConsoleSettings> {
  return consoleSettingsOf(await readTenantOverrides(tx));
}

export class TenantSettingsError extends Error {
  constructor(readonly issues: z.ZodIssue[]) {
    super(issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
}

/**
 * Replaces the given top-level settings (each one whole) and returns the settings before and
 * after, for the audit log. Throws TenantSettingsError when the result does not validate:
 * callers validate their form first and show field errors; this is the last lock. Call
 * `invalidateTenantCache()` after commit so this process shows the change at once.
 */
export async function saveTenantOverrides(
  tx: Tx,
  tenantId: string,
  patch: Partial<TenantOverrides>,
): Promise<{ before: TenantOverrides; after: TenantOverrides }> {
  // Serialises concurrent saves of the same town, each reading the other's result: the row
  // exists before it is locked, so even the first two saves cannot both start from nothing.
  await tx.insertInto("tenant_settings").values({ tenant_id: tenantId, overrides: "{}" }).onConflict((oc) => oc.column("tenant_id").doNothing()).execute();
  const row = await tx.selectFrom("tenant_settings").select("overrides").forUpdate().executeTakeFirst();
  const before = tenantOverridesSchema.safeParse(row?.overrides ?? {});
  const current: TenantOverrides = before.success ? before.data : {};
  const next = { ...current, ...patch };
  for (const key of Object.keys(next) as (keyof TenantOverrides)[]) if (next[key] === undefined) delete next[key];
  const parsed = tenantOverridesSchema.safeParse(next);
  if (!parsed.success) throw new TenantSettingsError(parsed.error.issues);
  await tx.updateTable("tenant_settings").set({ overrides: JSON.stringify(parsed.data), updated_at: new Date() }).execute();
  return { before: current, after: parsed.data };
}
