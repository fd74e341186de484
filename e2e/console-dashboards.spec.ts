// The indicator dashboard (Hellemmes): the elected official reads it and downloads its CSV;
// a visitor is sent to sign in and a resident is refused. Staff then take the dashboard from
// the elected officials in the roles console (Dashboard / consult set to "not allowed"): the
// elected official gets the 403 page; staff give it back and she reads it again. Every page
// is audited with axe. The town is left as found: the cell is put back even when a step fails.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { follow, tenant, text, visit, withPage, signInThrough } from "./support/index.ts";

const town = tenant("hellemmes");
const { password } = JSON.parse(fs.readFileSync(path.join("tenants", town.slug, "demo.json"), "utf8")) as { password: string };
const STAFF = "mairie@hellemmes.example.org";
const ELECTED = "elu@hellemmes.example.org";
const RESIDENT = "habitant@hellemmes.example.org";
const noScript = { javaScriptEnabled: false };
const DASHBOARD = "/tableau-de-bord";
const ROLE_PAGE = "/admin/roles/elected";

const moduleFile = (lng: string, file: string) => JSON.parse(fs.readFileSync(path.join("app", "modules", "dashboards", "locales", lng, file), "utf8"));
const words = moduleFile("fr", "core.json") as {
  page: { title: string; export: string };
  captions: Record<string, string>;
  errors: Record<string, string>;
};
const permissionWords = moduleFile("fr", "permissions.json") as { actions: Record<string, string>; subjects: { Dashboard: { name: string } } };
const directoryIndicator = (JSON.parse(fs.readFileSync(path.join("app", "modules", "directory", "locales", "fr", "core.json"), "utf8")) as { indicators: { published: string } })
  .indicators.published;

/** The matrix cell's accessible name: its row header, the separator, its column header. */
const readCell = `${permissionWords.subjects.Dashboard.name} ${text("fr", "console-roles:matrix.separator")} ${permissionWords.actions.read}`;

const signIn = (page: Page, email: string, back: string) => signInThrough(page, town, email, password, back);

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();

/** Staff, on the elected officials' page of the roles console: sets Dashboard / consult and saves. */
async function setElectedRead(staff: Page, choice: "none" | "any") {
  await visit(staff, town.url(ROLE_PAGE));
  await staff.getByRole("combobox", { name: readCell, exact: true }).selectOption(choice);
  await follow(staff, staff.getByRole("button", { name: text("fr", "console-roles:matrix.save") }));
  assert.equal((await staff.locator(".notice-success").textContent())?.trim(), text("fr", "console-roles:role.saved"));
  assert.equal(await staff.getByRole("combobox", { name: readCell, exact: true }).inputValue(), choice);
}

describe("console: the indicator dashboard and who may read it", () => {
  it("the elected official reads the dashboard, by period, and downloads it as CSV", async (t) => {
    await withPage(t.name, async (page) => {
      await signIn(page, ELECTED, DASHBOARD);
      assert.equal(await heading(page), words.page.title);
      const social = page.getByRole("table", { name: new RegExp(`^${words.captions.social.split(",")[0]}`) });
      assert.equal(await social.getByRole("rowheader", { name: directoryIndicator, exact: true }).count(), 1);

      // The period form is a GET form: chosen dates in the wrong order come back as a 400 with the message.
      await page.locator("#field-periode").selectOption("dates");
      await page.locator("#field-du").fill("2026-03-01");
      await page.locator("#field-au").fill("2026-02-01");
      await follow(page, page.locator("form.dashboards-period button[type=submit]"), { status: 400 });
      assert.ok((await page.getByRole("alert").innerText()).includes(words.errors.order));
      await page.locator("#field-du").fill("2026-01-01");
      await follow(page, page.locator("form.dashboards-period button[type=submit]"));
      assert.ok((await page.locator("main").innerText()).includes("1 janvier 2026"));

      // The export of the period shown, through its link.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: words.page.export }).click()]);
      assert.equal(download.suggestedFilename(), `tableau-de-bord-${town.slug}-2026-01-01-2026-02-01.csv`);
      const csv = fs.readFileSync(await download.path()).toString("utf8");
      assert.ok(csv.includes(directoryIndicator), "the CSV has no line for the directory's indicator");
    }, noScript);
  });

  it("sends a visitor to sign in and refuses a resident", async (t) => {
    await withPage(`${t.name} (visitor)`, async (page) => {
      await visit(page, town.url(DASHBOARD));
      assert.equal(new URL(page.url()).pathname, "/connexion");
    }, noScript);
    await withPage(`${t.name} (resident)`, async (page) => {
      await signIn(page, RESIDENT, "/");
      await visit(page, town.url(DASHBOARD), { status: 403 });
      assert.equal(await heading(page), text("fr", "error.forbidden.title"));
      // The page says what the role may not do, not only that it is refused.
      const prefix = text("fr", "permissions:refused").split("{{")[0];
      assert.match((await page.locator(".error-page__explanation").textContent()) ?? "", new RegExp(`^${prefix}`));
    }, noScript);
  });

  it("staff take the dashboard from elected officials in the roles console, then give it back", async (t) => {
    await withPage(`${t.name} (elected)`, async (elected) => {
      await signIn(elected, ELECTED, DASHBOARD);
      await withPage(`${t.name} (staff)`, async (staff) => {
        await signIn(staff, STAFF, ROLE_PAGE);
        try {
          await setElectedRead(staff, "none");
          await visit(elected, town.url(DASHBOARD), { status: 403 });
          assert.equal(await heading(elected), text("fr", "error.forbidden.title"));
        } finally {
          await setElectedRead(staff, "any");
        }
        await visit(elected, town.url(DASHBOARD));
        assert.equal(await heading(elected), words.page.title);
      }, noScript);
    }, noScript);
  });
});
