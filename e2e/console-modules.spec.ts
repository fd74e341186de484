// Modules and the audit log in the staff console (Lomme): staff switch the directory off by
// keyboard alone, a resident then gets 404 on it and no longer sees it in the menu, staff
// switch it back on; staff give a directory setting a bad value (refused, nothing saved),
// then a good one, without JavaScript; the journal lists those changes and its CSV
// downloads. Every page is audited with axe. The town is left as found: the directory on,
// its setting put back (a `finally` does it even when a check fails half-way).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { assertNoAxeViolations, follow, tenant, text, visit, withPage, signInThrough } from "./support/index.ts";

const town = tenant("lomme");
const { password } = JSON.parse(fs.readFileSync(path.join("tenants", town.slug, "demo.json"), "utf8")) as { password: string };
const STAFF = `mairie@${town.slug}.example.org`;
const RESIDENT = `habitant@${town.slug}.example.org`;
const noScript = { javaScriptEnabled: false };

/** The directory's own words (its namespace is not in app/core/locales). */
const directory = JSON.parse(fs.readFileSync(path.join("app", "modules", "directory", "locales", "fr", "core.json"), "utf8")) as {
  name: string;
  nav: string;
  settings: Record<string, { label: string }>;
};
const SETTING = "freshnessMonths";
const SETTING_FIELD = `#field-settings\\.${SETTING}`;
/** Lomme's value in tenants/lomme/tenant.json: what the journey puts back. */
const ORIGINAL = String((JSON.parse(fs.readFileSync(path.join("tenants", town.slug, "tenant.json"), "utf8")) as { modules: { directory: { settings: Record<string, number> } } }).modules.directory.settings[SETTING]);
const CHANGED = ORIGINAL === "7" ? "8" : "7";

const signIn = (page: Page, email: string, back: string) => signInThrough(page, town, email, password, back);

/** The same with scripts on: the sign-in form is submitted by fetch, no new document to follow. */
async function signInScripted(page: Page, email: string, back: string) {
  await visit(page, town.url(`/connexion?retour=${encodeURIComponent(back)}`));
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await page.locator("form.form button[type=submit]").click();
  await page.waitForURL((url) => url.pathname === back);
  await page.waitForLoadState("networkidle");
  await assertNoAxeViolations(page);
}

/** Tabs forward until the focused element matches `selector`; fails after `limit` presses. */
async function tabTo(page: Page, selector: string, limit = 100) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`${selector} never took the focus after ${limit} presses of Tab`);
}

const heading = (page: Page) => page.getByRole("heading", { level: 1 });
const notice = (page: Page) => page.locator(".notice-success");
const toggleButton = (page: Page, verb: "enable" | "disable") =>
  page.getByRole("main").getByRole("button", { name: `${text("fr", `console-modules:list.${verb}`)} ${directory.name}`, exact: true });
const navLink = (page: Page) => page.getByRole("navigation", { name: text("fr", "shell.mainNav") }).getByRole("link", { name: directory.nav, exact: true });

/** Staff switch the directory with the keyboard only: Tab to its button, Enter. */
async function switchByKeyboard(page: Page, verb: "enable" | "disable") {
  const selector = `#module-directory button[type=submit]`;
  await heading(page).click();
  await tabTo(page, selector);
  assert.ok(await toggleButton(page, verb).evaluate((el) => el === document.activeElement), `the focused button is not "${verb}"`);
  await page.keyboard.press("Enter");
  await notice(page).filter({ hasText: text("fr", `console-modules:notices.${verb}d`, { name: directory.name }) }).waitFor();
  await page.waitForLoadState("networkidle");
  await assertNoAxeViolations(page);
}

/** A resident's view of the directory: its page's status and whether the menu links to it. */
async function residentSees(title: string, expected: { status: number; linked: boolean }) {
  await withPage(title, async (page) => {
    await signIn(page, RESIDENT, "/");
    assert.equal(await navLink(page).count(), expected.linked ? 1 : 0, `the menu ${expected.linked ? "lacks" : "still has"} the directory`);
    await visit(page, town.url("/initiatives"), { status: expected.status });
  }, noScript);
}

/** Puts the directory back on, whatever state a failed check left it in. */
async function ensureEnabled(title: string) {
  await withPage(title, async (page) => {
    await signIn(page, STAFF, "/admin/modules");
    if ((await toggleButton(page, "enable").count()) > 0) await follow(page, toggleButton(page, "enable"));
  }, noScript);
}

describe("console: modules and audit log", () => {
  it("staff switch the directory off by keyboard; a resident gets 404 and loses the menu link; staff switch it back on", async (t) => {
    let switchedOff = false;
    try {
      await residentSees(`${t.name} (resident before)`, { status: 200, linked: true });
      await withPage(`${t.name} (staff off)`, async (page) => {
        await signInScripted(page, STAFF, "/admin/modules");
        assert.equal(await heading(page).textContent(), text("fr", "console-modules:list.title"));
        // Set first: restoring is harmless if the switch did not happen.
        switchedOff = true;
        await switchByKeyboard(page, "disable");
        assert.equal(await toggleButton(page, "enable").count(), 1);
      });
      await residentSees(`${t.name} (resident while off)`, { status: 404, linked: false });
      await withPage(`${t.name} (staff on)`, async (page) => {
        await signInScripted(page, STAFF, "/admin/modules");
        await switchByKeyboard(page, "enable");
        switchedOff = false;
      });
      await residentSees(`${t.name} (resident after)`, { status: 200, linked: true });
    } finally {
      if (switchedOff) await ensureEnabled(`${t.name} (restoring)`);
    }
  });

  it("staff give a directory setting a bad value (refused, nothing saved), then a good one, without JavaScript", async (t) => {
    await withPage(t.name, async (page) => {
      await signIn(page, STAFF, "/admin/modules");
      await follow(page, page.getByRole("main").getByRole("link", { name: `${text("fr", "console-modules:list.configure")} ${directory.name}`, exact: true }));
      assert.equal(new URL(page.url()).pathname, "/admin/modules/directory");
      assert.equal(await heading(page).textContent(), directory.name);
      const field = page.getByLabel(directory.settings[SETTING].label, { exact: true });
      assert.equal(await field.inputValue(), ORIGINAL);
      const save = page.getByRole("button", { name: text("fr", "console-modules:detail.save"), exact: true });
      try {
        await field.fill("40");
        await follow(page, save, { status: 400 });
        const summary = page.getByRole("main").getByRole("alert");
        assert.match((await summary.textContent()) ?? "", new RegExp(text("fr", "console-modules:errors.range").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
        assert.equal(await summary.getByRole("link").getAttribute("href"), `#field-settings.${SETTING}`);
        assert.equal(await field.inputValue(), "40", "the value typed is lost");
        assert.equal(await field.getAttribute("aria-invalid"), "true");
        assert.match((await field.getAttribute("aria-describedby")) ?? "", /-error/);
        // Nothing was saved.
        await visit(page, town.url("/admin/modules/directory"));
        assert.equal(await page.locator(SETTING_FIELD).inputValue(), ORIGINAL);

        await page.locator(SETTING_FIELD).fill(CHANGED);
        await follow(page, save);
        assert.equal((await notice(page).textContent())?.trim(), text("fr", "console-modules:notices.saved", { name: directory.name }));
        assert.equal(await page.locator(SETTING_FIELD).inputValue(), CHANGED);
      } finally {
        await visit(page, town.url("/admin/modules/directory"));
        await page.locator(SETTING_FIELD).fill(ORIGINAL);
        await follow(page, save);
        assert.equal(await page.locator(SETTING_FIELD).inputValue(), ORIGINAL);
      }
    }, noScript);
  });

  it("the journal lists those changes, filters them, and downloads them as CSV", async (t) => {
    await withPage(t.name, async (page) => {
      await signIn(page, STAFF, "/admin/journal");
      assert.equal(await heading(page).textContent(), text("fr", "console-audit:title"));
      assert.equal(await page.getByText(text("fr", "console-audit:retention_other", { count: 365 }), { exact: true }).count(), 1);
      const rows = page.locator(".audit-table tbody tr");
      // Newest first: the settings put back, the change, the directory switched on, then off.
      const actions = (await page.locator(".audit-table tbody tr td:nth-child(3) code").allTextContents()).slice(0, 4);
      assert.deepEqual(actions, ["module.settings", "module.settings", "module.enable", "module.disable"]);
      assert.ok((await rows.first().textContent())?.includes(STAFF), "the journal does not say who");
      assert.match((await rows.nth(1).locator("td").nth(4).textContent()) ?? "", new RegExp(`${SETTING}.*${ORIGINAL}.*${CHANGED}`));

      await page.getByLabel(text("fr", "console-audit:filters.action"), { exact: true }).selectOption("module.enable");
      await follow(page, page.getByRole("button", { name: text("fr", "console-audit:filters.submit"), exact: true }));
      assert.equal(new URL(page.url()).searchParams.get("action"), "module.enable");
      const filtered = await page.locator(".audit-table tbody tr td:nth-child(3) code").allTextContents();
      assert.ok(filtered.length >= 1 && filtered.every((a) => a === "module.enable"), `filtered on module.enable, got ${filtered.join(", ")}`);

      const link = page.getByRole("link", { name: text("fr", "console-audit:export"), exact: true });
      assert.equal(await link.getAttribute("href"), "/admin/journal.csv?action=module.enable");
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      assert.equal(download.suggestedFilename(), `journal-${town.slug}.csv`);
      const file = await download.path();
      const bytes = fs.readFileSync(file);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "no byte-order mark");
      const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
      assert.equal(lines[0], "date;auteur;action;type_objet;id_objet;avant_json;apres_json");
      assert.equal(lines.length, filtered.length + 1);
      assert.ok(lines.slice(1).every((l) => l.includes(";module.enable;module;directory;")), lines.join("\n"));
    }, noScript);
  });
});
