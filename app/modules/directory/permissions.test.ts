// The directory's permission table: for every role (built-in, and everyone as `visitor`)
// and every declared action on Initiative, which listings the default rules allow, checked
// on the real database (the SQL filter) and on each row (`ability.can`), which must agree.
import { subject } from "@casl/ability";
import type { SessionUser } from "~/core/auth/session.server";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { BUILTIN_ROLES } from "~/core/modules/types";
import { abilityFor } from "~/core/permissions/ability.server";
import { permittedFields } from "~/core/permissions/fields.server";
import { accessibleWhere } from "~/core/permissions/sql.server";
import { createListings, createOrganisation, signedInUser } from "~/core/permissions/testing";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { directoryPermissions } from "./permissions";

afterAll(async () => {
  await closeDatabase();
});

const LISTINGS = ["published-A", "pending-A", "changes-requested-A", "published-B", "refused-B", "pending-none", "merged-none"] as const;
type Listing = (typeof LISTINGS)[number];
const PUBLISHED: Listing[] = ["published-A", "published-B"];
const OF_A: Listing[] = ["published-A", "pending-A", "changes-requested-A"];
const ALL: Listing[] = [...LISTINGS];
const NONE: Listing[] = [];

type Role = (typeof BUILTIN_ROLES)[number] | "visitor";
type Action = (typeof directoryPermissions.actions)[number];

// What everyone may do: read what is published, propose a listing; nothing else.
const PUBLIC: Record<Action, Listing[]> = {
  read: PUBLISHED,
  create: ALL,
  update: NONE,
  moderate: NONE,
  revert: NONE,
  claim: NONE,
  assign: NONE,
  remind: NONE,
  route: NONE,
  import: NONE,
};

// The association roles are held for organisation A.
const EXPECTED: Record<Role, Record<Action, Listing[]>> = {
  visitor: PUBLIC,
  resident: PUBLIC,
  association_member: PUBLIC,
  association_manager: { ...PUBLIC, read: [...new Set([...PUBLISHED, ...OF_A])], update: OF_A, claim: PUBLISHED },
  repairer: PUBLIC,
  // Staff do everything but claim a listing for an association (which they decide).
  staff: { read: ALL, create: ALL, update: ALL, moderate: ALL, revert: ALL, claim: NONE, assign: ALL, remind: ALL, route: ALL, import: ALL },
  elected: PUBLIC,
};

let town: TestTenant;
let ids: Record<string, string>;
const users = new Map<Role, SessionUser | null>();
beforeAll(async () => {
  town = await createTestTenant({ modules: { directory: {} } });
  const orgA = await createOrganisation(town, "Association A");
  const orgB = await createOrganisation(town, "Association B");
  ids = await createListings(town, [
    { name: "published-A", status: "published", organisationId: orgA, neighbourhood: "Centre" },
    { name: "pending-A", status: "pending", organisationId: orgA },
    { name: "changes-requested-A", status: "changes_requested", organisationId: orgA },
    { name: "published-B", status: "published", organisationId: orgB, neighbourhood: "Centre" },
    { name: "refused-B", status: "refused", organisationId: orgB },
    { name: "pending-none", status: "pending" },
    { name: "merged-none", status: "merged" },
  ]);
  users.set("visitor", null);
  for (const role of BUILTIN_ROLES) {
    const organisationId = role === "association_member" || role === "association_manager" ? orgA : null;
    users.set(role, await signedInUser(town, [{ role, organisationId }], { neighbourhood: "Centre" }));
  }
});

const cases = (Object.keys(EXPECTED) as Role[]).flatMap((role) => directoryPermissions.actions.map((action) => [role, action] as const));

describe("directory permission table (default rules)", () => {
  it("covers every built-in role and every declared action", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...BUILTIN_ROLES, "visitor"].sort());
    for (const row of Object.values(EXPECTED)) expect(Object.keys(row).sort()).toEqual([...directoryPermissions.actions].sort());
  });

  it.each(cases)("%s may %s exactly the expected listings", async (role, action) => {
    const { filtered, byCan, onType } = await withTenant(town.id, async (tx) => {
      const ability = await abilityFor(tx, users.get(role) ?? null);
      const rows = await tx.selectFrom("directory_initiatives as i").select(["i.id", "i.name", "i.status", "i.organisation_id", "i.neighbourhood"]).execute();
      const kept = await tx
        .selectFrom("directory_initiatives as i")
        .select("i.name")
        .where(accessibleWhere(ability, action, "Initiative", { columns: { status: "i.status", organisation_id: "i.organisation_id", neighbourhood: "i.neighbourhood" } }))
        .execute();
      return {
        filtered: kept.map((r) => r.name).sort(),
        byCan: rows.filter((r) => ability.can(action, subject("Initiative", { ...r }))).map((r) => r.name).sort(),
        onType: ability.can(action, "Initiative"),
      };
    });
    const expected = [...EXPECTED[role][action]].sort();
    expect(Object.keys(ids).sort()).toEqual([...LISTINGS].sort());
    expect(filtered).toEqual(expected);
    expect(byCan).toEqual(expected);
    expect(onType).toBe(expected.length > 0);
  });

  it("lets association managers change their listings' content, never its moderation", async () => {
    const listing = { status: "pending", organisation_id: null as string | null, neighbourhood: null };
    const fields = await withTenant(town.id, async (tx) => {
      const manager = users.get("association_manager")!;
      listing.organisation_id = manager.roles[0].organisationId;
      return {
        manager: permittedFields(await abilityFor(tx, manager), "update", "Initiative", listing),
        staff: permittedFields(await abilityFor(tx, users.get("staff")!), "update", "Initiative", listing),
      };
    });
    expect(fields.manager).toContain("description");
    expect(fields.manager).not.toContain("status");
    expect(fields.manager).not.toContain("moderation_note");
    expect(fields.manager).not.toContain("organisation_id");
    expect(fields.staff).toEqual([...directoryPermissions.subjects.Initiative.fields]);
  });
});
