// The town settings pages called as Remix calls them, on a real database: a valid form is
// saved with its audit entry and the tenant context shows it at once (the action's
// after-commit invalidation); an invalid one answers 400 and writes nothing; only staff of
// the town itself, with a recent proof of their password, get in.
import { sql } from "kysely";
import sharp from "sharp";
import { createTestTenant, ownerDb, type TestTenant } from "../../../db/test/helpers";
import { sessionCookieName } from "~/core/auth/session.server";
import { getArgs, loadContext, respond } from "~/core/auth/testing";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { csrfTokenFor } from "~/core/http/csrf.server";
import { signedInUser } from "~/core/permissions/testing";
import { REAUTH_WINDOW_MS } from "~/core/route.server";
import { readTenantOverrides } from "~/core/tenant/settings.server";
import { resolveTenant } from "~/core/tenant/tenant.server";
import { LOGO_MAX_BODY_BYTES, LOGO_MAX_EDGE } from "~/core/tenant/town-logo.server";
import { loader as logoLoader } from "../logo";
import { loader as legalNoticeLoader } from "../mentions-legales";
import { loader as themeCssLoader } from "../theme[.]css";
import * as overview from "./commune._index";
import * as map from "./commune.carte";
import * as colours from "./commune.couleurs";
import * as identity from "./commune.identite";
import * as locales from "./commune.langues";
import * as logo from "./commune.logo";
import * as legal from "./commune.mentions";

afterAll(async () => {
  await closeDatabase();
});

type Fields = Record<string, string | string[] | File>;
type Route = { loader: (args: never) => Promise<unknown>; action?: (args: never) => Promise<unknown> };

const cookieOf = (token: string) => `${sessionCookieName()}=${token}`;

/** A multipart POST with a valid CSRF field, as the browser sends these forms. */
function post(town: TestTenant, path: string, fields: Fields, cookie?: string) {
  const context = loadContext();
  const body = new FormData();
  body.set("csrf", csrfTokenFor(context.csrfSeed));
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  const headers: Record<string, string> = { host: town.host };
  if (cookie) headers.cookie = cookie;
  return { request: new Request(`http://${town.host}${path}`, { method: "POST", headers, body }), params: {}, context } as never;
}

const get = (town: TestTenant, path: string, cookie?: string) => getArgs(town, path, cookie ? { cookie } : {}) as never;

async function staffOf(town: TestTenant) {
  const user = await signedInUser(town, [{ role: "staff" }]);
  return { ...user, cookie: cookieOf(user.token) };
}

const overridesOf = (town: TestTenant) => withTenant(town.id, (tx) => readTenantOverrides(tx));
const auditOf = (town: TestTenant) =>
  withTenant(town.id, (tx) => tx.selectFrom("audit_log").select(["action", "subject_type", "subject_id", "actor_id", "before", "after"]).orderBy("occurred_at").execute());
const assetsOf = (town: TestTenant) =>
  withTenant(town.id, (tx) => tx.selectFrom("tenant_assets").select(["key", "content_type", "bytes"]).orderBy("key").execute());

/** Nothing the town settings write: overrides, audit entries, stored files. */
const written = async (town: TestTenant) => ({ overrides: await overridesOf(town), audit: await auditOf(town), assets: await assetsOf(town) });

/** Posts as staff and checks the redirect to the section page with its notice. */
async function save(town: TestTenant, route: Route, path: string, fields: Fields, cookie: string, notice = "saved") {
  const response = await respond(() => route.action!(post(town, path, fields, cookie)));
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe(`${path}?ok=${notice}`);
}

async function refused(town: TestTenant, route: Route, path: string, fields: Fields, cookie: string) {
  const before = await written(town);
  const response = await respond(() => route.action!(post(town, path, fields, cookie)));
  expect(response.status).toBe(400);
  expect(await written(town)).toEqual(before);
  return response.json();
}

const themeFields = (primary: string, accent: string) => ({ primary, accent, primaryPicker: "#1d4ed8", accentPicker: "#0f766e", primaryShown: "#1d4ed8", accentShown: "#0f766e" });

describe("identity", () => {
  it("saves the name, audits it, and the portal shows it at once; returning to the platform's value removes the change", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    const platformName = `Ville ${town.slug}`;
    expect((await resolveTenant(town.host))?.name).toBe(platformName);

    await save(town, identity, "/admin/commune/identite", { name: "  Hellemmes-Lille  " }, staff.cookie);
    expect(await overridesOf(town)).toEqual({ name: "Hellemmes-Lille" });
    expect((await resolveTenant(town.host))?.name).toBe("Hellemmes-Lille");
    expect(await auditOf(town)).toEqual([
      { action: "town.identity", subject_type: "town", subject_id: "identity", actor_id: staff.id, before: { name: platformName }, after: { name: "Hellemmes-Lille" } },
    ]);
    const page = await (await respond(() => identity.loader(get(town, "/admin/commune/identite?ok=saved", staff.cookie)))).json();
    expect(page).toMatchObject({ name: "Hellemmes-Lille", platformName, changed: true, notice: "saved" });

    await save(town, identity, "/admin/commune/identite", { intent: "revert" }, staff.cookie, "reverted");
    expect(await overridesOf(town)).toEqual({});
    expect((await resolveTenant(town.host))?.name).toBe(platformName);
    expect((await auditOf(town))[1]).toMatchObject({ action: "town.identity", before: { name: "Hellemmes-Lille" }, after: { name: platformName } });
  });

  it("answers 400 for an empty or too long name and writes nothing", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    expect((await refused(town, identity, "/admin/commune/identite", { name: "   " }, staff.cookie)).errors).toEqual({ name: "console-town:identity.errors.nameRequired" });
    const long = await refused(town, identity, "/admin/commune/identite", { name: "x".repeat(121) }, staff.cookie);
    expect(long).toEqual({ errors: { name: "console-town:identity.errors.nameTooLong" }, values: { name: "x".repeat(121) } });
  });

  it("writes nothing and no audit entry when the value does not change", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    await save(town, identity, "/admin/commune/identite", { name: `Ville ${town.slug}` }, staff.cookie, "unchanged");
    expect(await written(town)).toEqual({ overrides: {}, audit: [], assets: [] });
  });
});

describe("colours", () => {
  it("refuses an unreadable colour, naming the pairing and its ratio, and writes nothing", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    const body = await refused(town, colours, "/admin/commune/couleurs", themeFields("#1d4ed8", "#14b8a6"), staff.cookie);
    expect(body.errors).toEqual({ accent: "console-town:theme.errors.accentUnreadable" });
    expect(body.contrast).toEqual({ accent: [{ pair: "accentWithWhite", ratio: "2,48" }] });
    expect(body.values).toMatchObject({ primary: "#1d4ed8", accent: "#14b8a6" });
  });

  it("saves readable colours; /theme.css serves them at once", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    await respond(() => themeCssLoader(get(town, "/theme.css")));
    await save(town, colours, "/admin/commune/couleurs", themeFields("#1E3A8A", "#115e59"), staff.cookie);
    expect(await overridesOf(town)).toEqual({ theme: { primary: "#1e3a8a", accent: "#115e59" } });
    const css = await (await respond(() => themeCssLoader(get(town, "/theme.css")))).text();
    expect(css).toContain("--brand:#1e3a8a");
    expect(css).toContain("--accent:#115e59");
    expect(await auditOf(town)).toMatchObject([
      { action: "town.theme", before: { primary: "#1d4ed8", accent: "#0f766e" }, after: { primary: "#1e3a8a", accent: "#115e59" } },
    ]);
  });
});

describe("map", () => {
  const fields = { centerLng: "3,02", centerLat: "50,48", zoom: "12,5", west: "2.9", south: "50.4", east: "3.1", north: "50.55" };

  it("saves the centre, zoom and bounds", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    await save(town, map, "/admin/commune/carte", fields, staff.cookie);
    const expected = { center: [3.02, 50.48], zoom: 12.5, bounds: [[2.9, 50.4], [3.1, 50.55]] };
    expect((await resolveTenant(town.host))?.definition.map).toEqual(expected);
    expect(await auditOf(town)).toMatchObject([{ action: "town.map", before: { center: [3.0156, 50.4822] }, after: expected }]);
  });

  it("answers 400 for a centre outside the bounds and writes nothing", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    const body = await refused(town, map, "/admin/commune/carte", { ...fields, centerLng: "3.5" }, staff.cookie);
    expect(body.errors).toEqual({ centerLng: "console-town:map.errors.centreOutsideLng" });
    expect(body.values.centerLng).toBe("3.5");
  });
});

describe("languages and time zone", () => {
  it("saves only what changed: a new time zone does not freeze the languages", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    await save(town, locales, "/admin/commune/langues", { enabled: ["fr", "en"], default: "fr", timeZone: "America/Cayenne" }, staff.cookie);
    expect(await overridesOf(town)).toEqual({ timeZone: "America/Cayenne" });
    await save(town, locales, "/admin/commune/langues", { enabled: ["fr"], default: "fr", timeZone: "America/Cayenne" }, staff.cookie);
    const tenant = await resolveTenant(town.host);
    expect([tenant?.locales, tenant?.timeZone]).toEqual([["fr"], "America/Cayenne"]);
    expect((await auditOf(town)).map((a) => [a.action, a.before, a.after])).toEqual([
      ["town.locales", { locales: { default: "fr", enabled: ["fr", "en"] }, timeZone: "Europe/Paris" }, { locales: { default: "fr", enabled: ["fr", "en"] }, timeZone: "America/Cayenne" }],
      ["town.locales", { locales: { default: "fr", enabled: ["fr", "en"] }, timeZone: "America/Cayenne" }, { locales: { default: "fr", enabled: ["fr"] }, timeZone: "America/Cayenne" }],
    ]);
  });

  it("answers 400 when the default language is not offered, keeping the boxes ticked", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    const body = await refused(town, locales, "/admin/commune/langues", { enabled: ["fr"], default: "en", timeZone: "Europe/Paris" }, staff.cookie);
    expect(body.errors).toEqual({ default: "console-town:locales.errors.defaultNotEnabled" });
    expect(body.values.enabled).toBe("fr");
  });
});

describe("legal texts", () => {
  const fields = {
    publisher: "Commune de Test",
    publicationDirector: "La maire",
    address: "Mairie",
    contactEmail: "contact@example.org",
    hosting: "Test",
    a11yStatus: "partial",
    a11yAuditDate: "",
    a11yContactEmail: "a11y@example.org",
  };

  it("refuses partial conformity without an audit date and writes nothing", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    expect((await refused(town, legal, "/admin/commune/mentions", fields, staff.cookie)).errors).toEqual({ a11yAuditDate: "console-town:legal.errors.auditRequired" });
  });

  it("saves the publisher, shown on the legal notice at once, without freezing the accessibility statement", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    // A platform statement the form can leave as it is (the fixture's lacks its audit date).
    await ownerDb()
      .updateTable("tenants")
      .set({ definition: sql`jsonb_set(definition, '{accessibility}', '{"status": "none", "contactEmail": "a11y@example.org"}')` })
      .where("id", "=", town.id)
      .execute();
    await save(town, legal, "/admin/commune/mentions", { ...fields, a11yStatus: "none" }, staff.cookie);
    expect(Object.keys(await overridesOf(town))).toEqual(["legal"]);
    const notice = await (await respond(() => legalNoticeLoader(get(town, "/mentions-legales")))).json();
    expect(notice.legal.publisher).toBe("Commune de Test");
    expect(await auditOf(town)).toMatchObject([
      {
        action: "town.legal",
        before: { legal: { publisher: `Ville de Ville ${town.slug}` }, accessibility: { status: "none" } },
        after: { legal: { publisher: "Commune de Test" }, accessibility: { status: "none" } },
      },
    ]);

    await save(town, legal, "/admin/commune/mentions", { ...fields, a11yStatus: "full", a11yAuditDate: "2026-01-15" }, staff.cookie);
    expect(await overridesOf(town)).toMatchObject({ accessibility: { status: "full", auditDate: "2026-01-15", contactEmail: "a11y@example.org" } });
    await save(town, legal, "/admin/commune/mentions", { intent: "revert" }, staff.cookie, "reverted");
    expect(await overridesOf(town)).toEqual({});
    expect((await resolveTenant(town.host))?.definition.accessibility).toEqual({ status: "none", contactEmail: "a11y@example.org" });
  });
});

describe("logo", () => {
  const png = async (width: number, height: number) =>
    new File([await sharp({ create: { width, height, channels: 4, background: { r: 29, g: 78, b: 216, alpha: 1 } } }).png().toBuffer()], "logo.png", { type: "image/png" });

  it("stores a real PNG resized, serves it at /logo and shows it in the header", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    expect((await resolveTenant(town.host))?.definition.hasLogo).toBe(false);
    await save(town, logo, "/admin/commune/logo", { logo: await png(1500, 1000) }, staff.cookie);
    const [asset] = await assetsOf(town);
    expect(asset.key).toBe("logo");
    expect(asset.content_type).toBe("image/png");
    const meta = await sharp(asset.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", LOGO_MAX_EDGE, Math.round((LOGO_MAX_EDGE * 2) / 3)]);
    expect((await overridesOf(town)).logo).toMatchObject({ contentType: "image/png", uploadedAt: expect.any(String) });
    expect((await resolveTenant(town.host))?.definition.hasLogo).toBe(true);
    const served = await respond(() => logoLoader(get(town, "/logo")));
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(asset.bytes)).toBe(true);
    expect(await auditOf(town)).toMatchObject([{ action: "town.logo", before: { source: "platform", hasLogo: false }, after: { source: "console", contentType: "image/png" } }]);
  });

  it("refuses a text file named .png, an SVG and no file, writing nothing", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    const text = new File(["ceci n'est pas une image"], "logo.png", { type: "image/png" });
    expect((await refused(town, logo, "/admin/commune/logo", { logo: text }, staff.cookie)).errors).toEqual({ logo: "console-town:logo.errors.notAnImage" });
    const svg = new File(['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'], "logo.svg", { type: "image/svg+xml" });
    expect((await refused(town, logo, "/admin/commune/logo", { logo: svg }, staff.cookie)).errors).toEqual({ logo: "console-town:logo.errors.svg" });
    expect((await refused(town, logo, "/admin/commune/logo", {}, staff.cookie)).errors).toEqual({ logo: "console-town:logo.errors.missing" });
  });

  it("answers 413 to a body over the limit, writing nothing", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    const huge = new File([new Uint8Array(LOGO_MAX_BODY_BYTES + 1024)], "logo.png", { type: "image/png" });
    const response = await respond(() => logo.action(post(town, "/admin/commune/logo", { logo: huge }, staff.cookie)));
    expect(response.status).toBe(413);
    expect(await written(town)).toEqual({ overrides: {}, audit: [], assets: [] });
  });

  it("removing the uploaded logo brings back the platform's one at once", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    const platformSvg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
    // As tenants:sync leaves a town whose tenant.json names a logo.
    await withTenant(town.id, (tx) => tx.insertInto("tenant_assets").values({ tenant_id: town.id, key: "logo", content_type: "image/svg+xml", bytes: platformSvg }).execute());
    await save(town, logo, "/admin/commune/logo", { logo: await png(100, 100) }, staff.cookie);
    await save(town, logo, "/admin/commune/logo", { logo: await png(200, 100) }, staff.cookie);
    expect((await assetsOf(town)).map((a) => [a.key, a.content_type])).toEqual([
      ["logo", "image/png"],
      ["logo-platform", "image/svg+xml"],
    ]);
    await save(town, logo, "/admin/commune/logo", { intent: "revert" }, staff.cookie, "reverted");
    const assets = await assetsOf(town);
    expect(assets.map((a) => [a.key, a.content_type])).toEqual([["logo", "image/svg+xml"]]);
    expect(assets[0].bytes.equals(platformSvg)).toBe(true);
    expect((await overridesOf(town)).logo).toBeUndefined();
    expect((await auditOf(town)).map((a) => a.action)).toEqual(["town.logo", "town.logo", "town.logo"]);
  });
});

const pages: Array<[string, Route]> = [
  ["/admin/commune", overview as Route],
  ["/admin/commune/identite", identity],
  ["/admin/commune/couleurs", colours],
  ["/admin/commune/logo", logo],
  ["/admin/commune/carte", map],
  ["/admin/commune/langues", locales],
  ["/admin/commune/mentions", legal],
];

describe("who may", () => {
  it.each(pages)("%s: visitors sign in, residents get 403, staff see the page; nothing is written", async (path, route) => {
    const town = await createTestTenant();
    const resident = await signedInUser(town, [{ role: "resident" }]);
    const staff = await staffOf(town);
    const visitor = await respond(() => route.loader(get(town, path)));
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toBe(`/connexion?retour=${encodeURIComponent(path)}`);
    expect((await respond(() => route.loader(get(town, path, cookieOf(resident.token))))).status).toBe(403);
    expect((await respond(() => route.loader(get(town, path, staff.cookie)))).status).toBe(200);
    if (route.action) {
      for (const fields of [{ intent: "revert" }, { name: "Pirate" }] as Fields[]) {
        expect((await respond(() => route.action!(post(town, path, fields, cookieOf(resident.token))))).status).toBe(403);
      }
    }
    expect(await written(town)).toEqual({ overrides: {}, audit: [], assets: [] });
  });

  it("asks for the password again after 15 minutes, before showing or saving anything", async () => {
    const town = await createTestTenant();
    const staff = await staffOf(town);
    await withTenant(town.id, (tx) => tx.updateTable("sessions").set({ reauthenticated_at: new Date(Date.now() - REAUTH_WINDOW_MS - 60_000) }).where("id", "=", staff.sessionId).execute());
    const page = await respond(() => identity.loader(get(town, "/admin/commune/identite", staff.cookie)));
    expect(page.headers.get("location")).toBe("/admin/confirmer?retour=%2Fadmin%2Fcommune%2Fidentite");
    const saved = await respond(() => identity.action(post(town, "/admin/commune/identite", { name: "Trop tard" }, staff.cookie)));
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toMatch(/^\/admin\/confirmer\?retour=/);
    expect(await written(town)).toEqual({ overrides: {}, audit: [], assets: [] });
  });

  it("staff of one town change that town only: on another town's host they are nobody", async () => {
    const [a, b] = [await createTestTenant(), await createTestTenant()];
    const staffOfA = await staffOf(a);
    const onB = await respond(() => identity.action(post(b, "/admin/commune/identite", { name: "Pris" }, staffOfA.cookie)));
    expect(onB.status).toBe(302);
    expect(onB.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    const logoOnB = await respond(() => logo.action(post(b, "/admin/commune/logo", { intent: "revert" }, staffOfA.cookie)));
    expect(logoOnB.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    await save(a, identity, "/admin/commune/identite", { name: "Ville A" }, staffOfA.cookie);
    await save(a, colours, "/admin/commune/couleurs", themeFields("#1e3a8a", "#115e59"), staffOfA.cookie);
    expect(await written(b)).toEqual({ overrides: {}, audit: [], assets: [] });
    expect((await resolveTenant(b.host))?.name).toBe(`Ville ${b.slug}`);
    expect((await resolveTenant(a.host))?.name).toBe("Ville A");
  });
});
