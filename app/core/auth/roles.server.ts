// Roles held by accounts of one tenant. Every function runs inside a transaction scoped to
// the tenant (`withTenant`, or the wrapper's `tx`): a user, role or organisation of another
// tenant is simply not found. The tenant id is also named explicitly in every statement, so
// the same code stays scoped when it runs on an owner connection that bypasses RLS.
import { sql } from "kysely";
import type { TFunction } from "i18next";
import type { Tx } from "../db/db.server";
import { BUILTIN_ROLES } from "../modules/types";

/** Roles that only make sense attached to an organisation (the database checks it too). */
export const ORGANISATION_ROLES: readonly string[] = ["association_member", "association_manager"];

export type RoleErrorCode = "unknownRole" | "unknownUser" | "organisationRequired" | "unknownOrganisation";

/** A refused assignment; `key` is an i18n key of the `roles` namespace, `field` the input at fault. */
export class RoleAssignmentError extends Error {
  readonly key: `roles:errors.${RoleErrorCode}`;
  constructor(
    readonly code: RoleErrorCode,
    readonly field: "role" | "userId" | "organisationId",
    readonly role: string,
  ) {
    super(`role assignment refused: ${code} (role ${role})`);
    this.key = `roles:errors.${code}`;
  }

  /** The message in the reader's language, with the role's translated name. */
  translate(t: TFunction): string {
    return t(this.key, { role: t(`roles:labels.${this.role}`, { defaultValue: this.role }) });
  }
}

export type RoleGrant = { userId: string; role: string; organisationId?: string | null };

export type TenantRole = { key: string; isBuiltin: boolean; labels: Record<string, string>; needsOrganisation: boolean };

export type HeldRole = { id: string; role: string; organisationId: string | null; organisationName: string | null; grantedAt: Date };

const currentTenant = sql<string>`nullif(current_setting('app.tenant_id', true), '')::uuid`;

async function requireTenantScope(tx: Tx): Promise<string> {
  const { rows } = await sql<{ id: string | null }>`select ${currentTenant} as id`.execute(tx);
  if (!rows[0]?.id) throw new Error("roles: the transaction is not scoped to a tenant");
  return rows[0].id;
}

async function checkGrant(tx: Tx, tenantId: string, grant: RoleGrant): Promise<string | null> {
  const role = await tx.selectFrom("roles").select("key").where("tenant_id", "=", tenantId).where("key", "=", grant.role).executeTakeFirst();
  if (!role) throw new RoleAssignmentError("unknownRole", "role", grant.role);
  const user = await tx.selectFrom("users").select("id").where("tenant_id", "=", tenantId).where("id", "=", grant.userId).executeTakeFirst();
  if (!user) throw new RoleAssignmentError("unknownUser", "userId", grant.role);
  const organisationId = grant.organisationId ?? null;
  if (organisationId === null) {
    if (ORGANISATION_ROLES.includes(grant.role)) throw new RoleAssignmentError("organisationRequired", "organisationId", grant.role);
    return null;
  }
  const organisation = await tx
    .selectFrom("organisations")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", organisationId)
    .executeTakeFirst();
  if (!organisation) throw new RoleAssignmentError("unknownOrganisation", "organisationId", grant.role);
  return organisationId;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertIds(grant: RoleGrant) {
  // A malformed id from a form would make PostgreSQL fail the whole transaction.
  if (!UUID.test(grant.userId)) throw new RoleAssignmentError("unknownUser", "userId", grant.role);
  if (grant.organisationId && !UUID.test(grant.organisationId)) throw new RoleAssignmentError("unknownOrganisation", "organisationId", grant.role);
}

/**
 * Gives `role` to the user (for `organisationId` when given). Holding it already is not an
 * error: the existing grant is returned. Throws RoleAssignmentError before any write.
 */
export async function assignRole(tx: Tx, grant: RoleGrant): Promise<{ id: string; created: boolean }> {
  assertIds(grant);
  const tenantId = await requireTenantScope(tx);
  const organisationId = await checkGrant(tx, tenantId, grant);
  const inserted = await tx
    .insertInto("user_roles")
    .values({ tenant_id: tenantId, user_id: grant.userId, role: grant.role, organisation_id: organisationId })
    .onConflict((oc) => oc.columns(["tenant_id", "user_id", "role", "organisation_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await tx
    .selectFrom("user_roles")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", grant.userId)
    .where("role", "=", grant.role)
    .where((eb) => (organisationId === null ? eb("organisation_id", "is", null) : eb("organisation_id", "=", organisationId)))
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** Takes `role` (for that organisation, or the one without organisation) away; false when not held. */
export async function removeRole(tx: Tx, grant: RoleGrant): Promise<boolean> {
  if (!UUID.test(grant.userId) || (grant.organisationId && !UUID.test(grant.organisationId))) return false;
  const tenantId = await requireTenantScope(tx);
  const organisationId = grant.organisationId ?? null;
  const removed = await tx
    .deleteFrom("user_roles")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", grant.userId)
    .where("role", "=", grant.role)
    .where((eb) => (organisationId === null ? eb("organisation_id", "is", null) : eb("organisation_id", "=", organisationId)))
    .executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}

/** The tenant's roles: built-in ones in their usual order, then the tenant's own by key. */
export async function listRoles(tx: Tx): Promise<TenantRole[]> {
  const tenantId = await requireTenantScope(tx);
  const rows = await tx.selectFrom("roles").select(["key", "is_builtin", "labels"]).where("tenant_id", "=", tenantId).orderBy("key").execute();
  const rank = (key: string) => {
    const i = (BUILTIN_ROLES as readonly string[]).indexOf(key);
    return i === -1 ? BUILTIN_ROLES.length : i;
  };
  rows.sort((a, b) => rank(a.key) - rank(b.key));
  return rows.map((r) => ({ key: r.key, isBuiltin: r.is_builtin, labels: r.labels, needsOrganisation: ORGANISATION_ROLES.includes(r.key) }));
}

/** The roles a user holds, with the name of the organisation each one is attached to. */
export async function rolesOfUser(tx: Tx, userId: string): Promise<HeldRole[]> {
  if (!UUID.test(userId)) return [];
  const tenantId = await requireTenantScope(tx);
  const rows = await tx
    .selectFrom("user_roles as ur")
    .leftJoin("organisations as o", (j) => j.onRef("o.tenant_id", "=", "ur.tenant_id").onRef("o.id", "=", "ur.organisation_id"))
    .select(["ur.id", "ur.role", "ur.organisation_id", "o.name as organisation_name", "ur.granted_at"])
    .where("ur.tenant_id", "=", tenantId)
    .where("ur.user_id", "=", userId)
    .orderBy("ur.granted_at")
    .orderBy("ur.role")
    .execute();
  return rows.map((r) => ({ id: r.id, role: r.role, organisationId: r.organisation_id, organisationName: r.organisation_name, grantedAt: r.granted_at }));
}

/**
 * A role's name for people: the translation of a built-in role, else the label the town gave
 * its own role in that language (or in French, or in any), else its key.
 */
export function roleLabel(t: (key: string, options?: { defaultValue: string }) => string, locale: string, role: Pick<TenantRole, "key" | "isBuiltin" | "labels">): string {
  if (role.isBuiltin) return t(`roles:labels.${role.key}`, { defaultValue: role.key });
  return role.labels[locale] || role.labels.fr || Object.values(role.labels)[0] || role.key;
}

/** roleLabel of a role known by its key only. */
export async function roleDisplayName(tx: Tx, key: string, locale: string, t: (key: string, options?: { defaultValue: string }) => string): Promise<string> {
  const row = await tx.selectFrom("roles").select(["is_builtin", "labels"]).where("key", "=", key).executeTakeFirst();
  return roleLabel(t, locale, { key, isBuiltin: row?.is_builtin ?? true, labels: row?.labels ?? {} });
}
