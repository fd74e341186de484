// The portal's navigation: entries of enabled modules, and an entry that names a permission
// only for those whose stored rules grant it.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { tFor } from "~/core/i18n/i18n.server";
import { abilityFor } from "~/core/permissions/ability.server";
import { saveRoleRules } from "~/core/permissions/rules.server";
import { signedInUser } from "~/core/permissions/testing";
import { resolveTenant } from "~/core/tenant/tenant.server";
import { createTestTenant } from "../../../db/test/helpers";
import { navigationFor } from "./navigation.server";

afterAll(async () => {
  await closeDatabase();
});

describe("navigationFor", () => {
  it("lists the dashboard to those who may read it, and stops when their rules change", async () => {
    const town = await createTestTenant({ modules: { directory: {}, dashboards: {} } });
    const tenant = (await resolveTenant(town.host))!;
    const t = tFor("fr");
    const elected = await signedInUser(town, [{ role: "elected" }]);
    const resident = await signedInUser(town, [{ role: "resident" }]);
    const linksOf = (user: typeof elected | null) =>
      withTenant(town.id, async (tx) => (await navigationFor(tenant, t, () => abilityFor(tx, user))).map((i) => i.to));

    const withoutDashboard = (await linksOf(resident)).filter((to) => to !== "/tableau-de-bord");
    expect(withoutDashboard).toContain("/initiatives");
    expect(await linksOf(elected)).toEqual(expect.arrayContaining(["/tableau-de-bord", ...withoutDashboard]));
    expect(await linksOf(resident)).toEqual(withoutDashboard);
    expect(await linksOf(null)).toEqual(withoutDashboard);

    await withTenant(town.id, (tx) => saveRoleRules(tx, "elected", []));
    expect(await linksOf(elected)).toEqual(withoutDashboard);
  });

  it("never asks for the ability when no entry needs it", async () => {
    const town = await createTestTenant({ modules: { directory: {} } });
    const tenant = (await resolveTenant(town.host))!;
    let asked = 0;
    const items = await navigationFor(tenant, tFor("fr"), async () => {
      asked++;
      throw new Error("not needed");
    });
    expect(items.map((i) => i.to)).toContain("/initiatives");
    expect(asked).toBe(0);
  });
});
