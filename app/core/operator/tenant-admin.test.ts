// The operator console's changes to the towns, called as Remix calls them: creating a town
// from its INSEE code, suspending and resuming it, exporting its data. Every action must be
// audited in the town's own log, leave nothing half-done on bad input, and not exist at all
// on a town's host.
import { listModules } from "~/core/modules/registry.server";
import crypto from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { createSession, sessionCookieName } from "~/core/auth/session.server";
import { hashPassword } from "~/core/auth/password.server";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { getModule } from "~/core/modules/registry.server";
import { defaultRoleRules, VISITOR } from "~/core/permissions/catalog.server";
import { loader as rootLoader } from "~/root";
import { loader as tenantsLoader } from "~/routes/operateur+/_index";
import { action as createAction, loader as createLoader } from "~/routes/operateur+/communes.nouvelle";
import { action as statusAction, loader as statusLoader } from "~/routes/operateur+/communes.$slug.etat";
import { action as exportAction } from "~/routes/operateur+/communes.$slug.export";
import { loader as accountLoader } from "~/routes/compte";
import { action as signInAction, loader as signInLoader } from "~/routes/connexion";
import { loader as directoryLoader } from "~/modules/directory/routes/initiatives+/_index";
import { createTestTenant, ownerDb, type TestTenant } from "../../../db/test/helpers";
import type { ExportManifest } from "../tenant/portability.server";
import { browser, get, keepCookies, OPERATOR_HOST, operatorBrowser, post, settle, type Browser } from "./testing";

afterAll(async () => {
  await closeDatabase();
});

const PASSWORD = "Un-mot-de-passe-solide-42";
const NEW = "/operateur/communes/nouvelle";

/** A complete, valid "new town" form for Libercourt (INSEE 62907). */
function validFields(slug: string, overrides: Record<string, string | string[]> = {}) {
  return {
    inseeCode: "62907",
    name: "Libercourt",
    slug,
    hosts: `${slug}.localhost\nwww.${slug}.localhost`,
    modules: ["directory"],
    timeZone: "Europe/Paris",
    primary: "#1D4ED8",
    accent: "#0f766e",
    latitude: "50,4822",
    longitude: "3.0156",
    publisher: "Commune de Libercourt",
    publicationDirector: "Le maire",
    address: "Hôtel de ville, 62820 Libercourt",
    legalEmail: "contact@libercourt.example.org",
    hosting: "Communa, 1 rue de l'Hébergement, 59000 Lille, 03 00 00 00 00",
    accessibilityEmail: "accessibilite@libercourt.example.org",
    staffEmail: "Agent.Premier@Libercourt.example.org",
    ...overrides,
  };
}

const newSlug = () => `cree-${crypto.randomBytes(4).toString("hex")}`;

function submitCreate(b: Browser, fields: Record<string, string | string[]>) {
  return settle(() => createAction({ request: post(b, OPERATOR_HOST, `${NEW}?insee=62907`, fields), params: {}, context: b.context }));
}

function tenantBySlug(slug: string) {
  return ownerDb().selectFrom("tenants").selectAll().where("slug", "=", slug).executeTakeFirst();
}

function auditOf(tenantId: string) {
  return withTenant(tenantId, (tx) => tx.selectFrom("audit_log").selectAll().orderBy("id").execute());
}

/** A town account with a password, a role and an open session; returns its Cookie header. */
async function townAccount(tenant: TestTenant, role: string) {
  const email = `${role}-${crypto.randomBytes(3).toString("hex")}@ville.test`;
  return withTenant(tenant.id, async (tx) => {
    const user = await tx
      .insertInto("users")
      .values({ tenant_id: tenant.id, email, password_hash: await hashPassword(PASSWORD), display_name: "Agent", email_verified_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx.insertInto("user_roles").values({ tenant_id: tenant.id, user_id: user.id, role }).execute();
    const setCookie = await createSession(tx, tenant.id, user.id, {});
    return { email, userId: user.id, cookie: setCookie.split(";")[0] };
  });
}

function townGet(host: string, path: string, cookie?: string) {
  return new Request(`http://${host}${path}`, { headers: { host, ...(cookie ? { cookie } : {}) } });
}

describe("looking a commune up by its INSEE code", () => {
  it("fills name, population and postcodes from the official dataset, and proposes a slug and a time zone", async () => {
    const { b } = await operatorBrowser();
    const response = await settle(() => createLoader({ request: get(b, OPERATOR_HOST, `${NEW}?insee=59350`), params: {}, context: b.context }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.facts).toMatchObject({ inseeCode: "59350", officialName: "Lille", type: "commune-actuelle", departement: "59" });
    expect(body.facts.population).toBeGreaterThan(200_000);
    expect(body.facts.postalCodes).toEqual(expect.arrayContaining(["59000", "59800"]));
    expect(body.defaults).toMatchObject({ name: "Lille", slug: "lille", timeZone: "Europe/Paris", modules: listModules().map((m) => m.id) });

    const reunion = await settle(() => createLoader({ request: get(b, OPERATOR_HOST, `${NEW}?insee=97411`), params: {}, context: b.context }));
    const saintDenis = await reunion.json();
    expect(saintDenis.facts.officialName).toBe("Saint-Denis");
    expect(saintDenis.defaults).toMatchObject({ slug: "saint-denis", timeZone: "Indian/Reunion" });
  });

  it("answers 400 with a translated message for an unknown or malformed code", async () => {
    const { b } = await operatorBrowser();
    for (const [code, key] of [
      ["99999", "operator:create.errors.inseeUnknown"],
      ["5935", "operator:create.errors.inseeInvalid"],
      ["59000 OR 1=1", "operator:create.errors.inseeInvalid"],
    ]) {
      const response = await settle(() =>
        createLoader({ request: get(b, OPERATOR_HOST, `${NEW}?insee=${encodeURIComponent(code)}`), params: {}, context: b.context }),
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ lookupError: key, facts: null });
    }
  });
});

describe("creating a town", () => {
  it("creates it in one go, usable at once on its host, with its roles, modules, invitation and audit entry", async () => {
    const { b, operatorId, email: operatorEmail } = await operatorBrowser("Camille Opératrice");
    const slug = newSlug();
    const host = `${slug}.localhost`;
    // Asked for before it exists: the resolver caches the miss, creation must clear it.
    const before = await settle(() => rootLoader({ request: townGet(host, "/"), params: {}, context: browser().context }));
    expect(before.status).toBe(404);

    const response = await submitCreate(b, validFields(slug));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/operateur?ok=created&commune=${slug}`);

    const row = (await tenantBySlug(slug))!;
    expect(row).toMatchObject({ name: "Libercourt", hosts: [host, `www.${host}`], status: "active" });
    const definition = row.definition as Record<string, any>;
    expect(definition.commune).toMatchObject({ inseeCode: "62907", officialName: "Libercourt", postalCodes: ["62820"] });
    expect(definition.commune.population).toBeGreaterThan(5000);
    expect(definition).toMatchObject({
      timeZone: "Europe/Paris",
      theme: { primary: "#1d4ed8", accent: "#0f766e" },
      map: { center: [3.0156, 50.4822], zoom: 13 },
      accessibility: { status: "none", contactEmail: "accessibilite@libercourt.example.org" },
      demo: false,
      hasLogo: false,
    });

    const shell = await settle(() => rootLoader({ request: townGet(host, "/"), params: {}, context: browser().context }));
    expect(shell.status).toBe(200);
    expect(await shell.json()).toMatchObject({ shell: "tenant", tenant: { slug, name: "Libercourt", status: "active" } });

    const town = await withTenant(row.id, async (tx) => ({
      roles: await tx.selectFrom("roles").select(["key", "is_builtin", "labels", "rules"]).orderBy("key").execute(),
      visitor: await tx.selectFrom("visitor_permissions").select("rules").executeTakeFirst(),
      modules: await tx.selectFrom("tenant_modules").select(["module_id", "enabled", "settings"]).execute(),
      invitations: await tx.selectFrom("invitations").selectAll().execute(),
      mail: await tx.selectFrom("outbox_emails").select(["to_address", "subject", "text_body"]).execute(),
    }));
    expect(town.roles).toHaveLength(6);
    expect(town.roles.find((r) => r.key === "staff")).toMatchObject({ is_builtin: true, labels: { fr: "Agent·e de la ville", en: expect.any(String) } });
    for (const role of town.roles) expect(role.rules, role.key).toEqual(defaultRoleRules(role.key));
    expect(town.visitor?.rules).toEqual(defaultRoleRules(VISITOR));
    expect(town.modules).toEqual([{ module_id: "directory", enabled: true, settings: getModule("directory")!.settings.parse({}) }]);
    expect(town.invitations).toHaveLength(1);
    const invitation = town.invitations[0];
    expect(invitation).toMatchObject({ email: "agent.premier@libercourt.example.org", role: "staff", invited_by_kind: "operator", accepted_at: null });
    expect(invitation.invited_by_label).toContain(operatorEmail);
    const days = (invitation.expires_at.getTime() - invitation.created_at.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
    expect(town.mail).toHaveLength(1);
    expect(town.mail[0].to_address).toBe("agent.premier@libercourt.example.org");
    expect(town.mail[0].subject).toContain("Libercourt");
    const link = town.mail[0].text_body.match(/http:\/\/([^/\s]+)\/invitation\?token=([A-Za-z0-9_-]{43})/);
    expect(link?.[1]).toBe(host);
    // Only the token's hash is stored.
    expect(invitation.token_hash).toBe(crypto.createHash("sha256").update(link![2]).digest("hex"));

    const audit = await auditOf(row.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_kind: "operator", actor_id: operatorId, action: "tenant.create", subject_type: "tenant", subject_id: row.id, before: null });
    expect(audit[0].actor_label).toBe(`Camille Opératrice <${operatorEmail}>`);
    expect(audit[0].after).toMatchObject({ slug, inseeCode: "62907", hosts: [host, `www.${host}`], modules: ["directory"], invitedStaff: "agent.premier@libercourt.example.org" });

    const list = await settle(() => tenantsLoader({ request: get(b, OPERATOR_HOST, `/operateur?ok=created&commune=${slug}`), params: {}, context: b.context }));
    const listed = await list.json();
    expect(listed.notice).toContain("Libercourt");
    expect(listed.tenants.find((t: { slug: string }) => t.slug === slug)).toMatchObject({ status: "active", enabledModules: ["directory"] });
  });

  it("creates a town without any module when none is ticked", async () => {
    const { b } = await operatorBrowser();
    const slug = newSlug();
    const fields: Record<string, string | string[]> = validFields(slug);
    delete fields.modules;
    expect((await submitCreate(b, fields)).status).toBe(302);
    const row = (await tenantBySlug(slug))!;
    expect(await withTenant(row.id, (tx) => tx.selectFrom("tenant_modules").select("module_id").execute())).toEqual([]);
  });

  it("refuses bad input with translated field errors, the values typed, and nothing written", async () => {
    const { b } = await operatorBrowser();
    const existing = await createTestTenant();
    const cases: Array<{ fields: Record<string, string | string[]>; errors: Record<string, string>; message?: RegExp }> = [
      { fields: { inseeCode: "62907" }, errors: { name: "operator:create.errors.nameRequired", slug: "operator:create.errors.slugRequired", hosts: "operator:create.errors.hostsRequired", latitude: "operator:create.errors.latitude", staffEmail: "operator:create.errors.staffEmailRequired", publisher: "operator:create.errors.publisherRequired" } },
      { fields: { inseeCode: "99999" }, errors: { _form: "operator:create.errors.inseeUnknown" } },
      { fields: { slug: existing.slug }, errors: { slug: "operator:create.errors.slugTaken" } },
      { fields: { slug: "Pas Un Slug" }, errors: { slug: "operator:create.errors.slugInvalid" } },
      { fields: { hosts: `libre.localhost\n${existing.host}` }, errors: { hosts: "operator:create.errors.hostsTaken" }, message: new RegExp(existing.host) },
      { fields: { hosts: "admin.localhost" }, errors: { hosts: "operator:create.errors.hostsOperator" } },
      { fields: { hosts: "pas_un_hote" }, errors: { hosts: "operator:create.errors.hostsInvalid" } },
      { fields: { primary: "#ffff00" }, errors: { primary: "operator:create.errors.colourContrast" } },
      { fields: { accent: "bleu" }, errors: { accent: "operator:create.errors.colourInvalid" } },
      { fields: { latitude: "nord", longitude: "200" }, errors: { latitude: "operator:create.errors.latitude", longitude: "operator:create.errors.longitude" } },
      { fields: { timeZone: "Europe/Berlin" }, errors: { timeZone: "operator:create.errors.timeZone" } },
      { fields: { modules: ["directory", "inexistant"] }, errors: { modules: "operator:create.errors.moduleUnknown" } },
      { fields: { staffEmail: "pas-une-adresse" }, errors: { staffEmail: "common:form.errors.email" } },
    ];
    for (const c of cases) {
      const slug = newSlug();
      const fields = c.fields.inseeCode === "62907" && Object.keys(c.fields).length === 1 ? { inseeCode: "62907" } : validFields(slug, c.fields);
      const response = await submitCreate(b, fields);
      expect(response.status, JSON.stringify(c.fields)).toBe(400);
      const body = await response.json();
      expect(body.errors, JSON.stringify(c.fields)).toMatchObject(c.errors);
      if (c.message) expect(body.message).toMatch(c.message);
      if ("slug" in fields && typeof fields.slug === "string") {
        expect(body.values.slug).toBe(fields.slug);
        if (fields.slug !== existing.slug) expect(await tenantBySlug(fields.slug), "no tenant row").toBeUndefined();
      }
    }
    // The existing town whose slug and host were asked for is left as it was.
    expect(await auditOf(existing.id)).toEqual([]);
  });

  it("refuses without the CSRF token, and sends a visitor who is not signed in to the sign-in page", async () => {
    const { b } = await operatorBrowser();
    const slug = newSlug();
    const refused = await settle(() => createAction({ request: post(b, OPERATOR_HOST, NEW, validFields(slug), { csrf: null }), params: {}, context: b.context }));
    expect(refused.status).toBe(403);
    const anonymous = browser();
    const redirected = await settle(() => createAction({ request: post(anonymous, OPERATOR_HOST, NEW, validFields(slug)), params: {}, context: anonymous.context }));
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("location")).toMatch(/^\/operateur\/connexion/);
    expect(await tenantBySlug(slug)).toBeUndefined();
  });
});

describe("suspending and resuming a town", () => {
  it("confirms first, suspends (notice, no sign-in, no action, data kept), then resumes everything, auditing both", async () => {
    const { b, operatorId } = await operatorBrowser();
    const tenant = await createTestTenant({ modules: { directory: {} } });
    const staff = await townAccount(tenant, "staff");
    const path = `/operateur/communes/${tenant.slug}/etat`;
    const params = { slug: tenant.slug };

    const confirm = await settle(() => statusLoader({ request: get(b, OPERATOR_HOST, path), params, context: b.context }));
    expect(await confirm.json()).toMatchObject({ target: "suspended", tenant: { slug: tenant.slug, hosts: [tenant.host] } });

    const noToken = await settle(() => statusAction({ request: post(b, OPERATOR_HOST, path, { status: "suspended" }, { csrf: null }), params, context: b.context }));
    expect(noToken.status).toBe(403);
    const bogus = await settle(() => statusAction({ request: post(b, OPERATOR_HOST, path, { status: "deleted" }), params, context: b.context }));
    expect(bogus.status).toBe(400);
    expect((await tenantBySlug(tenant.slug))!.status).toBe("active");

    const suspended = await settle(() => statusAction({ request: post(b, OPERATOR_HOST, path, { status: "suspended" }), params, context: b.context }));
    expect(suspended.status).toBe(302);
    expect(suspended.headers.get("location")).toBe(`/operateur?ok=suspended&commune=${tenant.slug}`);
    expect((await tenantBySlug(tenant.slug))!.status).toBe("suspended");

    // The portal: the shell answers (with the notice), nothing else does.
    const town = browser();
    const shell = await settle(() => rootLoader({ request: townGet(tenant.host, "/", staff.cookie), params: {}, context: town.context }));
    expect(shell.status).toBe(200);
    expect(await shell.json()).toMatchObject({ tenant: { status: "suspended" } });
    const signInPage = await settle(() => signInLoader({ request: townGet(tenant.host, "/connexion"), params: {}, context: town.context }));
    expect(signInPage.status).toBe(503);
    const signIn = await settle(() =>
      signInAction({ request: post(town, tenant.host, "/connexion", { email: staff.email, password: PASSWORD }), params: {}, context: town.context }),
    );
    expect(signIn.status).toBe(503);
    expect(await signIn.json()).toEqual({ reason: "suspended" });
    const account = await settle(() => accountLoader({ request: townGet(tenant.host, "/compte", staff.cookie), params: {}, context: town.context }));
    expect(account.status).toBe(503);
    const directory = await settle(() => directoryLoader({ request: townGet(tenant.host, "/initiatives"), params: {}, context: town.context }));
    expect(directory.status).toBe(503);

    // A second click asking for the same state changes and logs nothing.
    const again = await settle(() => statusAction({ request: post(b, OPERATOR_HOST, path, { status: "suspended" }), params, context: b.context }));
    expect(again.headers.get("location")).toBe(`/operateur?ok=unchanged&commune=${tenant.slug}`);

    const resumeConfirm = await settle(() => statusLoader({ request: get(b, OPERATOR_HOST, path), params, context: b.context }));
    expect((await resumeConfirm.json()).target).toBe("active");
    const resumed = await settle(() => statusAction({ request: post(b, OPERATOR_HOST, path, { status: "active" }), params, context: b.context }));
    expect(resumed.headers.get("location")).toBe(`/operateur?ok=resumed&commune=${tenant.slug}`);

    // Everything is back: the session opened before the suspension, sign-in, the module.
    const accountAgain = await settle(() => accountLoader({ request: townGet(tenant.host, "/compte", staff.cookie), params: {}, context: town.context }));
    expect(accountAgain.status).toBe(200);
    const signInAgain = await settle(() =>
      signInAction({ request: post(town, tenant.host, "/connexion", { email: staff.email, password: PASSWORD }), params: {}, context: town.context }),
    );
    expect(signInAgain.status).toBe(302);
    const directoryAgain = await settle(() => directoryLoader({ request: townGet(tenant.host, "/initiatives"), params: {}, context: town.context }));
    expect(directoryAgain.status).toBe(200);

    const audit = await auditOf(tenant.id);
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      ["tenant.suspend", { status: "active" }, { status: "suspended" }],
      ["tenant.resume", { status: "suspended" }, { status: "active" }],
    ]);
    expect(audit.every((a) => a.actor_kind === "operator" && a.actor_id === operatorId)).toBe(true);

    const list = await settle(() => tenantsLoader({ request: get(b, OPERATOR_HOST, `/operateur?ok=suspended&commune=${tenant.slug}`), params: {}, context: b.context }));
    expect((await list.json()).notice).toContain(`Ville ${tenant.slug}`);
  });

  it("answers 404 for an unknown town", async () => {
    const { b } = await operatorBrowser();
    const params = { slug: "nulle-part" };
    expect((await settle(() => statusLoader({ request: get(b, OPERATOR_HOST, "/operateur/communes/nulle-part/etat"), params, context: b.context }))).status).toBe(404);
    expect(
      (await settle(() => statusAction({ request: post(b, OPERATOR_HOST, "/operateur/communes/nulle-part/etat", { status: "suspended" }), params, context: b.context })))
        .status,
    ).toBe(404);
  });
});

describe("exporting a town from the console", () => {
  it("downloads a zip of every table (JSON and CSV) and records the export in the town's audit log", async () => {
    const { b, operatorId } = await operatorBrowser();
    const tenant = await createTestTenant({ modules: { directory: {} } });
    const staff = await townAccount(tenant, "staff");
    const other = await createTestTenant();
    await townAccount(other, "resident");
    const path = `/operateur/communes/${tenant.slug}/export`;
    const response = await settle(() => exportAction({ request: post(b, OPERATOR_HOST, path, {}), params: { slug: tenant.slug }, context: b.context }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="communa-${tenant.slug}-\\d{4}-\\d{2}-\\d{2}\\.zip"$`));
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const manifest = JSON.parse(strFromU8(files["manifest.json"])) as ExportManifest;
    expect(manifest.tenant).toEqual({ id: tenant.id, slug: tenant.slug, name: `Ville ${tenant.slug}` });
    expect(manifest.tables[0].name).toBe("tenants");
    expect(manifest.tables.find((t) => t.name === "users")?.rows).toBe(1);
    const users = JSON.parse(strFromU8(files["tables/users.json"]));
    expect(users.map((u: { email: string }) => u.email)).toEqual([staff.email]);
    // Another town's rows never reach the archive.
    expect(strFromU8(files["tables/users.csv"]).split("\n")[0]).toMatch(/^tenant_id,id,email,/);
    for (const [name, bytes] of Object.entries(files)) expect(strFromU8(bytes), name).not.toContain(other.id);

    const audit = await auditOf(tenant.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "tenant.export", actor_kind: "operator", actor_id: operatorId, subject_id: tenant.id });
    expect((audit[0].after as { tables: Array<{ name: string; rows: number }> }).tables).toContainEqual({ name: "users", rows: 1 });
  });

  it("refuses without the CSRF token and answers 404 for an unknown town", async () => {
    const { b } = await operatorBrowser();
    const tenant = await createTestTenant();
    const path = `/operateur/communes/${tenant.slug}/export`;
    expect((await settle(() => exportAction({ request: post(b, OPERATOR_HOST, path, {}, { csrf: null }), params: { slug: tenant.slug }, context: b.context }))).status).toBe(403);
    expect(await auditOf(tenant.id)).toEqual([]);
    const unknown = await settle(() =>
      exportAction({ request: post(b, OPERATOR_HOST, "/operateur/communes/nulle-part/export", {}), params: { slug: "nulle-part" }, context: b.context }),
    );
    expect(unknown.status).toBe(404);
  });
});

describe("a town's staff and the console's actions", () => {
  it("get 404 on the town's host for every one of them, signed in as staff or not, and change nothing", async () => {
    const tenant = await createTestTenant();
    const staff = await townAccount(tenant, "staff");
    const b = browser();
    b.cookies.set(sessionCookieName(), staff.cookie.split("=")[1]);
    // Even an operator's own cookie is worth nothing on a town's host.
    const operator = await operatorBrowser();
    for (const [name, value] of operator.b.cookies) b.cookies.set(name, value);
    const params = { slug: tenant.slug };
    const slug = newSlug();
    const calls: Array<() => Promise<unknown>> = [
      () => createLoader({ request: get(b, tenant.host, `${NEW}?insee=62907`), params: {}, context: b.context }),
      () => createAction({ request: post(b, tenant.host, NEW, validFields(slug)), params: {}, context: b.context }),
      () => statusLoader({ request: get(b, tenant.host, `/operateur/communes/${tenant.slug}/etat`), params, context: b.context }),
      () => statusAction({ request: post(b, tenant.host, `/operateur/communes/${tenant.slug}/etat`, { status: "suspended" }), params, context: b.context }),
      () => exportAction({ request: post(b, tenant.host, `/operateur/communes/${tenant.slug}/export`, {}), params, context: b.context }),
    ];
    for (const call of calls) {
      const response = await settle(call);
      expect(response.status).toBe(404);
      keepCookies(b, response);
    }
    expect(await tenantBySlug(slug)).toBeUndefined();
    expect((await tenantBySlug(tenant.slug))!.status).toBe("active");
    expect(await auditOf(tenant.id)).toEqual([]);
  });
});
