// The SQL filter returns exactly the rows the ability allows: checked on a real table, for
// each condition staff can pick, against both a fixed expectation and `ability.can` on
// every row (the two must never disagree, NULLs included).
import { createMongoAbility, subject, type MongoAbility, type RawRuleOf } from "@casl/ability";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { buildAbility, type AbilityUser, type AppAbility } from "./ability.server";
import { createCatalog } from "./catalog.server";
import { ruleForChoice } from "./choices.server";
import type { CellChoice, PermissionRule } from "./declarations";
import { accessibleWhere, PermissionQueryError } from "./sql.server";
import { createListings, createOrganisation, signedInUser } from "./testing";

afterAll(async () => {
  await closeDatabase();
});

const COLUMNS = { status: "i.status", organisation_id: "i.organisation_id", neighbourhood: "i.neighbourhood" };

let town: TestTenant;
let other: TestTenant;
let ids: Record<string, string>;
let orgA: string;
let orgB: string;
beforeAll(async () => {
  town = await createTestTenant({ modules: { directory: {} } });
  other = await createTestTenant({ modules: { directory: {} } });
  orgA = await createOrganisation(town, "Association A");
  orgB = await createOrganisation(town, "Association B");
  ids = await createListings(town, [
    { name: "published-A-centre", status: "published", organisationId: orgA, neighbourhood: "Centre" },
    { name: "pending-A-centre", status: "pending", organisationId: orgA, neighbourhood: "Centre" },
    { name: "published-B-marais", status: "published", organisationId: orgB, neighbourhood: "Marais" },
    { name: "refused-B", status: "refused", organisationId: orgB, neighbourhood: null },
    { name: "pending-none", status: "pending", organisationId: null, neighbourhood: null },
  ]);
  // Another town's published listing: the filter never reaches it (RLS does not let it).
  await createListings(other, [{ name: "published-elsewhere", status: "published" }]);
});

type Row = { id: string; name: string; status: string; organisation_id: string | null; neighbourhood: string | null };

/** Names of the rows the SQL filter keeps, after checking `ability.can` on every row agrees. */
async function allowed(ability: AppAbility, action = "read"): Promise<string[]> {
  return withTenant(town.id, async (tx) => {
    const all = await tx.selectFrom("directory_initiatives as i").select(["i.id", "i.name", "i.status", "i.organisation_id", "i.neighbourhood"]).execute();
    const filtered = await tx
      .selectFrom("directory_initiatives as i")
      .select("i.name")
      .where(accessibleWhere(ability, action, "Initiative", { columns: COLUMNS }))
      .orderBy("i.name")
      .execute();
    const byCan = all.filter((row: Row) => ability.can(action, subject("Initiative", { ...row }))).map((r) => r.name);
    expect(filtered.map((r) => r.name)).toEqual(byCan.sort());
    return filtered.map((r) => r.name);
  });
}

const raw = (rules: object[]) => createMongoAbility(rules as RawRuleOf<MongoAbility>[]);

/** The ability of `user` holding the role "tester" with `rules`; without a user, the rules are everyone's. */
function abilityWith(user: AbilityUser | null, rules: PermissionRule[]): AppAbility {
  return buildAbility(user, new Map([[user ? "tester" : "visitor", rules]]));
}

const member = (organisationIds: string[], neighbourhood: string | null = null): AbilityUser => ({
  id: "00000000-0000-4000-8000-000000000001",
  roles: organisationIds.length ? organisationIds.map((organisationId) => ({ role: "tester", organisationId })) : [{ role: "tester", organisationId: null }],
  neighbourhood,
});

const choice = (c: CellChoice) => ruleForChoice("Initiative", "read", c);

describe("accessibleWhere, for each condition staff can pick", () => {
  it("no rule: no rows", async () => {
    expect(await allowed(abilityWith(member([]), []))).toEqual([]);
    expect(await allowed(raw([{ action: "update", subject: "Initiative" }]))).toEqual([]);
  });

  it("any: every row of the town (and none of another town)", async () => {
    expect(await allowed(abilityWith(member([]), [choice("any")]))).toEqual(Object.keys(ids).sort());
  });

  it("manage all: every row", async () => {
    expect(await allowed(raw([{ action: "manage", subject: "all" }]))).toEqual(Object.keys(ids).sort());
  });

  it("published only", async () => {
    expect(await allowed(abilityWith(null, [choice("published")]))).toEqual(["published-A-centre", "published-B-marais"]);
  });

  it("their organisation's: the organisations of the user's grants of that role", async () => {
    expect(await allowed(abilityWith(member([orgA]), [choice("organisation")]))).toEqual(["pending-A-centre", "published-A-centre"]);
    expect(await allowed(abilityWith(member([orgA, orgB]), [choice("organisation")]))).toEqual(["pending-A-centre", "published-A-centre", "published-B-marais", "refused-B"]);
    // No organisation, or no account: the rule grants nothing (not every row without one).
    expect(await allowed(abilityWith(member([]), [choice("organisation")]))).toEqual([]);
    expect(await allowed(abilityWith(null, [choice("organisation")]))).toEqual([]);
  });

  it("in their neighbourhood; nothing for a user without one", async () => {
    expect(await allowed(abilityWith(member([], "Centre"), [choice("neighbourhood")]))).toEqual(["pending-A-centre", "published-A-centre"]);
    expect(await allowed(abilityWith(member([], null), [choice("neighbourhood")]))).toEqual([]);
  });

  it("several choices add up (or)", async () => {
    expect(await allowed(abilityWith(member([orgB], "Centre"), [choice("published"), choice("organisation"), choice("neighbourhood")]))).toEqual([
      "pending-A-centre",
      "published-A-centre",
      "published-B-marais",
      "refused-B",
    ]);
  });

  it("their own: a subject with an owner column (directory claims by user)", async () => {
    const catalog = createCatalog([
      {
        id: "claims",
        permissions: {
          subjects: { Claim: { fields: ["message"], conditions: { own: "user_id" } } },
          actions: ["read"],
          defaults: {},
          locales: { fr: { actions: {}, subjects: {} }, en: { actions: {}, subjects: {} } },
        },
      },
    ]);
    const alice = await signedInUser(town, [{ role: "resident" }]);
    const bob = await signedInUser(town, [{ role: "resident" }]);
    await withTenant(town.id, (tx) =>
      tx
        .insertInto("directory_claims")
        .values([
          { tenant_id: town.id, initiative_id: ids["published-A-centre"], user_id: alice.id, message: "alice" },
          { tenant_id: town.id, initiative_id: ids["published-B-marais"], user_id: bob.id, message: "bob" },
        ])
        .execute(),
    );
    const ability = buildAbility({ ...alice, neighbourhood: null }, new Map([["resident", [ruleForChoice("Claim", "read", "own", null, catalog)]]]));
    const messages = await withTenant(town.id, (tx) =>
      tx.selectFrom("directory_claims as c").select("c.message").where(accessibleWhere(ability, "read", "Claim", { columns: { user_id: "c.user_id" } })).execute(),
    );
    expect(messages.map((m) => m.message)).toEqual(["alice"]);
    expect(ability.can("read", subject("Claim", { user_id: bob.id }))).toBe(false);
  });
});

describe("accessibleWhere, operators and NULLs as CASL treats them", () => {
  it("$ne and $nin keep rows where the column is NULL, as ability.can does", async () => {
    expect(await allowed(raw([{ action: "read", subject: "Initiative", conditions: { neighbourhood: { $ne: "Centre" } } }]))).toEqual([
      "pending-none",
      "published-B-marais",
      "refused-B",
    ]);
    expect(await allowed(raw([{ action: "read", subject: "Initiative", conditions: { organisation_id: { $nin: [orgA] } } }]))).toEqual([
      "pending-none",
      "published-B-marais",
      "refused-B",
    ]);
  });

  it("equality with null, $in over several values, empty $in", async () => {
    expect(await allowed(raw([{ action: "read", subject: "Initiative", conditions: { organisation_id: null } }]))).toEqual(["pending-none"]);
    expect(await allowed(raw([{ action: "read", subject: "Initiative", conditions: { status: { $in: ["refused", "pending"] } } }]))).toEqual([
      "pending-A-centre",
      "pending-none",
      "refused-B",
    ]);
    expect(await allowed(raw([{ action: "read", subject: "Initiative", conditions: { status: { $in: [] } } }]))).toEqual([]);
  });

  it("a forbidding rule becomes NOT, NULL-safe", async () => {
    const ability = raw([
      { action: "read", subject: "Initiative" },
      { action: "read", subject: "Initiative", inverted: true, conditions: { neighbourhood: "Centre" } },
    ]);
    expect(await allowed(ability)).toEqual(["pending-none", "published-B-marais", "refused-B"]);
  });

  it("throws on a column that is not whitelisted, and on an operator it does not translate", () => {
    const onStatus = raw([{ action: "read", subject: "Initiative", conditions: { status: "published" } }]);
    expect(() => accessibleWhere(onStatus, "read", "Initiative", { columns: { neighbourhood: "i.neighbourhood" } })).toThrow(PermissionQueryError);
    const regex = raw([{ action: "read", subject: "Initiative", conditions: { name: { $regex: "^a" } } }]);
    expect(() => accessibleWhere(regex, "read", "Initiative", { columns: ["name"] })).toThrow(/operator "regex"/);
    const greater = raw([{ action: "read", subject: "Initiative", conditions: { status: { $gt: "a" } } }]);
    expect(() => accessibleWhere(greater, "read", "Initiative", { columns: ["status"] })).toThrow(/operator "gt"/);
    const object = raw([{ action: "read", subject: "Initiative", conditions: { status: { $eq: { nested: 1 } } } }]);
    expect(() => accessibleWhere(object, "read", "Initiative", { columns: ["status"] })).toThrow(PermissionQueryError);
  });

  it("passes values as parameters, never as SQL text", async () => {
    const hostile = "x'); drop table directory_initiatives; --";
    expect(await allowed(raw([{ action: "read", subject: "Initiative", conditions: { neighbourhood: hostile } }]))).toEqual([]);
    const compiled = withTenant(town.id, async (tx) =>
      tx
        .selectFrom("directory_initiatives as i")
        .select("i.id")
        .where(accessibleWhere(raw([{ action: "read", subject: "Initiative", conditions: { neighbourhood: hostile } }]), "read", "Initiative", { columns: COLUMNS }))
        .compile(),
    );
    const query = await compiled;
    expect(query.sql).not.toContain("drop table");
    expect(query.parameters).toContain(hostile);
  });
});
