// The dashboards' permission table: for every role (built-in, and everyone as `visitor`)
// and every declared action on Dashboard, what the default rules allow, checked on the
// ability built from the town's stored rules and on the routes that enforce each action.
import type { SessionUser } from "~/core/auth/session.server";
import { sessionCookieName } from "~/core/auth/session.server";
import { getArgs, respond } from "~/core/auth/testing";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { BUILTIN_ROLES } from "~/core/modules/types";
import { abilityFor } from "~/core/permissions/ability.server";
import { validateRules } from "~/core/permissions/validate.server";
import { createOrganisation, signedInUser } from "~/core/permissions/testing";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { dashboardsPermissions } from "./permissions";
import * as exportRoute from "./routes/tableau-de-bord+/export[.]csv";
import * as pageRoute from "./routes/tableau-de-bord+/_index";

afterAll(async () => {
  await closeDatabase();
});

type Role = (typeof BUILTIN_ROLES)[number] | "visitor";
type Action = (typeof dashboardsPermissions.actions)[number];

const EXPECTED: Record<Role, Record<Action, boolean>> = {
  visitor: { read: false, export: false },
  resident: { read: false, export: false },
  association_member: { read: false, export: false },
  association_manager: { read: false, export: false },
  repairer: { read: false, export: false },
  staff: { read: true, export: true },
  elected: { read: true, export: true },
};

const ROUTES: Record<Action, { loader: typeof pageRoute.loader; path: string }> = {
  read: { loader: pageRoute.loader, path: "/tableau-de-bord" },
  export: { loader: exportRoute.loader, path: "/tableau-de-bord/export.csv" },
};

let town: TestTenant;
const users = new Map<Role, (SessionUser & { token: string }) | null>();
beforeAll(async () => {
  town = await createTestTenant({ modules: { directory: {}, dashboards: {} } });
  const association = await createOrganisation(town, "Association");
  users.set("visitor", null);
  for (const role of BUILTIN_ROLES) {
    const organisationId = role === "association_member" || role === "association_manager" ? association : null;
    users.set(role, await signedInUser(town, [{ role, organisationId }]));
  }
});

const cases = (Object.keys(EXPECTED) as Role[]).flatMap((role) => dashboardsPermissions.actions.map((action) => [role, action] as const));

describe("dashboards permission table (default rules)", () => {
  it("covers every built-in role and every declared action, with defaults that validate", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...BUILTIN_ROLES, "visitor"].sort());
    for (const row of Object.values(EXPECTED)) expect(Object.keys(row).sort()).toEqual([...dashboardsPermissions.actions].sort());
    for (const rules of Object.values(dashboardsPermissions.defaults)) expect(validateRules(rules).problems).toEqual([]);
  });

  it.each(cases)("%s may %s: as expected, in the ability and on the route", async (role, action) => {
    const user = users.get(role) ?? null;
    const allowed = await withTenant(town.id, async (tx) => (await abilityFor(tx, user)).can(action, "Dashboard"));
    expect(allowed).toBe(EXPECTED[role][action]);

    const { loader, path } = ROUTES[action];
    const response = await respond(() => loader(getArgs(town, path, user ? { cookie: `${sessionCookieName()}=${user.token}` } : {})));
    expect(response.status).toBe(EXPECTED[role][action] ? 200 : user ? 403 : 302);
  });
});
