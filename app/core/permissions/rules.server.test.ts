// A tenant's rules per role live in its database: seeded from the modules' defaults,
// replaced only by rules that validate, reset to the defaults, per town; custom roles are
// built from the same matrix and work end to end.
import { subject } from "@casl/ability";
import { sql } from "kysely";
import { assignRole, listRoles } from "~/core/auth/roles.server";
import { getSessionUser } from "~/core/auth/session.server";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { tFor } from "~/core/i18n/i18n.server";
import { createTestTenant, ownerDb, type TestTenant } from "../../../db/test/helpers";
import { abilityFor, buildAbility } from "./ability.server";
import { defaultRoleRules, effectiveRoleRules } from "./catalog.server";
import { setCell } from "./choices.server";
import { PermissionRulesError, RoleDefinitionError } from "./errors";
import { permittedFields, pickPermittedFields } from "./fields.server";
import { createCustomRole, deleteCustomRole, getRoleRules, loadRequestRules, resetRoleRules, saveRoleRules } from "./rules.server";
import { accessibleWhere } from "./sql.server";
import { createListings, createOrganisation, signedInUser } from "./testing";

afterAll(async () => {
  await closeDatabase();
});

async function rejection<E>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

let town: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  town = await createTestTenant({ modules: { directory: {} } });
  other = await createTestTenant({ modules: { directory: {} } });
});

describe("stored rules per role", () => {
  it("starts from the modules' defaults, for the built-in roles and for everyone", async () => {
    expect(await withTenant(town.id, (tx) => getRoleRules(tx, "staff"))).toEqual(Object.values(defaultRoleRules("staff")).flat());
    expect(await withTenant(town.id, (tx) => getRoleRules(tx, "visitor"))).toEqual(Object.values(defaultRoleRules("visitor")).flat());
    expect(await withTenant(town.id, (tx) => getRoleRules(tx, "resident"))).toEqual([]);
  });

  it("saves validated rules, for this town only, and resets them to the defaults", async () => {
    const rules = setCell([], "Initiative", "read", ["any"]);
    const saved = await withTenant(town.id, (tx) => saveRoleRules(tx, "resident", rules));
    expect(saved).toEqual([{ action: ["read"], subject: "Initiative" }]);
    expect(await withTenant(town.id, (tx) => getRoleRules(tx, "resident"))).toEqual(saved);
    expect(await withTenant(other.id, (tx) => getRoleRules(tx, "resident"))).toEqual([]);
    expect(await withTenant(town.id, (tx) => resetRoleRules(tx, "resident"))).toEqual([]);
    expect(await withTenant(town.id, (tx) => getRoleRules(tx, "resident"))).toEqual([]);
  });

  it("refuses the whole list when one rule is unknown, and writes nothing", async () => {
    const error = await rejection(
      withTenant(town.id, (tx) => saveRoleRules(tx, "visitor", [{ action: "read", subject: "Initiative" }, { action: "delete", subject: "Initiative" }])),
      PermissionRulesError,
    );
    expect(error.translate(tFor("fr"))).toEqual(["Règle n° 2 (delete · Initiative) : l'action « delete » n'existe pas pour « Initiative »."]);
    expect(await withTenant(town.id, (tx) => getRoleRules(tx, "visitor"))).toEqual(Object.values(defaultRoleRules("visitor")).flat());
  });

  it("refuses an unknown role", async () => {
    const error = await rejection(withTenant(town.id, (tx) => getRoleRules(tx, "pirate")), RoleDefinitionError);
    expect(error.code).toBe("unknownRole");
    expect(error.translate(tFor("en"))).toBe('The role "pirate" does not exist on this platform.');
    await rejection(withTenant(town.id, (tx) => saveRoleRules(tx, "pirate", [])), RoleDefinitionError);
  });

  it("applies a module's defaults when the stored rules do not mention the module yet", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    // As a database migrated before the tenant's roles were seeded: empty rules, no visitor row.
    await ownerDb().transaction().execute(async (tx) => {
      await sql`select set_config('app.tenant_id', ${t.id}, true)`.execute(tx);
      await tx.updateTable("roles").set({ rules: "{}" }).where("tenant_id", "=", t.id).execute();
      await tx.deleteFrom("visitor_permissions").where("tenant_id", "=", t.id).execute();
    });
    expect(await withTenant(t.id, (tx) => getRoleRules(tx, "staff"))).toEqual(Object.values(defaultRoleRules("staff")).flat());
    expect(await withTenant(t.id, (tx) => getRoleRules(tx, "visitor"))).toEqual(Object.values(defaultRoleRules("visitor")).flat());
    // An explicitly empty module is respected: staff took the right away.
    expect(effectiveRoleRules("staff", { directory: [] }).filter((r) => r.subject === "Initiative")).toEqual([]);
  });

  it("reads what a request needs in one statement: the user's roles, everyone's rules, the neighbourhood", async () => {
    const user = await signedInUser(town, [{ role: "staff" }], { neighbourhood: "Centre" });
    const { byRole, neighbourhood } = await withTenant(town.id, (tx) => loadRequestRules(tx, ["staff"], user.id));
    expect([...byRole.keys()].sort()).toEqual(["staff", "visitor"]);
    expect(neighbourhood).toBe("Centre");
    const anonymous = await withTenant(town.id, (tx) => loadRequestRules(tx, [], null));
    expect([...anonymous.byRole.keys()]).toEqual(["visitor"]);
  });
});

describe("custom roles", () => {
  it("refuses reserved, malformed and taken keys, and missing or overlong names", async () => {
    const create = (key: string, labels: Record<string, string> = { fr: "Bénévole" }) => withTenant(town.id, (tx) => createCustomRole(tx, { key, labels }));
    expect((await rejection(create("staff"), RoleDefinitionError)).code).toBe("reservedKey");
    expect((await rejection(create("visitor"), RoleDefinitionError)).code).toBe("reservedKey");
    expect((await rejection(create("Bénévole"), RoleDefinitionError)).code).toBe("invalidKey");
    expect((await rejection(create("volunteer", { en: "Volunteer" }), RoleDefinitionError)).code).toBe("labelRequired");
    const long = await rejection(create("volunteer", { fr: "x".repeat(61) }), RoleDefinitionError);
    expect([long.code, long.field, long.translate(tFor("fr"))]).toEqual(["labelTooLong", "labels.fr", "Le nom du rôle ne doit pas dépasser 60 caractères."]);
    await create("taken_role");
    expect((await rejection(create("taken_role"), RoleDefinitionError)).code).toBe("keyTaken");
    // Deleting a built-in role is refused.
    expect((await rejection(withTenant(town.id, (tx) => deleteCustomRole(tx, "staff")), RoleDefinitionError)).code).toBe("builtinRole");
  });

  it("works end to end: create, give it a rule, assign it, the ability and the SQL filter allow it", async () => {
    const orgA = await createOrganisation(town, "Maison de quartier");
    const ids = await createListings(town, [
      { name: "pending-centre", status: "pending", neighbourhood: "Centre" },
      { name: "pending-marais", status: "pending", neighbourhood: "Marais" },
      { name: "published-marais", status: "published", neighbourhood: "Marais" },
    ]);
    const created = await withTenant(town.id, async (tx) => {
      const role = await createCustomRole(tx, { key: "permanence_volunteer", labels: { fr: "Bénévole de permanence", en: "Drop-in volunteer" }, basedOn: "visitor" });
      let rules = setCell(role.rules, "Initiative", "read", ["published", "neighbourhood"]);
      rules = setCell(rules, "Initiative", "update", ["neighbourhood"], ["description", "schedule"]);
      await saveRoleRules(tx, role.key, rules);
      return role;
    });
    expect(created.labels).toEqual({ fr: "Bénévole de permanence", en: "Drop-in volunteer" });
    expect((await withTenant(town.id, (tx) => listRoles(tx))).find((r) => r.key === "permanence_volunteer")).toMatchObject({ isBuiltin: false });

    const volunteer = await signedInUser(town, [{ role: "permanence_volunteer", organisationId: orgA }], { neighbourhood: "Centre" });
    expect(volunteer.roles).toEqual([{ role: "permanence_volunteer", organisationId: orgA }]);
    const ability = await withTenant(town.id, (tx) => abilityFor(tx, volunteer));
    const visible = await withTenant(town.id, (tx) =>
      tx
        .selectFrom("directory_initiatives as i")
        .select("i.name")
        .where("i.id", "in", Object.values(ids))
        .where(accessibleWhere(ability, "read", "Initiative", { columns: { status: "i.status", neighbourhood: "i.neighbourhood" } }))
        .orderBy("i.name")
        .execute(),
    );
    expect(visible.map((r) => r.name)).toEqual(["pending-centre", "published-marais"]);
    const centre = { id: ids["pending-centre"], status: "pending", neighbourhood: "Centre", organisation_id: null };
    expect(permittedFields(ability, "update", "Initiative", centre)).toEqual(["description", "schedule"]);
    expect(permittedFields(ability, "update", "Initiative", { ...centre, neighbourhood: "Marais" })).toEqual([]);
    expect(ability.can("moderate", "Initiative")).toBe(false);

    // Another town knows nothing of this role.
    const elsewhere = await signedInUser(other, [{ role: "resident" }]);
    await rejection(withTenant(other.id, (tx) => assignRole(tx, { userId: elsewhere.id, role: "permanence_volunteer" })), Error);

    // Deleting the role takes it from its holders: their next request has the visitor's ability.
    const { revokedGrants } = await withTenant(town.id, (tx) => deleteCustomRole(tx, "permanence_volunteer"));
    expect(revokedGrants).toBe(1);
    const next = await withTenant(town.id, async (tx) => {
      const user = await getSessionUser(tx, volunteer.token);
      return { roles: user?.roles, ability: await abilityFor(tx, user) };
    });
    expect(next.roles).toEqual([]);
    expect(next.ability.can("read", subject("Initiative", centre))).toBe(false);
    expect(next.ability.can("read", subject("Initiative", { ...centre, status: "published" }))).toBe(true);
    expect(next.ability.can("update", subject("Initiative", centre))).toBe(false);
  });
});

describe("field filtering on update", () => {
  it("keeps only the fields the role may change, for the record at hand", () => {
    const orgA = "00000000-0000-4000-8000-00000000000a";
    const manager = buildAbility(
      { id: "00000000-0000-4000-8000-000000000001", roles: [{ role: "association_manager", organisationId: orgA }], neighbourhood: null },
      new Map([["association_manager", defaultRoleRules("association_manager").directory]]),
    );
    const input = { name: "Nouveau nom", description: "Texte", status: "published", moderation_note: "ok", organisation_id: "someone-else" };
    const own = { organisation_id: orgA, status: "pending" };
    expect(pickPermittedFields(manager, "update", "Initiative", input, own)).toEqual({ name: "Nouveau nom", description: "Texte" });
    expect(pickPermittedFields(manager, "update", "Initiative", input, { organisation_id: "another" })).toEqual({});
    const staff = buildAbility(
      { id: "00000000-0000-4000-8000-000000000002", roles: [{ role: "staff", organisationId: null }], neighbourhood: null },
      new Map([["staff", defaultRoleRules("staff").directory]]),
    );
    expect(pickPermittedFields(staff, "update", "Initiative", input, own)).toEqual(input);
    expect(() => permittedFields(staff, "update", "Spaceship")).toThrow(/not declared/);
  });
});
