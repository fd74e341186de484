// `tenants:sync` seeds each role's permission rules from the modules' defaults, and a later
// sync never overwrites what the town's staff changed.
import { closeDatabase, withPlatform, withTenant } from "../app/core/db/db.server";
import { defaultRoleRules } from "../app/core/permissions/catalog.server";
import { getRoleRules, saveRoleRules } from "../app/core/permissions/rules.server";
import { syncTenants } from "./tenants-sync";
import { removeTenantFolder, uniqueSlug, validDefinition, writeTenantFolder } from "./test/tenant-folders";

const ownerUrl = () => process.env.TEST_OWNER_DATABASE_URL!;
const quiet = () => undefined;
let dir: string;

afterAll(async () => {
  if (dir) await removeTenantFolder(dir);
  await closeDatabase();
});

describe("syncTenants and permission rules", () => {
  it("stores the defaults for every built-in role and for everyone, then keeps staff's changes", async () => {
    const slug = uniqueSlug("perm");
    dir = await writeTenantFolder([{ slug, definition: { ...validDefinition(slug), demo: false } }]);
    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });
    const tenant = await withPlatform((tx) => tx.selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirstOrThrow());

    const stored = await withTenant(tenant.id, async (tx) => ({
      roles: await tx.selectFrom("roles").select(["key", "rules"]).orderBy("key").execute(),
      visitor: await tx.selectFrom("visitor_permissions").select("rules").executeTakeFirstOrThrow(),
    }));
    for (const role of stored.roles) expect({ key: role.key, rules: role.rules }).toEqual({ key: role.key, rules: defaultRoleRules(role.key) });
    expect(stored.visitor.rules).toEqual(defaultRoleRules("visitor"));

    await withTenant(tenant.id, async (tx) => {
      await saveRoleRules(tx, "staff", [{ action: "read", subject: "Initiative" }]);
      await saveRoleRules(tx, "visitor", []);
    });
    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });
    expect(await withTenant(tenant.id, (tx) => getRoleRules(tx, "staff"))).toEqual([{ action: ["read"], subject: "Initiative" }]);
    expect(await withTenant(tenant.id, (tx) => getRoleRules(tx, "visitor"))).toEqual([]);
  });
});
