// A town's modules as its staff change them in the console: switched on or off, and their
// settings. Each change marks the row `managed_by = 'console'` (so `npm run tenants:sync`
// leaves it alone from then on) and writes its audit entry in the same transaction. Callers
// run `invalidateTenantCache` after commit: the wrapper gates routes, and the shell builds
// the navigation, from the cached tenant context.
import type { Tx } from "../db/db.server";
import { recordAudit, type AuditEntry } from "../audit.server";
import { sameJson } from "../audit-log.server";
import type { ModuleManifest } from "./types";

export type StoredModule = { enabled: boolean; settings: Record<string, unknown> };

/** The module's row, locked until the transaction ends; null when the town never had it. */
async function lockModule(tx: Tx, moduleId: string): Promise<StoredModule | null> {
  const row = await tx.selectFrom("tenant_modules").select(["enabled", "settings"]).where("module_id", "=", moduleId).forUpdate().executeTakeFirst();
  return row ? { enabled: row.enabled, settings: row.settings ?? {} } : null;
}

export async function readStoredModule(tx: Tx, moduleId: string): Promise<StoredModule | null> {
  const row = await tx.selectFrom("tenant_modules").select(["enabled", "settings"]).where("module_id", "=", moduleId).executeTakeFirst();
  return row ? { enabled: row.enabled, settings: row.settings ?? {} } : null;
}

async function upsert(tx: Tx, tenantId: string, moduleId: string, state: StoredModule) {
  const settings = JSON.stringify(state.settings);
  await tx
    .insertInto("tenant_modules")
    .values({ tenant_id: tenantId, module_id: moduleId, enabled: state.enabled, settings, managed_by: "console" })
    .onConflict((oc) => oc.columns(["tenant_id", "module_id"]).doUpdateSet({ enabled: state.enabled, settings, managed_by: "console", updated_at: new Date() }))
    .execute();
}

export type EnableOutcome = { changed: boolean } | { refused: "invalidSettings" };

/**
 * Switches a module on or off. Asking for the state already in force changes and logs
 * nothing (a form submitted twice). A module is not switched on over settings its schema
 * refuses: its pages would fail on every request.
 */
export async function setModuleEnabled(
  tx: Tx,
  tenantId: string,
  manifest: ModuleManifest,
  enabled: boolean,
  actor: AuditEntry["actor"],
): Promise<EnableOutcome> {
  const current = await lockModule(tx, manifest.id);
  const before = current ?? { enabled: false, settings: {} };
  if (before.enabled === enabled) return { changed: false };
  if (enabled && !manifest.settings.safeParse(before.settings).success) return { refused: "invalidSettings" };
  await upsert(tx, tenantId, manifest.id, { ...before, enabled });
  await recordAudit(tx, {
    actor,
    action: enabled ? "module.enable" : "module.disable",
    subject: { type: "module", id: manifest.id },
    before: { enabled: before.enabled },
    after: { enabled },
  });
  return { changed: true };
}

/**
 * Replaces a module's settings with `settings` (already validated by its schema, defaults
 * filled in, so that the town keeps what its staff saw and saved even if a default changes
 * in a later version). An unchanged save logs nothing.
 */
export async function saveModuleSettings(
  tx: Tx,
  tenantId: string,
  moduleId: string,
  settings: Record<string, unknown>,
  actor: AuditEntry["actor"],
): Promise<{ changed: boolean }> {
  const current = await lockModule(tx, moduleId);
  const before = current ?? { enabled: false, settings: {} };
  // jsonb gives keys back in its own order: compare the values, not the texts.
  if (sameJson(before.settings, settings)) return { changed: false };
  await upsert(tx, tenantId, moduleId, { enabled: before.enabled, settings });
  await recordAudit(tx, { actor, action: "module.settings", subject: { type: "module", id: moduleId }, before: before.settings, after: settings });
  return { changed: true };
}

/** Whether each module the town has a row for is on (a module without a row is off). */
export async function listStoredModuleStates(tx: Tx): Promise<Map<string, boolean>> {
  const rows = await tx.selectFrom("tenant_modules").select(["module_id", "enabled"]).execute();
  return new Map(rows.map((r) => [r.module_id, r.enabled]));
}
