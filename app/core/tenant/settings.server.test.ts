// The staff's town settings over the operator's definition.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { createTestTenant, testDefinition } from "../../../db/test/helpers";
import { applyOverrides, CONSOLE_DEFAULTS, readTenantOverrides, saveTenantOverrides, TenantSettingsError } from "./settings.server";
import { invalidateTenantCache, resolveTenant } from "./tenant.server";

afterAll(async () => {
  await closeDatabase();
});

describe("applyOverrides", () => {
  const stored = { ...testDefinition("Ville", "v.localhost"), hasLogo: false } as Parameters<typeof applyOverrides>[0];

  it("replaces each overridden top-level setting whole and keeps the others", () => {
    const { definition, console } = applyOverrides(stored, { name: "Autre nom", theme: { primary: "#000000", accent: "#111111" }, audit: { retentionDays: 120 } });
    expect(definition.name).toBe("Autre nom");
    expect(definition.theme).toEqual({ ...stored.theme, primary: "#000000", accent: "#111111" });
    expect(definition.legal).toEqual(stored.legal);
    expect(console).toEqual({ staffTwoFactorRequired: false, auditRetentionDays: 120 });
  });

  it("ignores stored settings that no longer validate instead of breaking the portal", () => {
    const { definition, console } = applyOverrides(stored, { name: "", unknown: 1 });
    expect(definition).toEqual(stored);
    expect(console).toEqual(CONSOLE_DEFAULTS);
  });
});

describe("saveTenantOverrides", () => {
  it("saves, returns before/after, and the tenant context shows the change", async () => {
    const town = await createTestTenant();
    const first = await withTenant(town.id, (tx) => saveTenantOverrides(tx, town.id, { name: "Nouveau nom" }));
    expect(first).toEqual({ before: {}, after: { name: "Nouveau nom" } });
    invalidateTenantCache();
    expect((await resolveTenant(town.host))?.name).toBe("Nouveau nom");
    const second = await withTenant(town.id, (tx) => saveTenantOverrides(tx, town.id, { name: undefined, timeZone: "America/Cayenne" }));
    expect(second).toEqual({ before: { name: "Nouveau nom" }, after: { timeZone: "America/Cayenne" } });
    invalidateTenantCache();
    const tenant = await resolveTenant(town.host);
    expect(tenant?.name).toBe(`Ville ${town.slug}`);
    expect(tenant?.timeZone).toBe("America/Cayenne");
  });

  it("refuses an invalid result and writes nothing", async () => {
    const town = await createTestTenant();
    await expect(withTenant(town.id, (tx) => saveTenantOverrides(tx, town.id, { timeZone: "Mars/Olympus" }))).rejects.toBeInstanceOf(TenantSettingsError);
    await expect(
      withTenant(town.id, (tx) => saveTenantOverrides(tx, town.id, { locales: { default: "en", enabled: ["fr"] } })),
    ).rejects.toBeInstanceOf(TenantSettingsError);
    expect(await withTenant(town.id, (tx) => readTenantOverrides(tx))).toEqual({});
  });

  it("keeps both of two concurrent saves of different settings", async () => {
    const town = await createTestTenant();
    await Promise.all([
      withTenant(town.id, (tx) => saveTenantOverrides(tx, town.id, { name: "Nom" })),
      withTenant(town.id, (tx) => saveTenantOverrides(tx, town.id, { audit: { retentionDays: 200 } })),
      withTenant(town.id, (tx) => saveTenantOverrides(tx, town.id, { security: { staffTwoFactorRequired: true } })),
    ]);
    expect(await withTenant(town.id, (tx) => readTenantOverrides(tx))).toEqual({ name: "Nom", audit: { retentionDays: 200 }, security: { staffTwoFactorRequired: true } });
  });

  it("one town's settings are invisible to another", async () => {
    const [a, b] = [await createTestTenant(), await createTestTenant()];
    await withTenant(a.id, (tx) => saveTenantOverrides(tx, a.id, { name: "Seulement A" }));
    expect(await withTenant(b.id, (tx) => readTenantOverrides(tx))).toEqual({});
    await expect(withTenant(b.id, (tx) => saveTenantOverrides(tx, a.id, { name: "Intrus" }))).rejects.toThrow();
    expect(await withTenant(a.id, (tx) => readTenantOverrides(tx))).toEqual({ name: "Seulement A" });
  });
});
