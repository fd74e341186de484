// `npm run tenants:sync`: a valid folder is applied, re-applying changes nothing, and an
// invalid one is refused with file, field and problem, leaving the database untouched.
import path from "node:path";
import communes from "@etalab/decoupage-administratif/data/communes.json" with { type: "json" };
import { closeDatabase, withPlatform, withTenant } from "../app/core/db/db.server";
import { getModule } from "../app/core/modules/registry.server";
import frRoles from "../app/core/locales/fr/roles.json";
import { saveTenantOverrides } from "../app/core/tenant/settings.server";
import { communeFacts, resolvePostalCodes, syncTenants, TenantDefinitionError } from "./tenants-sync";
import { createTestTenant } from "./test/helpers";
import { removeTenantFolder, uniqueSlug, validDefinition, validDemo, writeTenantFolder, type TenantFixture } from "./test/tenant-folders";

const ownerUrl = () => process.env.TEST_OWNER_DATABASE_URL!;
const quiet = () => undefined;
const folders: string[] = [];

async function folder(tenants: TenantFixture[]) {
  const dir = await writeTenantFolder(tenants);
  folders.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(folders.map(removeTenantFolder));
  await closeDatabase();
});

function tenantRows(slugs: string[]) {
  return withPlatform((tx) => tx.selectFrom("tenants").select(["id", "slug", "name", "hosts", "definition"]).where("slug", "in", slugs).execute());
}

/** Everything a tenant owns, as the app sees it (minus timestamps that a re-sync may touch). */
async function snapshot(tenantId: string) {
  return withTenant(tenantId, async (tx) => ({
    modules: await tx.selectFrom("tenant_modules").select(["module_id", "enabled", "settings"]).orderBy("module_id").execute(),
    roles: await tx.selectFrom("roles").select(["key", "is_builtin", "labels"]).orderBy("key").execute(),
    assets: await tx.selectFrom("tenant_assets").select(["key", "content_type", "bytes"]).orderBy("key").execute(),
    organisations: await tx.selectFrom("organisations").select(["id", "name", "kind", "is_demo"]).orderBy("name").execute(),
    users: await tx.selectFrom("users").select(["id", "email", "display_name", "password_hash", "is_demo"]).orderBy("email").execute(),
    userRoles: await tx.selectFrom("user_roles").select(["id", "user_id", "role", "organisation_id"]).orderBy("id").execute(),
  }));
}

describe("syncTenants with a valid folder", () => {
  it("applies the definition, the logo, the module settings, the built-in roles and the demo data", async () => {
    const slug = uniqueSlug();
    const dir = await folder([{ slug, definition: validDefinition(slug), demo: validDemo() }]);

    expect(await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet })).toEqual([slug]);

    const [tenant] = await tenantRows([slug]);
    expect(tenant).toMatchObject({ slug, name: `Ville ${slug}`, hosts: [`${slug}.localhost`] });
    expect(tenant.definition).toMatchObject({
      hasLogo: true,
      commune: { inseeCode: "62907", officialName: "Libercourt", population: 7973, postalCodes: ["62820"] },
    });
    const state = await snapshot(tenant.id);
    // Stored with the module's defaults filled in: the file only sets freshnessMonths.
    const settings = getModule("directory")!.settings.parse({ freshnessMonths: 6 });
    expect(Object.keys(settings).length).toBeGreaterThan(1);
    expect(state.modules).toEqual([{ module_id: "directory", enabled: true, settings }]);
    expect(state.roles.map((r) => r.key).sort()).toEqual(Object.keys(frRoles.labels).sort());
    expect(state.roles.find((r) => r.key === "staff")?.labels).toEqual({ fr: "Agent·e de la ville", en: "City staff" });
    expect(state.assets).toHaveLength(1);
    expect(state.assets[0].content_type).toBe("image/svg+xml");
    expect(state.users.map((u) => u.email)).toEqual(["association@example.org", "habitant@example.org"]);
    expect(state.users.every((u) => u.is_demo && u.password_hash.startsWith("$argon2id$"))).toBe(true);
    const manager = state.users.find((u) => u.email === "association@example.org")!;
    const managerRoles = state.userRoles.filter((r) => r.user_id === manager.id);
    expect(managerRoles.map((r) => [r.role, r.organisation_id])).toEqual(
      expect.arrayContaining([["resident", null], ["association_manager", state.organisations[0].id]]),
    );
  });

  it("is idempotent: a second run leaves the same rows, with no duplicated demo account", async () => {
    const slug = uniqueSlug();
    const dir = await folder([{ slug, definition: validDefinition(slug), demo: validDemo() }]);
    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });
    const [first] = await tenantRows([slug]);
    const before = await snapshot(first.id);

    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });

    const again = await tenantRows([slug]);
    expect(again).toHaveLength(1);
    expect(again[0].id).toBe(first.id);
    expect(again[0].definition).toEqual(first.definition);
    expect(await snapshot(first.id)).toEqual(before);
    expect(before.users).toHaveLength(2);
  });

  it("keeps what was changed on a demo account since the last run", async () => {
    const slug = uniqueSlug();
    const dir = await folder([{ slug, definition: validDefinition(slug), demo: validDemo() }]);
    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });
    const [tenant] = await tenantRows([slug]);
    await withTenant(tenant.id, (tx) => tx.updateTable("users").set({ display_name: "Camille, renommée" }).where("email", "=", "habitant@example.org").execute());

    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });

    const names = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("display_name").where("email", "=", "habitant@example.org").execute());
    expect(names).toEqual([{ display_name: "Camille, renommée" }]);
  });

  it("applies an edited definition: new name, module left out switched off, logo removed", async () => {
    const slug = uniqueSlug();
    const definition = validDefinition(slug);
    const dir = await folder([{ slug, definition }]);
    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });

    const edited = { ...definition, name: "Nouveau nom", modules: {}, theme: { primary: "#1d4ed8", accent: "#0f766e" } };
    const dir2 = await folder([{ slug, definition: edited, logo: null }]);
    await syncTenants({ ownerUrl: ownerUrl(), dir: dir2, log: quiet });

    const [tenant] = await tenantRows([slug]);
    expect(tenant.name).toBe("Nouveau nom");
    expect(tenant.definition).toMatchObject({ hasLogo: false });
    const state = await snapshot(tenant.id);
    expect(state.modules).toEqual([expect.objectContaining({ module_id: "directory", enabled: false })]);
    expect(state.assets).toEqual([]);
  });
});

describe("syncTenants after changes made in the staff console", () => {
  it("leaves a module staff changed and a logo staff uploaded as they are", async () => {
    const slug = uniqueSlug();
    const definition = validDefinition(slug);
    const dir = await folder([{ slug, definition }]);
    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });
    const [tenant] = await tenantRows([slug]);
    const uploaded = Buffer.from("uploaded by staff");
    await withTenant(tenant.id, async (tx) => {
      await tx.updateTable("tenant_modules").set({ enabled: false, settings: JSON.stringify({ freshnessMonths: 3 }), managed_by: "console" }).where("module_id", "=", "directory").execute();
      await tx.updateTable("tenant_assets").set({ bytes: uploaded, content_type: "image/png" }).where("key", "=", "logo").execute();
      await saveTenantOverrides(tx, tenant.id, { logo: { contentType: "image/png", uploadedAt: new Date().toISOString() } });
    });

    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });
    let state = await snapshot(tenant.id);
    expect(state.modules).toEqual([{ module_id: "directory", enabled: false, settings: { freshnessMonths: 3 } }]);
    expect(state.assets).toEqual([{ key: "logo", content_type: "image/png", bytes: uploaded }]);

    // Left out of the file: a module staff manage is not switched off by the file either.
    await withTenant(tenant.id, (tx) => tx.updateTable("tenant_modules").set({ enabled: true }).where("module_id", "=", "directory").execute());
    const dir2 = await folder([{ slug, definition: { ...definition, modules: {}, theme: { primary: "#1d4ed8", accent: "#0f766e" } }, logo: null }]);
    await syncTenants({ ownerUrl: ownerUrl(), dir: dir2, log: quiet });
    state = await snapshot(tenant.id);
    expect(state.modules).toEqual([expect.objectContaining({ module_id: "directory", enabled: true })]);
    expect(state.assets).toHaveLength(1);
  });
});

describe("syncTenants with an invalid folder", () => {
  type Case = {
    name: string;
    /** Makes the invalid tenant of the folder; `slug` is its folder name. */
    make: (slug: string) => Omit<TenantFixture, "slug">;
    /** Field and problem expected after "<folder>/<slug>/<file>: ". */
    field: string;
    problem: RegExp;
    file?: string;
  };
  const change = (slug: string, fn: (d: Record<string, any>) => void) => {
    const d = validDefinition(slug);
    fn(d);
    return { definition: d };
  };
  const cases: Case[] = [
    { name: "bad JSON", make: () => ({ definition: '{ "name": "Ville", ' }), field: "", problem: /not valid JSON/ },
    { name: "missing field", make: (s) => change(s, (d) => delete d.legal), field: "legal", problem: /missing \(required object\)/ },
    { name: "unknown field", make: (s) => change(s, (d) => (d.colour = "blue")), field: "(file)", problem: /Unrecognized key\(s\) in object: 'colour'/ },
    { name: "unknown module", make: (s) => change(s, (d) => (d.modules.petanque = { enabled: true })), field: "modules.petanque", problem: /unknown module/ },
    {
      name: "invalid module settings",
      make: (s) => change(s, (d) => (d.modules.directory.settings.freshnessMonths = 99)),
      field: "modules.directory.settings.freshnessMonths",
      problem: /less than or equal to 36/,
    },
    { name: "malformed INSEE code", make: (s) => change(s, (d) => (d.inseeCode = "5929")), field: "inseeCode", problem: /expected a 5-character INSEE code/ },
    { name: "INSEE code of no commune", make: (s) => change(s, (d) => (d.inseeCode = "99999")), field: "inseeCode", problem: /no commune with INSEE code 99999/ },
    {
      name: "primary colour below AA contrast",
      make: (s) => change(s, (d) => (d.theme.primary = "#ffcc00")),
      field: "theme.primary",
      problem: /white text on #ffcc00 has contrast 1\.\d\d:1, below the 4\.5:1 that WCAG AA requires/,
    },
    { name: "accent colour below AA contrast", make: (s) => change(s, (d) => (d.theme.accent = "#8ab4f8")), field: "theme.accent", problem: /below the 4\.5:1/ },
    { name: "centre outside bounds", make: (s) => change(s, (d) => (d.map.center = [2.35, 48.85])), field: "map.center", problem: /the centre must lie inside the bounds/ },
    { name: "unknown time zone", make: (s) => change(s, (d) => (d.timeZone = "Europe/Lille")), field: "timeZone", problem: /unknown IANA time zone/ },
    {
      name: "logo too big",
      make: (s) => ({ definition: validDefinition(s), logo: Buffer.alloc(300 * 1024, " ") }),
      field: "theme.logo",
      problem: /307200 bytes, over the 262144 allowed/,
    },
    { name: "missing logo file", make: (s) => ({ definition: validDefinition(s), logo: null }), field: "theme.logo", problem: /logo\.svg not found/ },
    {
      name: "postcode outside the parent commune's",
      make: (s) => change(s, (d) => Object.assign(d, { inseeCode: "59298", postalCodes: ["62820"] })),
      field: "postalCodes",
      problem: /62820 is not among the postcodes of Lille \(59000, 59160, 59260, 59777, 59800\), the commune Hellemmes-Lille is associated with/,
    },
    {
      name: "conformity claimed without an audit",
      make: (s) => change(s, (d) => (d.accessibility.status = "partial")),
      field: "accessibility.status",
      problem: /requires the date of the audit/,
    },
    {
      name: "demo account with an unknown organisation",
      make: (s) => {
        const demo = validDemo();
        demo.accounts[1].roles[1].organisation = "Inconnue";
        return { definition: validDefinition(s), demo };
      },
      file: "demo.json",
      field: "accounts.1.roles.1.organisation",
      problem: /no organisation named "Inconnue"/,
    },
  ];

  it.each(cases)("refuses $name, naming file, field and problem, and applies nothing", async ({ make, field, problem, file = "tenant.json" }) => {
    // The valid tenant sorts first: a half-applying sync would have written it already.
    const valid = uniqueSlug("a-ok");
    const invalid = uniqueSlug("b-bad");
    const dir = await folder([{ slug: valid, definition: validDefinition(valid), demo: validDemo() }, { slug: invalid, ...make(invalid) }]);

    const error = await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TenantDefinitionError);
    const prefix = `${path.join(dir, invalid, file)}: ${field ? field + ": " : ""}`;
    const line = (error as TenantDefinitionError).problems.find((p) => p.startsWith(prefix));
    expect(line, `no problem starting with "${prefix}" in:\n${(error as Error).message}`).toBeDefined();
    expect(line).toMatch(problem);
    expect((error as Error).message).toContain("nothing was applied");
    expect(await tenantRows([valid, invalid])).toEqual([]);
  });

  it("refuses a host used by two tenants of the folder, naming both", async () => {
    const first = uniqueSlug("a-first");
    const second = uniqueSlug("b-second");
    const shared = `${first}.localhost`;
    const other = validDefinition(second);
    other.hosts = [`${second}.localhost`, shared];
    const dir = await folder([{ slug: first, definition: validDefinition(first) }, { slug: second, definition: other }]);

    const error = (await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet }).catch((e: unknown) => e)) as TenantDefinitionError;

    expect(error).toBeInstanceOf(TenantDefinitionError);
    expect(error.problems).toEqual([`${path.join(dir, second, "tenant.json")}: hosts: "${shared}" is already used by tenant ${first}`]);
    expect(await tenantRows([first, second])).toEqual([]);
  });

  it("refuses a host already routed to a tenant of the database, and applies nothing", async () => {
    const existing = await createTestTenant();
    const valid = uniqueSlug("a-ok");
    const taker = uniqueSlug("b-taker");
    const definition = validDefinition(taker);
    definition.hosts = [existing.host];
    const dir = await folder([{ slug: valid, definition: validDefinition(valid) }, { slug: taker, definition }]);

    const error = (await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet }).catch((e: unknown) => e)) as TenantDefinitionError;

    expect(error).toBeInstanceOf(TenantDefinitionError);
    expect(error.problems).toEqual([`${path.join(dir, taker, "tenant.json")}: hosts: "${existing.host}" is already used by tenant ${existing.slug} in the database`]);
    expect(await tenantRows([valid, taker])).toEqual([]);
  });

  it("rolls back the tenants already written when a module's demo data fails while applying", async () => {
    const valid = uniqueSlug("a-ok");
    const broken = uniqueSlug("b-broken");
    // Module demo data is only checked by the module while it seeds, after the valid tenant
    // and this one's tenant row were written.
    const demo = validDemo();
    demo.modules = { directory: { initiatives: [{ name: "X", kind: "repair_cafe" }] } };
    const dir = await folder([{ slug: valid, definition: validDefinition(valid), demo: validDemo() }, { slug: broken, definition: validDefinition(broken), demo }]);

    const error = (await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet }).catch((e: unknown) => e)) as TenantDefinitionError;

    expect(error).toBeInstanceOf(TenantDefinitionError);
    expect(error.problems[0]).toMatch(new RegExp(`^${escape(path.join(dir, broken, "demo.json"))}: modules\\.directory\\.initiatives\\.0\\.name: `));
    // Its users, roles and demo rows hang off the tenant row (foreign keys): none survives.
    expect(await tenantRows([valid, broken])).toEqual([]);
  });
});

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

type Commune = { code: string; nom: string; type: string; departement?: string };
const COMMUNES = communes as Commune[];
const plain = (name: string) => name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

describe("communeFacts (official administrative dataset)", () => {
  it("describes Hellemmes-Lille (59298) as a commune associated with Lille, without population or postcodes of its own", () => {
    expect(communeFacts("59298")).toEqual({
      inseeCode: "59298",
      officialName: "Hellemmes-Lille",
      type: "commune-associee",
      population: null,
      postalCodes: [],
      departement: "59",
      chefLieu: "59350",
      parentName: "Lille",
    });
  });

  it("finds Lomme of the Nord (59355), never a namesake of Moselle", () => {
    const facts = communeFacts("59355");
    expect(facts).toMatchObject({ inseeCode: "59355", officialName: "Lomme", departement: "59", parentName: "Lille", population: null, postalCodes: [] });
    // The Moselle namesakes, looked up by name in the same dataset (in this edition:
    // Lommerange, 57411; no commune of Moselle is named exactly "Lomme").
    const moselle = COMMUNES.filter((c) => c.departement === "57" && plain(c.nom).startsWith("lomme"));
    expect(moselle.length).toBeGreaterThan(0);
    for (const namesake of moselle) {
      expect(facts?.inseeCode).not.toBe(namesake.code);
      expect(communeFacts(namesake.code)).toMatchObject({ inseeCode: namesake.code, departement: "57", officialName: namesake.nom });
    }
    // Lookups are by code only: a name is not a key.
    expect(communeFacts("Lomme")).toBeNull();
  });

  it("gives Libercourt (62907) its population and its postcode", () => {
    expect(communeFacts("62907")).toMatchObject({ officialName: "Libercourt", type: "commune-actuelle", population: 7973, postalCodes: ["62820"], parentName: null, chefLieu: null });
  });

  it("prefers the current commune when a delegated one shares its code", () => {
    const shared = COMMUNES.find((c) => c.type === "commune-deleguee" && COMMUNES.some((o) => o.code === c.code && o.type === "commune-actuelle"));
    expect(shared).toBeDefined();
    expect(communeFacts(shared!.code)?.type).toBe("commune-actuelle");
  });

  it("answers null for a code that names no commune", () => {
    expect(communeFacts("99999")).toBeNull();
  });
});

describe("resolvePostalCodes", () => {
  const hellemmes = communeFacts("59298")!;
  const libercourt = communeFacts("62907")!;

  it("uses the dataset's codes when the definition declares none", () => {
    expect(resolvePostalCodes(libercourt, undefined)).toEqual({ codes: ["62820"] });
    expect(resolvePostalCodes(hellemmes, undefined)).toEqual({ codes: [] });
  });

  it("accepts, for an associated commune, a subset of its parent's codes", () => {
    expect(resolvePostalCodes(hellemmes, ["59260"])).toEqual({ codes: ["59260"] });
  });

  it("refuses a code that is not its parent's", () => {
    expect(resolvePostalCodes(hellemmes, ["59260", "62820"])).toEqual({ problem: expect.stringMatching(/^62820 is not among the postcodes of Lille/) });
  });

  it("refuses, for a current commune, a code the dataset does not give it", () => {
    expect(resolvePostalCodes(libercourt, ["62821"])).toEqual({ problem: expect.stringMatching(/^62821 is not among the postcodes of Libercourt/) });
  });

  it("stores the declared codes with the definition when syncing", async () => {
    const slug = uniqueSlug();
    const definition = Object.assign(validDefinition(slug), { inseeCode: "59355", postalCodes: ["59160"] });
    const dir = await folder([{ slug, definition }]);
    await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });
    const [tenant] = await tenantRows([slug]);
    expect(tenant.definition).toMatchObject({ postalCodes: ["59160"], commune: { officialName: "Lomme", postalCodes: ["59160"], parentName: "Lille" } });
  });
});
