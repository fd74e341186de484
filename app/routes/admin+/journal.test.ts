// The journal page and its CSV export: staff only, the town's own entries, the filters, a
// bad filter answered 400 with its message, the retention period stated.
import { sessionCookieName } from "~/core/auth/session.server";
import { getArgs, respond, type TenantRef } from "~/core/auth/testing";
import { recordAudit } from "~/core/audit.server";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { signedInUser } from "~/core/permissions/testing";
import { saveTenantOverrides } from "~/core/tenant/settings.server";
import { invalidateTenantCache } from "~/core/tenant/tenant.server";
import { createTestTenant } from "../../../db/test/helpers";
import { pageRequest, renderPage, textOf } from "../../../db/test/routes";
import * as csvRoute from "./journal[.]csv";
import * as journalRoute from "./journal";

afterAll(async () => {
  await closeDatabase();
});

const cookie = (token: string) => `${sessionCookieName()}=${token}`;

async function townWithLog(actor: string) {
  const town = await createTestTenant({ modules: { directory: {} } });
  const staff = await signedInUser(town, [{ role: "staff" }]);
  const resident = await signedInUser(town, [{ role: "resident" }]);
  await withTenant(town.id, async (tx) => {
    await recordAudit(tx, { actor: { kind: "staff", id: staff.id, label: actor }, action: "module.disable", subject: { type: "module", id: "directory" }, before: { enabled: true }, after: { enabled: false } });
    await recordAudit(tx, {
      actor: { kind: "staff", id: staff.id, label: actor },
      action: "module.settings",
      subject: { type: "module", id: "directory" },
      before: { freshnessMonths: 6, memberTenants: [] },
      after: { freshnessMonths: 12, memberTenants: [] },
    });
    await recordAudit(tx, { actor: { kind: "operator", id: null, label: "Opératrice <op@communa.test>" }, action: "tenant.suspend", subject: { type: "tenant", id: town.id }, before: { status: "active" }, after: { status: "suspended" } });
  });
  return { town, staff: cookie(staff.token), resident: cookie(resident.token) };
}

const csv = (town: TenantRef, who: string, query = "") => respond(() => csvRoute.loader(getArgs(town, `/admin/journal.csv${query}`, { cookie: who })));

describe("the journal", () => {
  it("shows the town's entries with who, when, what and the changed values, and how long they are kept", async () => {
    const { town, staff } = await townWithLog("Camille Agent <camille@example.org>");
    await townWithLog("Quelqu'un d'une autre ville <autre@example.org>");
    await withTenant(town.id, (tx) => saveTenantOverrides(tx, town.id, { audit: { retentionDays: 180 } }));
    invalidateTenantCache();
    const html = await renderPage(journalRoute, pageRequest(town.host, "/admin/journal", { cookie: staff }));
    const text = textOf(html).replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(text).toContain("Les entrées sont conservées 180 jours, puis supprimées automatiquement.");
    expect(text).toContain("Camille Agent <camille@example.org>");
    expect(text).toContain("Opératrice <op@communa.test> Opérateur de la plateforme");
    expect(text).toContain("Service désactivé module.disable");
    expect(text).toContain('freshnessMonths Avant : 6 → après : 12');
    // Unchanged keys are left out of the summary, all of them are in the full values.
    expect(text).not.toContain("memberTenants Avant");
    expect(html).toContain("<details");
    expect(html).toContain('&quot;memberTenants&quot;: []');
    expect(text).not.toContain("autre ville");
    expect(html).toMatch(/<time dateTime="\d{4}-\d{2}-\d{2}T[^"]+Z">\d{1,2} \S+ \d{4} à \d{2}:\d{2}<\/time>/);
    expect(html).toContain('href="/admin/journal.csv"');
    expect(html).not.toMatch(/style="/);
  });

  it("filters, and links the export to the same filters", async () => {
    const { town, staff } = await townWithLog("Camille Agent <camille@example.org>");
    const response = await respond(() => journalRoute.loader(getArgs(town, "/admin/journal?action=module&auteur=camille", { cookie: staff })));
    const data = (await response.json()) as { entries: { action: string }[]; query: string; actions: { value: string }[] };
    expect(data.entries.map((e) => e.action)).toEqual(["module.settings", "module.disable"]);
    expect(data.query).toBe("action=module&auteur=camille");
    expect(data.actions.map((a) => a.value)).toEqual(["module", "module.disable", "module.settings", "tenant", "tenant.suspend"]);
  });

  it("answers a bad filter with 400 and its message, on the page and for the export", async () => {
    const { town, staff } = await townWithLog("Camille Agent <camille@example.org>");
    const response = await respond(() => journalRoute.loader(getArgs(town, "/admin/journal?du=31/02/2026", { cookie: staff })));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: { du: "console-audit:errors.date" }, input: { from: "31/02/2026" }, entries: [] });
    const file = await csv(town, staff, "?du=2026-03-02&au=2026-03-01");
    expect(file.status).toBe(400);
    expect(await file.text()).toBe("La date de fin doit être postérieure ou égale à la date de début.\n");
  });
});

describe("the CSV export", () => {
  it("downloads the town's filtered entries as UTF-8 with a BOM", async () => {
    const { town, staff } = await townWithLog("Camille Agent <camille@example.org>");
    const response = await csv(town, staff, "?action=module.settings");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="journal-${town.slug}.csv"`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split("\r\n");
    expect(lines[0]).toBe("date;auteur;action;type_objet;id_objet;avant_json;apres_json");
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z;Camille Agent <camille@example.org>;module\.settings;module;directory;"\{""/);
    expect(lines.slice(2)).toEqual([""]);
  });
});

describe("who may read the journal", () => {
  it("refuses residents (403) the page and the export, sends visitors to sign in, and staff of another town see nothing", async () => {
    const { town, resident } = await townWithLog("Camille Agent <camille@example.org>");
    expect((await respond(() => journalRoute.loader(getArgs(town, "/admin/journal", { cookie: resident })))).status).toBe(403);
    expect((await csv(town, resident)).status).toBe(403);
    const visitor = await csv(town, "");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    const other = await townWithLog("Autre <autre@example.org>");
    const crossed = await csv(town, other.staff);
    expect(crossed.status).toBe(302);
    expect(crossed.headers.get("location")).toMatch(/^\/connexion/);
  });
});
