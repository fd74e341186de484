// The dashboard page and its CSV export, on the real database: who may open them (the
// town's stored rules, not the code's defaults), what they show for a period compared with
// the previous one, small counts withheld, the town's own events only, and bad periods.
import { getArgs, respond } from "~/core/auth/testing";
import { sessionCookieName } from "~/core/auth/session.server";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { recordEvent } from "~/core/events.server";
import { setCell } from "~/core/permissions/choices.server";
import { getRoleRules, saveRoleRules } from "~/core/permissions/rules.server";
import { signedInUser } from "~/core/permissions/testing";
import { invalidateTenantCache } from "~/core/tenant/tenant.server";
import { createTestTenant, ownerDb, testDefinition, type TestTenant } from "../../../db/test/helpers";
import { pageRequest, renderPage, textOf } from "../../../db/test/routes";
import * as exportRoute from "./routes/tableau-de-bord+/export[.]csv";
import * as pageRoute from "./routes/tableau-de-bord+/_index";

afterAll(async () => {
  await closeDatabase();
});

const cookie = (user: { token: string }) => `${sessionCookieName()}=${user.token}`;
// textOf turns the no-break spaces of fr-FR numbers into plain ones.
// January 2026 against December 2025; February 2026 against January.
const JANUARY = "/tableau-de-bord?periode=dates&du=2026-01-01&au=2026-01-31";
const FEBRUARY = "/tableau-de-bord?periode=dates&du=2026-02-01&au=2026-02-28";

/** `n` "initiative published" facts of the directory, at `at` (UTC). */
async function publish(tenant: TestTenant, n: number, at: string) {
  await withTenant(tenant.id, async (tx) => {
    for (let i = 0; i < n; i++) await recordEvent(tx, { module: "directory", kind: "initiative_published", occurredAt: new Date(at) });
  });
}

const page = (tenant: TestTenant, path: string, user?: { token: string }) =>
  renderPage(pageRoute, pageRequest(tenant.host, path, user ? { cookie: cookie(user) } : {}));
const loadPage = (tenant: TestTenant, path: string, user?: { token: string }) =>
  respond(() => pageRoute.loader(getArgs(tenant, path, user ? { cookie: cookie(user) } : {})));
const loadCsv = (tenant: TestTenant, path: string, user?: { token: string }) =>
  respond(() => exportRoute.loader(getArgs(tenant, path, user ? { cookie: cookie(user) } : {})));

let town: TestTenant;
let neighbour: TestTenant;
beforeAll(async () => {
  town = await createTestTenant({ modules: { directory: {}, dashboards: {} } });
  neighbour = await createTestTenant({ modules: { directory: {}, dashboards: {} } });
  await publish(town, 9, "2025-12-10T10:00:00Z");
  await publish(town, 12, "2026-01-20T10:00:00Z");
  // 23:30 UTC on 31 January is already 1 February in Paris: it counts for February.
  await publish(town, 2, "2026-01-31T23:30:00Z");
  // Another town's facts never reach this town's dashboard.
  await publish(neighbour, 40, "2026-01-15T10:00:00Z");
});

describe("who may open the dashboard", () => {
  it("lets an elected official and staff read it", async () => {
    for (const role of ["elected", "staff"]) {
      const user = await signedInUser(town, [{ role }]);
      expect((await loadPage(town, JANUARY, user)).status, role).toBe(200);
    }
  });

  it("sends a visitor to sign in", async () => {
    const response = await loadPage(town, JANUARY);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/connexion?retour=${encodeURIComponent(JANUARY)}`);
  });

  it("refuses a resident with a translated explanation", async () => {
    const resident = await signedInUser(town, [{ role: "resident" }]);
    const response = await loadPage(town, JANUARY, resident);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      reason: "forbidden",
      message: "Votre rôle ne vous autorise pas à consulter le tableau de bord des indicateurs. Si vous pensez que c'est une erreur, contactez la mairie.",
    });
    expect((await loadCsv(town, JANUARY.replace("/tableau-de-bord", "/tableau-de-bord/export.csv"), resident)).status).toBe(403);
  });

  it("follows the rules staff save: read taken from elected officials, then given back", async () => {
    const other = await createTestTenant({ modules: { directory: {}, dashboards: {} } });
    const elected = await signedInUser(other, [{ role: "elected" }]);
    const setRead = (choices: "any"[]) =>
      withTenant(other.id, async (tx) => saveRoleRules(tx, "elected", setCell(await getRoleRules(tx, "elected"), "Dashboard", "read", choices)));

    await setRead([]);
    const refused = await loadPage(other, "/tableau-de-bord", elected);
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toMatch(/^Votre rôle ne vous autorise pas à consulter le tableau de bord des indicateurs\./);
    // Only that cell changed: the export is still theirs.
    expect((await loadCsv(other, "/tableau-de-bord/export.csv", elected)).status).toBe(200);

    await setRead(["any"]);
    expect((await loadPage(other, "/tableau-de-bord", elected)).status).toBe(200);
  });

  it("opens to visitors only when staff grant it to everyone in the rules", async () => {
    const other = await createTestTenant({ modules: { dashboards: {} } });
    expect((await loadPage(other, "/tableau-de-bord")).status).toBe(302);
    await withTenant(other.id, (tx) => saveRoleRules(tx, "visitor", [{ action: "read", subject: "Dashboard" }]));
    expect((await loadPage(other, "/tableau-de-bord")).status).toBe(200);
    // Reading is not exporting.
    expect((await loadCsv(other, "/tableau-de-bord/export.csv")).status).toBe(302);
  });

  it("answers 404 where the town has not enabled the module", async () => {
    const other = await createTestTenant({ modules: { directory: {} } });
    const staff = await signedInUser(other, [{ role: "staff" }]);
    expect((await loadPage(other, "/tableau-de-bord", staff)).status).toBe(404);
    expect((await loadCsv(other, "/tableau-de-bord/export.csv", staff)).status).toBe(404);
  });
});

describe("what the dashboard shows", () => {
  let elected: { token: string };
  beforeAll(async () => {
    elected = await signedInUser(town, [{ role: "elected" }]);
  });

  it("counts the town's own facts for the period and the previous one, per 1,000 inhabitants", async () => {
    const text = textOf(await page(town, JANUARY, elected));
    expect(text).toContain("Période affichée : du 1 janvier 2026 au 31 janvier 2026. Elle est comparée à la période précédente de même longueur : du 1 décembre 2025 au 31 décembre 2025.");
    expect(text).toContain("calculées sur une population de 7 973 habitants");
    // 12 against 9: +3, +33.3 %; 12 / 7,973 × 1,000 = 1.51. The other town's 40 are not there.
    expect(text).toContain("Indicateurs sociaux, du 1 janvier 2026 au 31 janvier 2026");
    expect(text).toContain("Initiatives publiées Initiatives locales 12 9 +3 +33,3 % 1,51");
    expect(text).not.toContain("52");
  });

  it("shows a small count as \"fewer than N\" and nothing that would reveal it", async () => {
    const text = textOf(await page(town, FEBRUARY, elected));
    expect(text).toContain("Initiatives publiées Initiatives locales moins de 5 12 non communiqué non communiqué non communiqué");
    expect(text).toContain("un nombre compris entre 1 et 4 est affiché « moins de 5 »");
  });

  it("groups the indicators by theme, saying which themes have none yet", async () => {
    const html = await page(town, JANUARY, elected);
    expect(html.match(/<h2 id="dashboards-(social|economic|ecological)-title">/g)).toHaveLength(3);
    expect(html).toMatch(/<table class="dashboards-table"><caption id="dashboards-social-caption">/);
    expect(html).toContain('<th scope="row">Initiatives publiées</th>');
    expect(html.match(/<th scope="col"/g)).toHaveLength(7);
    expect(textOf(html).match(/Aucun module activé ne fournit encore d'indicateur pour ce thème\./g)).toHaveLength(2);
    expect(html).not.toMatch(/style="/);
    expect(html).toContain('href="/tableau-de-bord/export.csv?periode=dates&amp;du=2026-01-01&amp;au=2026-01-31"');
  });

  it("says when the population is unknown and computes no rate", async () => {
    const other = await createTestTenant({ modules: { directory: {}, dashboards: {} } });
    const definition = testDefinition("Hellemmes", other.host);
    definition.commune = { ...definition.commune, population: null };
    await ownerDb().updateTable("tenants").set({ definition: JSON.stringify(definition) }).where("id", "=", other.id).execute();
    invalidateTenantCache();
    await publish(other, 6, "2026-01-10T10:00:00Z");
    const html = await page(other, JANUARY, await signedInUser(other, [{ role: "elected" }]));
    expect(textOf(html)).toContain("La population de la commune n'est pas connue");
    expect(html).not.toContain("Pour 1 000 habitants");
    expect(html.match(/<th scope="col"/g)).toHaveLength(6);
  });

  it("shows an empty state when no enabled module has indicators", async () => {
    const other = await createTestTenant({ modules: { dashboards: {} }, disabledModules: ["directory"] });
    const html = await page(other, "/tableau-de-bord", await signedInUser(other, [{ role: "staff" }]));
    expect(textOf(html)).toContain("Aucun module activé dans la commune ne fournit encore d'indicateur.");
    expect(html).not.toContain("<table");
    expect(html).not.toContain("export.csv");
  });

  it("hides the export link from a role that may read but not export", async () => {
    const other = await createTestTenant({ modules: { directory: {}, dashboards: {} } });
    await withTenant(other.id, (tx) => saveRoleRules(tx, "elected", [{ action: "read", subject: "Dashboard" }]));
    const html = await page(other, "/tableau-de-bord", await signedInUser(other, [{ role: "elected" }]));
    expect(html).toContain("dashboards-table");
    expect(html).not.toContain("export.csv");
  });

  it("refuses a bad period with 400, the typed values and messages linked to their fields", async () => {
    const path = "/tableau-de-bord?periode=dates&du=2026-03-01&au=2026-02-01";
    expect((await loadPage(town, path, elected)).status).toBe(400);
    const html = await page(town, path, elected);
    expect(html).toContain('role="alert"');
    expect(html).toContain('<a href="#field-au">La date de fin doit être le même jour que la date de début, ou après.</a>');
    expect(html).toMatch(/<input type="date"[^>]*id="field-au"[^>]*aria-describedby="field-au-error"[^>]*aria-invalid="true"[^>]*value="2026-02-01"/);
    expect(html).toMatch(/value="2026-03-01"/);
    expect(html).not.toContain("<table");
  });
});

describe("the CSV export", () => {
  it("holds the figures of the page, withheld counts as <N, for spreadsheets set to French", async () => {
    const staff = await signedInUser(town, [{ role: "staff" }]);
    const response = await loadCsv(town, "/tableau-de-bord/export.csv?periode=dates&du=2026-01-01&au=2026-01-31", staff);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="tableau-de-bord-${town.slug}-2026-01-01-2026-01-31.csv"`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    expect(lines).toEqual([
      "thème;module;indicateur;unité;début de période;fin de période;valeur;début de la période précédente;fin de la période précédente;valeur de la période précédente;écart;évolution en %;pour 1 000 habitants",
      "Social;Initiatives locales;Initiatives publiées;nombre;2026-01-01;2026-01-31;12;2025-12-01;2025-12-31;9;3;33,33;1,51",
    ]);

    const february = await (await loadCsv(town, "/tableau-de-bord/export.csv?periode=dates&du=2026-02-01&au=2026-02-28", staff)).text();
    expect(february.trimEnd().split("\r\n")[1]).toBe("Social;Initiatives locales;Initiatives publiées;nombre;2026-02-01;2026-02-28;<5;2026-01-04;2026-01-31;12;;;");
  });

  it("answers 400 with a translated explanation for a bad period", async () => {
    const staff = await signedInUser(town, [{ role: "staff" }]);
    const response = await loadCsv(town, "/tableau-de-bord/export.csv?periode=dates&du=hier", staff);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^La période demandée n'est pas valide\./);
  });
});
