// Test support for the permission code: accounts holding roles, signed in through a real
// session, and directory listings of different statuses, organisations and neighbourhoods.
// Imported by tests only.
import crypto from "node:crypto";
import { assignRole } from "../auth/roles.server";
import { createSession, getSessionUser, sessionCookieName, type SessionUser } from "../auth/session.server";
import { withTenant } from "../db/db.server";

type Tenant = { id: string };

export async function createOrganisation(tenant: Tenant, name: string): Promise<string> {
  return withTenant(tenant.id, (tx) =>
    tx.insertInto("organisations").values({ tenant_id: tenant.id, name }).returning("id").executeTakeFirstOrThrow().then((r) => r.id),
  );
}

/**
 * An account holding `roles`, as the wrapper sees it: the session user read back from a
 * real session, so that the roles come from `user_roles` the way they do in a request.
 */
export async function signedInUser(
  tenant: Tenant,
  roles: { role: string; organisationId?: string | null }[],
  options: { neighbourhood?: string | null } = {},
): Promise<SessionUser & { token: string }> {
  return withTenant(tenant.id, async (tx) => {
    const { id } = await tx
      .insertInto("users")
      .values({
        tenant_id: tenant.id,
        email: `${crypto.randomBytes(5).toString("hex")}@example.org`,
        password_hash: "not-a-real-hash",
        display_name: "Test",
        email_verified_at: new Date(),
        locale: null,
        deactivated_at: null,
        neighbourhood: options.neighbourhood ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const grant of roles) await assignRole(tx, { userId: id, role: grant.role, organisationId: grant.organisationId ?? null });
    const cookie = await createSession(tx, tenant.id, id, {});
    const token = new RegExp(`^${sessionCookieName()}=([^;]+)`).exec(cookie)?.[1];
    if (!token) throw new Error(`no session token in ${cookie}`);
    const user = await getSessionUser(tx, token);
    if (!user) throw new Error("the new session did not resolve to its user");
    return { ...user, token };
  });
}

export type ListingSeed = { name: string; status: string; organisationId?: string | null; neighbourhood?: string | null };

/** Directory listings, by name -> id. */
export async function createListings(tenant: Tenant, listings: ListingSeed[]): Promise<Record<string, string>> {
  return withTenant(tenant.id, async (tx) => {
    const out: Record<string, string> = {};
    for (const l of listings) {
      const row = await tx
        .insertInto("directory_initiatives")
        .values({
          tenant_id: tenant.id,
          name: l.name,
          kind: "amap",
          status: l.status as "published",
          organisation_id: l.organisationId ?? null,
          neighbourhood: l.neighbourhood ?? null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      out[l.name] = row.id;
    }
    return out;
  });
}
