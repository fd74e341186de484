// What the operator console reads about the towns. The list of tenants comes from the
// platform table; everything inside a town (modules, accounts, activity, mail) is read
// through withTenant, one town at a time, so row-level security still applies.
import type { Tx, withTenant as WithTenant } from "../db/db.server";
import type { StoredTenantDefinition } from "../tenant/definition";
import { applyOverrides } from "../tenant/settings.server";

export type OperatorTenantSummary = {
  id: string;
  slug: string;
  name: string;
  hosts: string[];
  status: "active" | "suspended";
  timeZone: string;
  enabledModules: string[];
  activeAccounts: number;
  /** Latest of the last session activity, the last event and the last change in the audit log; null if none yet. */
  lastActivityAt: Date | null;
};

export type OperatorTenant = { id: string; slug: string; name: string; timeZone: string; status: "active" | "suspended"; hosts: string[] };

const latest = (...dates: Array<Date | null>) =>
  dates.reduce<Date | null>((max, d) => (d && (!max || d > max) ? d : max), null);

export async function listTenantsForOperator(tx: Tx, withTenant: typeof WithTenant): Promise<OperatorTenantSummary[]> {
  const tenants = await tx.selectFrom("tenants").select(["id", "slug", "name", "hosts", "status", "definition"]).orderBy("name").execute();
  const out: OperatorTenantSummary[] = [];
  // One town at a time: a handful of short transactions, never one reaching several towns.
  for (const tenant of tenants) {
    const facts = await withTenant(tenant.id, async (ttx) => {
      const modules = await ttx.selectFrom("tenant_modules").select("module_id").where("enabled", "=", true).orderBy("module_id").execute();
      const row = await ttx
        .selectNoFrom((eb) => [
          eb.selectFrom("users").select(eb.fn.countAll<string>().as("n")).where("deactivated_at", "is", null).as("accounts"),
          eb.selectFrom("sessions").select((s) => s.fn.max("last_seen_at").as("d")).as("last_session"),
          eb.selectFrom("core_events").select((e) => e.fn.max("occurred_at").as("d")).as("last_event"),
          eb.selectFrom("audit_log").select((e) => e.fn.max("occurred_at").as("d")).as("last_change"),
        ])
        .executeTakeFirstOrThrow();
      const settings = await ttx.selectFrom("tenant_settings").select("overrides").executeTakeFirst();
      return { modules: modules.map((m) => m.module_id), overrides: settings?.overrides, ...row };
    });
    // The name and time zone as the town shows them, its staff's changes included.
    const { definition } = applyOverrides(tenant.definition as StoredTenantDefinition, facts.overrides);
    out.push({
      id: tenant.id,
      slug: tenant.slug,
      name: definition.name,
      hosts: tenant.hosts,
      status: tenant.status,
      timeZone: definition.timeZone,
      enabledModules: facts.modules,
      activeAccounts: Number(facts.accounts ?? 0),
      lastActivityAt: latest(toDate(facts.last_session), toDate(facts.last_event), toDate(facts.last_change)),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

export async function findTenantBySlug(tx: Tx, slug: string): Promise<OperatorTenant | null> {
  const row = await tx
    .selectFrom("tenants")
    .select(["id", "slug", "name", "definition", "status", "hosts"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    timeZone: (row.definition as StoredTenantDefinition).timeZone,
    status: row.status,
    hosts: row.hosts,
  };
}
