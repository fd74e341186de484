// `npm run roles:assign -- <tenant-slug> <email> <role> [organisation name]`: gives a role
// to an account from the command line (the first staff account of a new town, typically).
// Runs on the owner connection, scoped to the tenant exactly as the app's transactions are.
import { sql } from "kysely";
import { RoleAssignmentError, assignRole, listRoles } from "../app/core/auth/roles.server.ts";
import { tFor } from "../app/core/i18n/i18n.server.ts";
import { ownerDb } from "./tenants-sync.ts";

export const ASSIGN_ROLE_USAGE = "usage: npm run roles:assign -- <tenant-slug> <email> <role> [organisation name]";

export type AssignRoleRequest = { slug: string; email: string; role: string; organisation: string | null };

export type AssignRoleResult = AssignRoleRequest & { tenantName: string; created: boolean };

/** A refusal meant for the person at the terminal. */
export class AssignRoleError extends Error {}

export function parseAssignRoleArgs(argv: string[]): AssignRoleRequest {
  const [slug, email, role, ...rest] = argv.map((a) => a.trim());
  if (!slug || !email || !role) throw new AssignRoleError(ASSIGN_ROLE_USAGE);
  // The organisation name may contain spaces; an unquoted one arrives as several words.
  const organisation = rest.join(" ").trim();
  return { slug, email, role, organisation: organisation || null };
}

export async function assignRoleFromCli(ownerUrl: string, request: AssignRoleRequest): Promise<AssignRoleResult> {
  const db = ownerDb(ownerUrl);
  try {
    return await db.transaction().execute(async (tx) => {
      const tenant = await tx.selectFrom("tenants").select(["id", "name"]).where("slug", "=", request.slug).executeTakeFirst();
      if (!tenant) {
        const known = await tx.selectFrom("tenants").select("slug").orderBy("slug").execute();
        throw new AssignRoleError(`No tenant "${request.slug}". Known tenants: ${known.map((k) => k.slug).join(", ") || "none (run npm run tenants:sync)"}.`);
      }
      await sql`select set_config('app.tenant_id', ${tenant.id}, true)`.execute(tx);
      const roles = await listRoles(tx);
      if (!roles.some((r) => r.key === request.role)) {
        throw new AssignRoleError(`No role "${request.role}" on ${request.slug}. Roles: ${roles.map((r) => r.key).join(", ")}.`);
      }
      const user = await tx
        .selectFrom("users")
        .select("id")
        .where("tenant_id", "=", tenant.id)
        .where("email", "=", request.email)
        .executeTakeFirst();
      if (!user) throw new AssignRoleError(`No account with email ${request.email} on ${request.slug}.`);
      let organisationId: string | null = null;
      if (request.organisation) {
        const organisation = await tx
          .selectFrom("organisations")
          .select("id")
          .where("tenant_id", "=", tenant.id)
          .where("name", "=", request.organisation)
          .executeTakeFirst();
        if (!organisation) {
          const known = await tx.selectFrom("organisations").select("name").where("tenant_id", "=", tenant.id).orderBy("name").execute();
          throw new AssignRoleError(
            `No organisation named "${request.organisation}" on ${request.slug}. Organisations: ${known.map((o) => `"${o.name}"`).join(", ") || "none"}.`,
          );
        }
        organisationId = organisation.id;
      }
      try {
        const { created } = await assignRole(tx, { userId: user.id, role: request.role, organisationId });
        return { ...request, tenantName: tenant.name, created };
      } catch (error) {
        if (error instanceof RoleAssignmentError) throw new AssignRoleError(error.translate(tFor("en")));
        throw error;
      }
    });
  } finally {
    await db.destroy();
  }
}

export function describeAssignment(result: AssignRoleResult): string {
  const target = `${result.email} on ${result.slug} (${result.tenantName})`;
  const what = result.organisation ? `${result.role} for "${result.organisation}"` : result.role;
  return result.created ? `Gave the role ${what} to ${target}.` : `${target} already holds the role ${what}; nothing changed.`;
}
