// Roles and permissions in the staff console (Hellemmes): staff change a cell of the matrix by
// keyboard alone and put it back; a custom role "Bénévole de permanence" given one right of
// the directory, assigned to the demo resident, works for her, and once deleted no longer
// does. Every page is audited with axe. The town is left as found: the cell is put back, the
// role deleted (which takes it from the resident).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { assertNoAxeViolations, follow, tenant, text, visit, withPage } from "./support/index.ts";

const town = tenant("hellemmes");
type DemoFile = { password: string };
const { password } = JSON.parse(fs.readFileSync(path.join("tenants", town.slug, "demo.json"), "utf8")) as DemoFile;
const STAFF = "mairie@hellemmes.example.org";
const RESIDENT = "habitant@hellemmes.example.org";
const noScript = { javaScriptEnabled: false };

/** The directory's words for its permissions (the `permissions` namespace merges them in at run time). */
const directoryWords = JSON.parse(fs.readFileSync(path.join("app", "modules", "directory", "locales", "fr", "permissions.json"), "utf8")) as {
  actions: Record<string, string>;
  subjects: { Initiative: { name: string; object: string } };
};
/** A cell's accessible name: its row header, the separator, its column header (aria-labelledby). */
const cellName = (action: string) => `${directoryWords.subjects.Initiative.name} ${text("fr", "console-roles:matrix.separator")} ${directoryWords.actions[action]}`;
const moderationTitle = (JSON.parse(fs.readFileSync(path.join("app", "modules", "directory", "locales", "fr", "moderation.json"), "utf8")) as { moderation: { queue: { title: string } } }).moderation.queue.title;
const canSentence = (action: string) => text("fr", "permissions:summary.can", { action: directoryWords.actions[action], targets: directoryWords.subjects.Initiative.object });

/** The right the custom role gets: moderating listings, which the directory checks against the stored rules. */
const RIGHT = "moderate";
const RIGHT_PAGE = "/initiatives/gestion/moderation";

async function signIn(page: Page, email: string, back: string) {
  await visit(page, town.url(`/connexion?retour=${encodeURIComponent(back)}`));
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await follow(page, page.locator("form.form button[type=submit]"));
  assert.equal(new URL(page.url()).pathname, back.split("?")[0]);
}

/** Tabs forward until the focused element matches `selector`; fails after `limit` presses. */
async function tabTo(page: Page, selector: string, limit = 300) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`${selector} never took the focus after ${limit} presses of Tab`);
}

const CELL = `#cell-Initiative-${RIGHT}`;
const SAVE = `form:has(${CELL}) button[type=submit]`;

const notice = (page: Page) => page.locator(".notice-success");
const summary = (page: Page) => page.locator("#role-summary").locator("xpath=..");

describe("console: roles and permissions", () => {
  it("staff change a cell of the elected officials' rights by keyboard alone, see the summary follow, and put it back", async (t) => {
    await withPage(t.name, async (page) => {
      // With scripts on, the sign-in form is submitted by fetch: no new document to follow.
      await visit(page, town.url(`/connexion?retour=${encodeURIComponent("/admin/roles")}`));
      await page.locator("#field-email").fill(STAFF);
      await page.locator("#field-password").fill(password);
      await page.locator("form.form button[type=submit]").click();
      await page.waitForURL((url) => url.pathname === "/admin/roles");
      await page.waitForLoadState("networkidle");
      await assertNoAxeViolations(page);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("fr", "console-roles:list.title"));
      assert.equal(await page.getByRole("link", { name: text("fr", "roles:labels.elected"), exact: true }).getAttribute("href"), "/admin/roles/elected");
      await visit(page, town.url("/admin/roles/elected"));
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("fr", "console-roles:role.title", { role: text("fr", "roles:labels.elected") }));
      const cell = page.getByRole("combobox", { name: cellName(RIGHT), exact: true });
      assert.equal(await cell.inputValue(), "none", "elected officials already moderate listings: the demo changed");
      assert.ok(!(await summary(page).innerText()).includes(canSentence(RIGHT)));

      // Keyboard only: Tab to the cell, type the first letter of "Sans restriction", Tab to the button, Enter.
      await tabTo(page, CELL);
      await page.keyboard.type(text("fr", "permissions:choices.any").charAt(0));
      assert.equal(await cell.inputValue(), "any");
      await tabTo(page, SAVE);
      await page.keyboard.press("Enter");
      await notice(page).filter({ hasText: text("fr", "console-roles:role.saved") }).waitFor();
      await page.waitForLoadState("networkidle");
      await assertNoAxeViolations(page);
      assert.equal(await cell.inputValue(), "any");
      assert.ok((await summary(page).innerText()).includes(canSentence(RIGHT)), "the summary does not say the new right");

      // Put it back, by keyboard again.
      await page.getByRole("heading", { level: 1 }).click();
      await tabTo(page, CELL);
      await page.keyboard.type(text("fr", "permissions:choices.none").charAt(0));
      assert.equal(await cell.inputValue(), "none");
      await tabTo(page, SAVE);
      await page.keyboard.press("Enter");
      await page.waitForFunction((sentence) => !document.querySelector("#role-summary")?.parentElement?.textContent?.includes(sentence), canSentence(RIGHT));
      assert.equal(await cell.inputValue(), "none");
      await assertNoAxeViolations(page);

      // The other pages of the area, audited too; nothing is changed on them.
      await visit(page, town.url("/admin/roles/visitor"));
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("fr", "console-roles:role.title", { role: text("fr", "console-roles:visitor") }));
      await visit(page, town.url("/admin/roles/staff"));
      assert.ok((await page.locator("main").innerText()).includes(text("fr", "console-roles:role.staffLockout")), "the staff role's page does not say the table cannot lock staff out");
      assert.equal(await page.getByRole("link", { name: text("fr", "console-roles:role.deleteLink") }).count(), 0, "a built-in role offers to be deleted");
      await visit(page, town.url("/admin/roles/elected/reinitialiser"));
      assert.equal(await page.getByRole("button", { name: text("fr", "console-roles:reset.confirm") }).count(), 1);
      await visit(page, town.url("/admin/roles/staff/supprimer"));
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("fr", "console-roles:delete.refusedTitle"));
      assert.equal(await page.getByRole("button").filter({ hasText: text("fr", "console-roles:delete.confirm") }).count(), 0);
      await visit(page, town.url("/admin/roles/pas_de_ce_role"), { status: 404 });
    });
  });

  it("a custom role with one right works for the resident it is given to, until staff delete it", async (t) => {
    const roleLabel = "Bénévole de permanence";
    const roleKey = "benevole_de_permanence";

    // Resident first: the page is not open to her.
    await withPage(`${t.name} (resident before)`, async (page) => {
      await signIn(page, RESIDENT, "/");
      await visit(page, town.url(RIGHT_PAGE), { status: 403 });
    }, noScript);

    await withPage(`${t.name} (staff)`, async (page) => {
      await signIn(page, STAFF, "/admin/roles");
      // Without a name: refused, said in the summary and beside the field.
      await follow(page, page.getByRole("button", { name: text("fr", "console-roles:create.submit") }), { status: 400 });
      assert.ok((await page.locator(".error-summary").innerText()).includes(text("fr", "permissions:roleErrors.labelRequired")));
      assert.equal(await page.locator("#role-label-fr").getAttribute("aria-describedby"), "role-label-fr-error");
      await page.getByLabel(text("fr", "console-roles:create.labelFr"), { exact: false }).fill(roleLabel);
      await page.getByLabel(text("fr", "console-roles:create.labelEn"), { exact: true }).fill("Drop-in volunteer");
      await follow(page, page.getByRole("button", { name: text("fr", "console-roles:create.submit") }));
      assert.equal(new URL(page.url()).pathname, `/admin/roles/${roleKey}`);
      assert.equal((await notice(page).textContent())?.trim(), text("fr", "console-roles:role.created"));
      assert.equal((await summary(page).innerText()).includes(text("fr", "permissions:summary.nothing")), true);

      await page.getByRole("combobox", { name: cellName(RIGHT), exact: true }).selectOption("any");
      await follow(page, page.getByRole("button", { name: text("fr", "console-roles:matrix.save") }));
      assert.equal((await notice(page).textContent())?.trim(), text("fr", "console-roles:role.saved"));
      assert.ok((await summary(page).innerText()).includes(canSentence(RIGHT)));

      // Given to the demo resident on her page of the people area.
      await visit(page, town.url(`/admin/personnes?q=${encodeURIComponent(RESIDENT)}`));
      await follow(page, page.locator("main table a[href^='/admin/personnes/']").first());
      await page.getByLabel(text("fr", "console-people:roleFields.role"), { exact: false }).selectOption(roleKey);
      await follow(page, page.getByRole("button", { name: text("fr", "console-people:person.addRoleSubmit") }));
      assert.ok((await page.locator("main").innerText()).includes(roleLabel), "the role is not on the resident's page");
    }, noScript);

    await withPage(`${t.name} (resident)`, async (page) => {
      await signIn(page, RESIDENT, RIGHT_PAGE);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), moderationTitle);

      await withPage(`${t.name} (staff deletes)`, async (staff) => {
        await signIn(staff, STAFF, `/admin/roles/${roleKey}`);
        await follow(staff, staff.getByRole("link", { name: text("fr", "console-roles:role.deleteLink") }));
        assert.ok((await staff.locator("main").innerText()).includes(text("fr", "console-roles:delete.holders_one", { count: 1 })), "the page does not say who loses the role");
        await follow(staff, staff.getByRole("button", { name: text("fr", "console-roles:delete.confirm") }));
        assert.equal((await notice(staff).textContent())?.trim(), text("fr", "console-roles:list.deleted"));
        assert.equal(await staff.getByRole("link", { name: roleLabel }).count(), 0);
      }, noScript);

      // Her next request has the rights of her other roles only.
      await visit(page, town.url(RIGHT_PAGE), { status: 403 });
    }, noScript);
  });
});
