// The modules console: switching a module on and off (audit entry, 404 on its pages, gone
// from the navigation), its settings form (errors per field, nothing written; a valid save
// audited), unknown modules, residents, and the wall between two towns.
import { sessionCookieName } from "~/core/auth/session.server";
import { getArgs, postArgs, respond, type TenantRef } from "~/core/auth/testing";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { signedInUser } from "~/core/permissions/testing";
import { loader as rootLoader } from "~/root";
import { loader as directoryListLoader } from "~/modules/directory/routes/initiatives+/_index";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { createElement } from "react";
import { i18nFor } from "~/core/i18n/i18n.server";
import { pageRequest, testContext, textOf } from "../../../db/test/routes";
import { createTestTenant } from "../../../db/test/helpers";
import * as detailRoute from "./modules.$id";
import * as listRoute from "./modules._index";

afterAll(async () => {
  await closeDatabase();
});

const cookie = (token: string) => `${sessionCookieName()}=${token}`;

async function townWithStaff(modules: Record<string, Record<string, unknown>> = { directory: {} }) {
  const town = await createTestTenant({ modules });
  const staff = await signedInUser(town, [{ role: "staff" }]);
  const resident = await signedInUser(town, [{ role: "resident" }]);
  return { town, staff: cookie(staff.token), staffId: staff.id, resident: cookie(resident.token) };
}

function moduleRow(town: TenantRef, id = "directory") {
  return withTenant(town.id, (tx) => tx.selectFrom("tenant_modules").select(["enabled", "settings", "managed_by"]).where("module_id", "=", id).executeTakeFirst());
}

function auditRows(town: TenantRef) {
  return withTenant(town.id, (tx) => tx.selectFrom("audit_log").selectAll().orderBy("id").execute());
}

const toggle = (town: TenantRef, who: string, fields: Record<string, string>) =>
  respond(() => listRoute.action({ ...postArgs(town, "/admin/modules", fields, { cookie: who }) }));

const onDetail = (town: TenantRef, who: string, id: string, fields: Record<string, string>) =>
  respond(() => detailRoute.action({ ...postArgs(town, `/admin/modules/${id}`, fields, { cookie: who }), params: { id } }));

/** The module page as the server renders it (shell left out), for `request`. */
async function renderDetail(request: Request): Promise<string> {
  const context = testContext();
  const handler = createStaticHandler([
    { id: "page", path: "/admin/modules/:id", loader: (args) => detailRoute.loader({ request: args.request, params: args.params, context }) as Promise<Response>, Component: detailRoute.default },
  ]);
  const state = await handler.query(request);
  if (state instanceof Response) throw state;
  if (state.errors) throw Object.values(state.errors)[0];
  return renderToString(
    createElement(I18nextProvider, { i18n: i18nFor("fr") }, createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, state), context: state, hydrate: false })),
  );
}

const detailGet = (town: TenantRef, who: string, id: string) => respond(() => detailRoute.loader(getArgs(town, `/admin/modules/${id}`, { cookie: who, params: { id } })));

describe("switching a module off and on", () => {
  it("records the change, answers 404 on the module's pages and drops it from the navigation", async () => {
    const { town, staff, staffId, resident } = await townWithStaff();
    expect((await respond(() => directoryListLoader(getArgs(town, "/initiatives", { cookie: resident })))).status).toBe(200);

    const off = await toggle(town, staff, { module: "directory", enabled: "false" });
    expect(off.status).toBe(302);
    expect(off.headers.get("location")).toBe("/admin/modules?ok=disabled&module=directory#module-directory");
    expect(await moduleRow(town)).toMatchObject({ enabled: false, managed_by: "console" });
    const [entry] = await auditRows(town);
    expect(entry).toMatchObject({
      actor_kind: "staff",
      actor_id: staffId,
      action: "module.disable",
      subject_type: "module",
      subject_id: "directory",
      before: { enabled: true },
      after: { enabled: false },
    });

    // No wait for the tenant cache: the action invalidated it after commit.
    for (const who of [resident, staff, ""]) {
      expect((await respond(() => directoryListLoader(getArgs(town, "/initiatives", { cookie: who })))).status).toBe(404);
    }
    const shell = await respond(() => rootLoader(getArgs(town, "/", { cookie: resident })));
    const nav = ((await shell.json()) as { navigation: { to: string }[] }).navigation.map((n) => n.to);
    expect(nav).not.toContain("/initiatives");

    const on = await respond(() => detailRoute.action({ ...postArgs(town, "/admin/modules/directory", { intent: "enable" }, { cookie: staff }), params: { id: "directory" } }));
    expect(on.status).toBe(302);
    expect(on.headers.get("location")).toBe("/admin/modules/directory?ok=enabled");
    expect((await auditRows(town)).map((r) => r.action)).toEqual(["module.disable", "module.enable"]);
    expect((await respond(() => directoryListLoader(getArgs(town, "/initiatives", { cookie: resident })))).status).toBe(200);
    const again = await respond(() => rootLoader(getArgs(town, "/", { cookie: resident })));
    expect(((await again.json()) as { navigation: { to: string }[] }).navigation.map((n) => n.to)).toContain("/initiatives");
  });

  it("asking for the state already in force writes nothing", async () => {
    const { town, staff } = await townWithStaff();
    const response = await toggle(town, staff, { module: "directory", enabled: "true" });
    expect(response.status).toBe(302);
    expect(await auditRows(town)).toEqual([]);
    expect(await moduleRow(town)).toMatchObject({ managed_by: "file" });
  });

  it("switches on a module the town never had, with its defaults", async () => {
    const { town, staff } = await townWithStaff({});
    expect(await moduleRow(town)).toBeUndefined();
    expect((await toggle(town, staff, { module: "directory", enabled: "true" })).status).toBe(302);
    expect(await moduleRow(town)).toEqual({ enabled: true, settings: {}, managed_by: "console" });
  });

  it("refuses to switch on a module over settings its schema refuses", async () => {
    const { town, staff } = await townWithStaff({});
    await withTenant(town.id, (tx) =>
      tx.insertInto("tenant_modules").values({ tenant_id: town.id, module_id: "directory", enabled: false, settings: JSON.stringify({ freshnessMonths: 99 }) }).execute(),
    );
    const response = await toggle(town, staff, { module: "directory", enabled: "true" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "console-modules:errors.invalidSettings" });
    expect(await moduleRow(town)).toMatchObject({ enabled: false, managed_by: "file" });
    expect(await auditRows(town)).toEqual([]);
  });

  it("answers 400 to a form that does not say which state, and writes nothing", async () => {
    const { town, staff } = await townWithStaff();
    expect((await toggle(town, staff, { module: "directory", enabled: "maybe" })).status).toBe(400);
    expect((await onDetail(town, staff, "directory", { intent: "explode" })).status).toBe(400);
    expect(await moduleRow(town)).toMatchObject({ enabled: true, managed_by: "file" });
    expect(await auditRows(town)).toEqual([]);
  });
});

describe("unknown modules", () => {
  it("answer 404 on the page and to every action, before writing anything", async () => {
    const { town, staff } = await townWithStaff();
    for (const id of ["nope", "DIRECTORY", "../directory", ""]) {
      expect((await detailGet(town, staff, id)).status, id).toBe(404);
      expect((await onDetail(town, staff, id, { intent: "disable" })).status, id).toBe(404);
      expect((await onDetail(town, staff, id, { intent: "settings", "settings.freshnessMonths": "3" })).status, id).toBe(404);
      expect((await toggle(town, staff, { module: id, enabled: "false" })).status, id).toBe(404);
    }
    expect(await auditRows(town)).toEqual([]);
  });
});

describe("who may use the modules console", () => {
  it("refuses residents (403) on every page and action, and sends visitors to sign in", async () => {
    const { town, resident } = await townWithStaff();
    expect((await respond(() => listRoute.loader(getArgs(town, "/admin/modules", { cookie: resident })))).status).toBe(403);
    expect((await detailGet(town, resident, "directory")).status).toBe(403);
    expect((await toggle(town, resident, { module: "directory", enabled: "false" })).status).toBe(403);
    expect((await onDetail(town, resident, "directory", { intent: "disable" })).status).toBe(403);
    expect((await onDetail(town, resident, "directory", { intent: "settings", "settings.freshnessMonths": "3" })).status).toBe(403);
    const visitor = await respond(() => listRoute.loader(getArgs(town, "/admin/modules")));
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    expect(await moduleRow(town)).toMatchObject({ enabled: true, settings: {}, managed_by: "file" });
    expect(await auditRows(town)).toEqual([]);
  });

  it("lets staff of town A change A only, and nothing of town B through any host", async () => {
    const a = await townWithStaff();
    const b = await townWithStaff({ directory: { freshnessMonths: 3 } });
    expect((await toggle(a.town, a.staff, { module: "directory", enabled: "false" })).status).toBe(302);
    expect((await onDetail(a.town, a.staff, "directory", { intent: "settings", "settings.freshnessMonths": "9", "settings.openDataLicence": "odbl-1.0" })).status).toBe(302);
    expect(await moduleRow(a.town)).toMatchObject({ enabled: false, managed_by: "console", settings: { freshnessMonths: 9 } });
    // A's session on B's host is nobody there: sent to sign in, nothing written.
    const onB = await toggle(b.town, a.staff, { module: "directory", enabled: "false" });
    expect(onB.status).toBe(302);
    expect(onB.headers.get("location")).toMatch(/^\/connexion/);
    const settingsOnB = await onDetail(b.town, a.staff, "directory", { intent: "settings", "settings.freshnessMonths": "1" });
    expect(settingsOnB.headers.get("location")).toMatch(/^\/connexion/);
    expect(await moduleRow(b.town)).toEqual({ enabled: true, settings: { freshnessMonths: 3 }, managed_by: "file" });
    expect(await auditRows(b.town)).toEqual([]);
    expect((await auditRows(a.town)).map((r) => r.action)).toEqual(["module.disable", "module.settings"]);
  });
});

describe("the settings form", () => {
  const good = {
    intent: "settings",
    "settings.freshnessMonths": "12",
    "settings.toCheckAfterDays": "45",
    "settings.hideAfterDays": "60",
    "settings.mapStyleUrl": "",
    "settings.openDataLicence": "odbl-1.0",
    "settings.contactRetentionMonths": "12",
    "settings.contactAnswerDays": "14",
    "settings.memberTenants": "",
  };

  it("shows every setting with its label, help, bounds and default, and the stored values", async () => {
    const { town, staff } = await townWithStaff({ directory: { freshnessMonths: 4, memberTenants: ["lomme", "hellemmes"] } });
    const html = await renderDetail(pageRequest(town.host, "/admin/modules/directory", { cookie: staff }));
    const text = textOf(html);
    expect(html.match(/<h1/g)).toHaveLength(1);
    for (const expected of [
      "Initiatives locales",
      "Délai avant la demande de confirmation (mois)",
      "Nombre entier. Entre 1 et 36 inclus. Valeur par défaut : 6.",
      "Adresse web complète. Doit commencer par « https:// ». Par défaut : vide.",
      "Licence Ouverte 2.0 (Etalab)",
      "Valeur par défaut : Licence Ouverte 2.0 (Etalab).",
      "Une valeur par ligne. Valeur par défaut : aucune valeur.",
      "Désactiver Initiatives locales",
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(html).toMatch(/id="field-settings\.freshnessMonths"[^>]*value="4"|value="4"[^>]*id="field-settings\.freshnessMonths"/);
    expect(html).toContain("lomme\nhellemmes");
    expect(html).toContain('aria-describedby="field-settings.freshnessMonths-hint"');
    expect(html).toContain('name="csrf"');
    expect(html).not.toMatch(/style="/);
  });

  it("refuses a bad value with a translated error per field, the typed values, and writes nothing", async () => {
    const { town, staff } = await townWithStaff({ directory: { freshnessMonths: 4 } });
    const response = await onDetail(town, staff, "directory", { ...good, "settings.freshnessMonths": "40", "settings.mapStyleUrl": "http://tuiles.example.org/style.json", "settings.memberTenants": "Lomme !" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(body.errors).toEqual({
      "settings.freshnessMonths": "console-modules:errors.range",
      "settings.mapStyleUrl": "console-modules:errors.prefix",
      "settings.memberTenants": "console-modules:errors.listItem",
    });
    expect(body.values).toMatchObject({ "settings.freshnessMonths": "40", "settings.memberTenants": "Lomme !", "settings.openDataLicence": "odbl-1.0" });
    expect(await moduleRow(town)).toEqual({ enabled: true, settings: { freshnessMonths: 4 }, managed_by: "file" });
    expect(await auditRows(town)).toEqual([]);
  });

  it("saves a valid form (French decimals, one value per line), audits before and after, and the module sees it", async () => {
    const { town, staff, staffId } = await townWithStaff({ directory: { freshnessMonths: 4 } });
    const response = await onDetail(town, staff, "directory", { ...good, "settings.freshnessMonths": " 12 ", "settings.memberTenants": "lomme\r\n\r\nhellemmes\n" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/modules/directory?ok=saved");
    const saved = {
      freshnessMonths: 12,
      toCheckAfterDays: 45,
      hideAfterDays: 60,
      openDataLicence: "odbl-1.0",
      contactRetentionMonths: 12,
      contactAnswerDays: 14,
      memberTenants: ["lomme", "hellemmes"],
    };
    expect(await moduleRow(town)).toEqual({ enabled: true, settings: saved, managed_by: "console" });
    const [entry] = await auditRows(town);
    expect(entry).toMatchObject({ action: "module.settings", actor_id: staffId, subject_id: "directory", before: { freshnessMonths: 4 }, after: saved });
    const page = await detailGet(town, staff, "directory");
    expect(((await page.json()) as { values: Record<string, string> }).values).toMatchObject({ "settings.freshnessMonths": "12", "settings.memberTenants": "lomme\nhellemmes" });
    // The same form again changes nothing, and logs nothing.
    const again = await onDetail(town, staff, "directory", { ...good, "settings.freshnessMonths": "12", "settings.memberTenants": "lomme\nhellemmes" });
    expect(again.headers.get("location")).toBe("/admin/modules/directory?ok=unchanged");
    expect(await auditRows(town)).toHaveLength(1);
  });
});
