// Roles are assignable within one tenant, with the checks a staff form or the CLI relies on.
import crypto from "node:crypto";
import { closeDatabase, withPlatform, withTenant } from "~/core/db/db.server";
import { tFor } from "~/core/i18n/i18n.server";
import { BUILTIN_ROLES } from "~/core/modules/types";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { assignRole, listRoles, removeRole, RoleAssignmentError, roleDisplayName, rolesOfUser } from "./roles.server";

afterAll(async () => {
  await closeDatabase();
});

async function createUser(tenant: TestTenant) {
  const email = `${crypto.randomBytes(4).toString("hex")}@example.org`;
  return withTenant(tenant.id, (tx) =>
    tx
      .insertInto("users")
      .values({ tenant_id: tenant.id, email, password_hash: "not-a-real-hash", display_name: "Test", email_verified_at: null, locale: null, deactivated_at: null })
      .returning("id")
      .executeTakeFirstOrThrow()
      .then((r) => r.id),
  );
}

async function createOrganisation(tenant: TestTenant, name = "Amap du Centre") {
  return withTenant(tenant.id, (tx) =>
    tx.insertInto("organisations").values({ tenant_id: tenant.id, name }).returning("id").executeTakeFirstOrThrow().then((r) => r.id),
  );
}

async function refusal(promise: Promise<unknown>): Promise<RoleAssignmentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RoleAssignmentError);
  return error as RoleAssignmentError;
}

let town: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  town = await createTestTenant();
  other = await createTestTenant();
});

describe("assignRole", () => {
  it("gives a role, and giving it again changes nothing", async () => {
    const userId = await createUser(town);
    const first = await withTenant(town.id, (tx) => assignRole(tx, { userId, role: "staff" }));
    const second = await withTenant(town.id, (tx) => assignRole(tx, { userId, role: "staff" }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const held = await withTenant(town.id, (tx) => rolesOfUser(tx, userId));
    expect(held.map((r) => [r.role, r.organisationId])).toEqual([["staff", null]]);
  });

  it("attaches an association role to an organisation of the same town", async () => {
    const userId = await createUser(town);
    const organisationId = await createOrganisation(town, `Repair café ${crypto.randomBytes(3).toString("hex")}`);
    await withTenant(town.id, (tx) => assignRole(tx, { userId, role: "association_manager", organisationId }));
    const held = await withTenant(town.id, (tx) => rolesOfUser(tx, userId));
    expect(held).toEqual([expect.objectContaining({ role: "association_manager", organisationId, organisationName: expect.stringMatching(/^Repair café/) })]);
  });

  it("refuses an unknown role, before writing anything", async () => {
    const userId = await createUser(town);
    const error = await refusal(withTenant(town.id, (tx) => assignRole(tx, { userId, role: "mayor" })));
    expect(error).toMatchObject({ code: "unknownRole", key: "roles:errors.unknownRole", field: "role" });
    expect(await withTenant(town.id, (tx) => rolesOfUser(tx, userId))).toEqual([]);
  });

  it("refuses an association role without an organisation", async () => {
    const userId = await createUser(town);
    const error = await refusal(withTenant(town.id, (tx) => assignRole(tx, { userId, role: "association_member" })));
    expect(error).toMatchObject({ code: "organisationRequired", field: "organisationId" });
  });

  it("refuses an organisation of another town as if it did not exist", async () => {
    const userId = await createUser(town);
    const foreign = await createOrganisation(other);
    const error = await refusal(withTenant(town.id, (tx) => assignRole(tx, { userId, role: "association_member", organisationId: foreign })));
    expect(error).toMatchObject({ code: "unknownOrganisation", field: "organisationId" });
  });

  it("refuses a user of another town, or a malformed id, and leaves the transaction usable", async () => {
    const foreignUser = await createUser(other);
    await refusal(withTenant(town.id, (tx) => assignRole(tx, { userId: foreignUser, role: "resident" })));
    const afterwards = await withTenant(town.id, async (tx) => {
      const error = await assignRole(tx, { userId: "1; drop table users", role: "resident" }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "unknownUser", field: "userId" });
      return (await listRoles(tx)).length;
    });
    expect(afterwards).toBe(BUILTIN_ROLES.length);
    expect(await withTenant(other.id, (tx) => rolesOfUser(tx, foreignUser))).toEqual([]);
  });

  it("needs a transaction scoped to a tenant", async () => {
    const userId = await createUser(town);
    await expect(withPlatform((tx) => assignRole(tx, { userId, role: "resident" }))).rejects.toThrow(/not scoped to a tenant/);
  });

  it("explains a refusal in the reader's language, with the role's name", async () => {
    const userId = await createUser(town);
    const error = await refusal(withTenant(town.id, (tx) => assignRole(tx, { userId, role: "association_manager" })));
    expect(error.translate(tFor("fr"))).toBe("Le rôle « Responsable d'association » se rattache à une association : indiquez laquelle.");
    expect(error.translate(tFor("en"))).toBe("The role “Association manager” belongs to an association: say which one.");
  });
});

describe("removeRole", () => {
  it("takes away the matching grant only, and says whether there was one", async () => {
    const userId = await createUser(town);
    const a = await createOrganisation(town, `Asso A ${crypto.randomBytes(3).toString("hex")}`);
    const b = await createOrganisation(town, `Asso B ${crypto.randomBytes(3).toString("hex")}`);
    await withTenant(town.id, async (tx) => {
      await assignRole(tx, { userId, role: "association_member", organisationId: a });
      await assignRole(tx, { userId, role: "association_member", organisationId: b });
      await assignRole(tx, { userId, role: "resident" });
    });
    expect(await withTenant(town.id, (tx) => removeRole(tx, { userId, role: "association_member", organisationId: a }))).toBe(true);
    expect(await withTenant(town.id, (tx) => removeRole(tx, { userId, role: "association_member", organisationId: a }))).toBe(false);
    const held = await withTenant(town.id, (tx) => rolesOfUser(tx, userId));
    expect(held.map((r) => [r.role, r.organisationId]).sort()).toEqual([["association_member", b], ["resident", null]].sort());
  });

  it("cannot reach another town's grants", async () => {
    const foreignUser = await createUser(other);
    await withTenant(other.id, (tx) => assignRole(tx, { userId: foreignUser, role: "staff" }));
    expect(await withTenant(town.id, (tx) => removeRole(tx, { userId: foreignUser, role: "staff" }))).toBe(false);
    expect((await withTenant(other.id, (tx) => rolesOfUser(tx, foreignUser))).map((r) => r.role)).toEqual(["staff"]);
  });
});

describe("listRoles", () => {
  it("lists the town's built-in roles in their usual order, flagging those tied to an organisation", async () => {
    const roles = await withTenant(town.id, (tx) => listRoles(tx));
    expect(roles.map((r) => r.key)).toEqual([...BUILTIN_ROLES]);
    expect(roles.filter((r) => r.needsOrganisation).map((r) => r.key)).toEqual(["association_member", "association_manager"]);
  });
});

describe("roleDisplayName", () => {
  it("translates a built-in role and gives a town's own role the label the town wrote", async () => {
    const tenant = await createTestTenant();
    await withTenant(tenant.id, (tx) =>
      tx.insertInto("roles").values({ tenant_id: tenant.id, key: "permanence", is_builtin: false, labels: JSON.stringify({ fr: "Bénévole de permanence", en: "Drop-in volunteer" }), rules: "{}" }).execute(),
    );
    const names = await withTenant(tenant.id, async (tx) => [
      await roleDisplayName(tx, "elected", "fr", tFor("fr")),
      await roleDisplayName(tx, "permanence", "fr", tFor("fr")),
      await roleDisplayName(tx, "permanence", "en", tFor("en")),
    ]);
    expect(names).toEqual([tFor("fr")("roles:labels.elected"), "Bénévole de permanence", "Drop-in volunteer"]);
    expect(names[0]).not.toBe("elected");
  });
});
