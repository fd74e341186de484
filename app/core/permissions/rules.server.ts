// A tenant's rules per role, stored as CASL JSON rules filed by module: `roles.rules` for the
// built-in and custom roles, `visitor_permissions.rules` for everyone. Every function runs in
// a transaction scoped to the tenant (`withTenant` or the wrapper's `tx`): row-level security
// keeps each town's roles its own, and the tenant is named in every statement as well.
import { sql } from "kysely";
import type { Tx } from "../db/db.server";
import { LOCALES, type Locale } from "../tenant/definition";
import { defaultRoleRules, effectiveRoleRules, isBuiltinRole, permissionCatalog, VISITOR, type StoredRoleRules } from "./catalog.server";
import type { PermissionRule } from "./declarations";
import { MAX_ROLE_LABEL, RoleDefinitionError } from "./errors";
import { assertValidRules } from "./validate.server";

const currentTenant = sql<string>`nullif(current_setting('app.tenant_id', true), '')::uuid`;

async function requireTenantScope(tx: Tx): Promise<string> {
  const { rows } = await sql<{ id: string | null }>`select ${currentTenant} as id`.execute(tx);
  if (!rows[0]?.id) throw new Error("permissions: the transaction is not scoped to a tenant");
  return rows[0].id;
}

/** Files rules under the module of their subject; every module gets an entry, empty or not. */
function fileByModule(rules: PermissionRule[]): StoredRoleRules {
  const catalog = permissionCatalog();
  const out: StoredRoleRules = Object.fromEntries(catalog.modules.map((m) => [m.id, []]));
  for (const rule of rules) out[catalog.subjects.get(rule.subject as string)!.module].push(rule);
  return out;
}

async function storedRules(tx: Tx, tenantId: string, role: string): Promise<StoredRoleRules | null> {
  if (role === VISITOR) {
    const row = await tx.selectFrom("visitor_permissions").select("rules").where("tenant_id", "=", tenantId).executeTakeFirst();
    return row?.rules ?? null;
  }
  const row = await tx.selectFrom("roles").select("rules").where("tenant_id", "=", tenantId).where("key", "=", role).executeTakeFirst();
  if (!row) throw new RoleDefinitionError("unknownRole", "role", role);
  return row.rules;
}

async function writeRules(tx: Tx, tenantId: string, role: string, stored: StoredRoleRules) {
  const rules = JSON.stringify(stored);
  if (role === VISITOR) {
    await tx
      .insertInto("visitor_permissions")
      .values({ tenant_id: tenantId, rules })
      .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ rules, updated_at: new Date() }))
      .execute();
    return;
  }
  const updated = await tx.updateTable("roles").set({ rules }).where("tenant_id", "=", tenantId).where("key", "=", role).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new RoleDefinitionError("unknownRole", "role", role);
}

/** The rules that apply to holders of `role` (or to everyone: `visitor`). Throws RoleDefinitionError on an unknown role. */
export async function getRoleRules(tx: Tx, role: string): Promise<PermissionRule[]> {
  const tenantId = await requireTenantScope(tx);
  return effectiveRoleRules(role, await storedRules(tx, tenantId, role));
}

/**
 * Replaces the role's rules after validating every one against the declarations; throws
 * PermissionRulesError (nothing written) naming each refused rule. Returns the rules as
 * stored (normalised: one subject per rule).
 */
export async function saveRoleRules(tx: Tx, role: string, rules: unknown): Promise<PermissionRule[]> {
  const valid = assertValidRules(rules);
  const tenantId = await requireTenantScope(tx);
  await writeRules(tx, tenantId, role, fileByModule(valid));
  return valid;
}

/** Back to the modules' defaults (none for a custom role). */
export async function resetRoleRules(tx: Tx, role: string): Promise<PermissionRule[]> {
  const tenantId = await requireTenantScope(tx);
  const defaults = defaultRoleRules(role);
  await writeRules(tx, tenantId, role, defaults);
  return effectiveRoleRules(role, defaults);
}

export const CUSTOM_ROLE_KEY = /^[a-z][a-z0-9_]{1,39}$/;

export type CustomRoleInput = {
  key: string;
  /** The role's name per language; French required. */
  labels: Partial<Record<string, string>>;
  /** Start from this role's current rules (built-in, custom or `visitor`) instead of none. */
  basedOn?: string;
};

function checkLabels(key: string, labels: Partial<Record<string, string>>): Record<Locale, string> {
  const out: Partial<Record<Locale, string>> = {};
  for (const [locale, raw] of Object.entries(labels)) {
    if (!(LOCALES as readonly string[]).includes(locale)) throw new RoleDefinitionError("unknownLocale", "labels", key);
    const label = (raw ?? "").trim();
    if (label.length > MAX_ROLE_LABEL) throw new RoleDefinitionError("labelTooLong", `labels.${locale}`, key);
    if (label) out[locale as Locale] = label;
  }
  if (!out.fr) throw new RoleDefinitionError("labelRequired", "labels.fr", key);
  return out as Record<Locale, string>;
}

/** A tenant's own role, e.g. "permanence volunteer". Throws RoleDefinitionError before any write. */
export async function createCustomRole(tx: Tx, input: CustomRoleInput): Promise<{ key: string; labels: Record<Locale, string>; rules: PermissionRule[] }> {
  const key = input.key.trim();
  if (key === VISITOR || isBuiltinRole(key)) throw new RoleDefinitionError("reservedKey", "key", key);
  if (!CUSTOM_ROLE_KEY.test(key)) throw new RoleDefinitionError("invalidKey", "key", key);
  const labels = checkLabels(key, input.labels);
  const tenantId = await requireTenantScope(tx);
  const rules = input.basedOn ? effectiveRoleRules(input.basedOn, await storedRules(tx, tenantId, input.basedOn)) : [];
  const inserted = await tx
    .insertInto("roles")
    .values({ tenant_id: tenantId, key, is_builtin: false, labels: JSON.stringify(labels), rules: JSON.stringify(fileByModule(rules)) })
    .onConflict((oc) => oc.columns(["tenant_id", "key"]).doNothing())
    .returning("key")
    .executeTakeFirst();
  if (!inserted) throw new RoleDefinitionError("keyTaken", "key", key);
  return { key, labels, rules };
}

/** Deletes a tenant's own role; its holders lose it (their grants go with it). Returns how many grants went. */
export async function deleteCustomRole(tx: Tx, key: string): Promise<{ revokedGrants: number }> {
  if (key === VISITOR || isBuiltinRole(key)) throw new RoleDefinitionError("builtinRole", "role", key);
  const tenantId = await requireTenantScope(tx);
  const grants = await tx.deleteFrom("user_roles").where("tenant_id", "=", tenantId).where("role", "=", key).executeTakeFirst();
  const deleted = await tx.deleteFrom("roles").where("tenant_id", "=", tenantId).where("key", "=", key).where("is_builtin", "=", false).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw new RoleDefinitionError("unknownRole", "role", key);
  return { revokedGrants: Number(grants.numDeletedRows) };
}

/** What the ability of one request needs, read in one statement. */
export type RequestRules = {
  /** Effective rules per role key, `visitor` included. */
  byRole: Map<string, PermissionRule[]>;
  /** The user's neighbourhood, for the "in their neighbourhood" condition. */
  neighbourhood: string | null;
};

export async function loadRequestRules(tx: Tx, roleKeys: readonly string[], userId: string | null): Promise<RequestRules> {
  const { rows } = await sql<{ kind: "role" | "visitor" | "user"; key: string | null; rules: StoredRoleRules | null; neighbourhood: string | null }>`
    select 'role' as kind, r.key, r.rules, null::text as neighbourhood
      from roles r where r.tenant_id = ${currentTenant} and r.key = any(${[...roleKeys]}::text[])
    union all
    select 'visitor', null, v.rules, null from visitor_permissions v where v.tenant_id = ${currentTenant}
    union all
    select 'user', null, null, u.neighbourhood from users u where u.tenant_id = ${currentTenant} and u.id = ${userId}::uuid`.execute(tx);
  const byRole = new Map<string, PermissionRule[]>();
  let visitor: StoredRoleRules | null = null;
  let neighbourhood: string | null = null;
  for (const row of rows) {
    if (row.kind === "role") byRole.set(row.key!, effectiveRoleRules(row.key!, row.rules));
    else if (row.kind === "visitor") visitor = row.rules;
    else neighbourhood = row.neighbourhood;
  }
  byRole.set(VISITOR, effectiveRoleRules(VISITOR, visitor));
  return { byRole, neighbourhood };
}
