// Resolves the tenant from the Host header, once per request, with a short in-process cache.
import { withPlatform, withTenant } from "../db/db.server";
import { moduleRegistry } from "../modules/registry.server";
import type { Locale, StoredTenantDefinition } from "./definition";
import { applyOverrides, type ConsoleSettings } from "./settings.server";

export type TenantModuleState = { enabled: boolean; settings: Record<string, unknown> };

export type TenantContext = {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  hosts: string[];
  definition: StoredTenantDefinition;
  modules: Record<string, TenantModuleState>;
  defaultLocale: Locale;
  locales: Locale[];
  timeZone: string;
  /** Settings that exist only in the staff console (two-factor rule, audit retention). */
  console: ConsoleSettings;
};

const TTL_MS = 5_000;
const cache = new Map<string, { value: TenantContext | null; expires: number }>();

export function hostOf(request: Request): string {
  const raw = request.headers.get("host") ?? new URL(request.url).host;
  return raw.replace(/:\d+$/, "").replace(/\.$/, "").toLowerCase();
}

async function loadTenant(host: string): Promise<TenantContext | null> {
  const row = await withPlatform((tx) =>
    tx
      .selectFrom("tenants")
      .select(["id", "slug", "name", "status", "hosts", "definition"])
      .where((eb) => eb(eb.val(host), "=", eb.fn.any("hosts")))
      .executeTakeFirst(),
  );
  if (!row) return null;
  const [moduleRows, settingsRow] = await withTenant(row.id, (tx) =>
    Promise.all([
      tx.selectFrom("tenant_modules").select(["module_id", "enabled", "settings"]).execute(),
      tx.selectFrom("tenant_settings").select("overrides").executeTakeFirst(),
    ]),
  );
  // The staff's settings over the operator's definition.
  const { definition, console: consoleSettings } = applyOverrides(row.definition as StoredTenantDefinition, settingsRow?.overrides);
  const modules: Record<string, TenantModuleState> = {};
  for (const r of moduleRows) {
    // A module removed from the code base stays in the table but is simply unknown here.
    if (moduleRegistry.has(r.module_id)) modules[r.module_id] = { enabled: r.enabled, settings: r.settings };
  }
  return {
    id: row.id,
    slug: row.slug,
    name: definition.name,
    status: row.status,
    hosts: row.hosts,
    definition,
    modules,
    defaultLocale: definition.locales.default,
    locales: definition.locales.enabled,
    timeZone: definition.timeZone,
    console: consoleSettings,
  };
}

export async function resolveTenant(host: string): Promise<TenantContext | null> {
  const hit = cache.get(host);
  if (hit && hit.expires > Date.now()) return hit.value;
  const value = await loadTenant(host);
  cache.set(host, { value, expires: Date.now() + TTL_MS });
  return value;
}

/** Call after changing a tenant or its modules so this process sees it at once. */
export function invalidateTenantCache() {
  cache.clear();
}

export function isModuleEnabled(tenant: TenantContext, moduleId: string): boolean {
  return tenant.modules[moduleId]?.enabled === true;
}
