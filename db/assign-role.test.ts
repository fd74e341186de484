// The core of `npm run roles:assign`: finds tenant, account, role and organisation by the
// names an operator types, and assigns on the owner connection scoped to that tenant.
import { rolesOfUser } from "../app/core/auth/roles.server";
import { closeDatabase, withPlatform, withTenant } from "../app/core/db/db.server";
import { ASSIGN_ROLE_USAGE, AssignRoleError, assignRoleFromCli, describeAssignment, parseAssignRoleArgs } from "./assign-role";
import { syncTenants } from "./tenants-sync";
import { removeTenantFolder, uniqueSlug, validDefinition, validDemo, writeTenantFolder } from "./test/tenant-folders";

const ownerUrl = () => process.env.TEST_OWNER_DATABASE_URL!;
const ORGANISATION = "Atelier de réparation (démo)";
let dir: string;
let town: { id: string; slug: string };
let neighbour: { id: string; slug: string };

beforeAll(async () => {
  const slugs = [uniqueSlug("cli"), uniqueSlug("cli")];
  // Both towns have an account habitant@example.org: the tenant named must be the one changed.
  dir = await writeTenantFolder(slugs.map((slug) => ({ slug, definition: validDefinition(slug), demo: validDemo() })));
  await syncTenants({ ownerUrl: ownerUrl(), dir, log: () => undefined });
  const rows = await withPlatform((tx) => tx.selectFrom("tenants").select(["id", "slug"]).where("slug", "in", slugs).orderBy("slug").execute());
  [town, neighbour] = rows[0].slug === slugs[0] ? rows : [rows[1], rows[0]];
});

afterAll(async () => {
  await removeTenantFolder(dir);
  await closeDatabase();
});

async function rolesOf(tenant: { id: string }, email: string) {
  return withTenant(tenant.id, async (tx) => {
    const user = await tx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return (await rolesOfUser(tx, user.id)).map((r) => (r.organisationName ? `${r.role} @ ${r.organisationName}` : r.role)).sort();
  });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AssignRoleError);
  return (error as Error).message;
}

describe("parseAssignRoleArgs", () => {
  it("reads tenant, email, role and an organisation name given in several words", () => {
    expect(parseAssignRoleArgs(["lomme", "a@b.fr", "association_member", "Atelier", "de", "réparation"])).toEqual({
      slug: "lomme",
      email: "a@b.fr",
      role: "association_member",
      organisation: "Atelier de réparation",
    });
    expect(parseAssignRoleArgs(["lomme", "a@b.fr", "staff"]).organisation).toBeNull();
  });

  it("answers with the usage when an argument is missing", () => {
    expect(() => parseAssignRoleArgs(["lomme", "a@b.fr"])).toThrow(ASSIGN_ROLE_USAGE);
  });
});

describe("assignRoleFromCli", () => {
  it("gives the role in the named tenant only, and says so", async () => {
    const result = await assignRoleFromCli(ownerUrl(), { slug: town.slug, email: "HABITANT@example.org", role: "staff", organisation: null });
    expect(result.created).toBe(true);
    expect(describeAssignment(result)).toBe(`Gave the role staff to HABITANT@example.org on ${town.slug} (Ville ${town.slug}).`);
    expect(await rolesOf(town, "habitant@example.org")).toEqual(["resident", "staff"]);
    expect(await rolesOf(neighbour, "habitant@example.org")).toEqual(["resident"]);
  });

  it("reports a role already held without adding it twice", async () => {
    const request = { slug: town.slug, email: "habitant@example.org", role: "elected", organisation: null };
    await assignRoleFromCli(ownerUrl(), request);
    const again = await assignRoleFromCli(ownerUrl(), request);
    expect(again.created).toBe(false);
    expect(describeAssignment(again)).toMatch(/already holds the role elected; nothing changed\.$/);
    expect((await rolesOf(town, "habitant@example.org")).filter((r) => r === "elected")).toHaveLength(1);
  });

  it("attaches an association role to the organisation named", async () => {
    await assignRoleFromCli(ownerUrl(), { slug: town.slug, email: "habitant@example.org", role: "association_member", organisation: ORGANISATION });
    expect(await rolesOf(town, "habitant@example.org")).toContain(`association_member @ ${ORGANISATION}`);
  });

  it("names the known tenants when the tenant is unknown", async () => {
    const message = await refusal(assignRoleFromCli(ownerUrl(), { slug: "nowhere", email: "habitant@example.org", role: "staff", organisation: null }));
    expect(message).toMatch(/^No tenant "nowhere"\. Known tenants: .*/);
    expect(message).toContain(town.slug);
  });

  it("refuses an unknown email", async () => {
    const message = await refusal(assignRoleFromCli(ownerUrl(), { slug: town.slug, email: "personne@example.org", role: "staff", organisation: null }));
    expect(message).toBe(`No account with email personne@example.org on ${town.slug}.`);
  });

  it("names the tenant's roles when the role is unknown", async () => {
    const message = await refusal(assignRoleFromCli(ownerUrl(), { slug: town.slug, email: "habitant@example.org", role: "mayor", organisation: null }));
    expect(message).toBe(`No role "mayor" on ${town.slug}. Roles: resident, association_member, association_manager, repairer, staff, elected.`);
  });

  it("names the tenant's organisations when the organisation is unknown", async () => {
    const message = await refusal(
      assignRoleFromCli(ownerUrl(), { slug: town.slug, email: "habitant@example.org", role: "association_member", organisation: "Club inconnu" }),
    );
    expect(message).toBe(`No organisation named "Club inconnu" on ${town.slug}. Organisations: "${ORGANISATION}".`);
  });

  it("explains that an association role needs an organisation", async () => {
    const message = await refusal(assignRoleFromCli(ownerUrl(), { slug: town.slug, email: "habitant@example.org", role: "association_manager", organisation: null }));
    expect(message).toBe("The role “Association manager” belongs to an association: say which one.");
    expect(await rolesOf(town, "habitant@example.org")).not.toContain("association_manager");
  });
});
