// People in the staff console (Hellemmes): staff find a demo account without typing its
// accents, invite a repairer by email; the invitee opens the link from the mail actually sent
// and creates the account; staff find them with the repairer role, deactivate them (signed
// out, sign-in refused), reactivate them (sign-in works again), and give them a role by
// keyboard alone, then take it back. Every page is audited with axe.
// Left behind: the new repairer account (accounts cannot be deleted), active, with the role it
// was invited for, under an address unique to the run; everything else is as found.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import { pageProblems } from "./support/browser.ts";
import { assertNoAxeViolations, environment, tenant, text, visit, withPage } from "./support/index.ts";

const town = tenant("hellemmes");
type DemoFile = { password: string; accounts: Array<{ email: string; displayName: string }> };
const demo = JSON.parse(fs.readFileSync(path.join("tenants", town.slug, "demo.json"), "utf8")) as DemoFile;
const STAFF = "mairie@hellemmes.example.org";
const DEMO_REPAIRER = demo.accounts.find((a) => a.email === "reparateur@hellemmes.example.org");
assert.ok(DEMO_REPAIRER, "tenants/hellemmes/demo.json has no demo repairer");

const suffix = `${Date.now().toString(36)}-${crypto.randomBytes(3).toString("hex")}`;
const invitee = { email: `reparatrice-${suffix}@example.org`, name: `Jo Réparatrice ${suffix}`, password: "Six clés plates dans la caisse" };

const t = (key: string, values: Record<string, string | number> = {}) => text("fr", key, values);
const required = (label: string) => `${label} ${t("form.required")}`;
const main = (page: Page) => page.getByRole("main");
const heading = (page: Page) => page.getByRole("heading", { level: 1 });
const notice = (page: Page) => main(page).getByRole("status");

/** After a client-side navigation or a form sent by fetch: wait for what the new page shows, then audit it. */
async function settled(page: Page, ready: Locator) {
  await ready.waitFor();
  await page.waitForLoadState("networkidle");
  await assertNoAxeViolations(page);
  assert.deepEqual(pageProblems.get(page)?.splice(0) ?? [], [], `${page.url()} reported problems in the browser`);
}

async function signIn(page: Page, email: string, password: string, back = "/") {
  await visit(page, town.url(`/connexion?retour=${encodeURIComponent(back)}`));
  await main(page).getByLabel(required(t("auth:fields.email")), { exact: true }).fill(email);
  await main(page).getByLabel(required(t("auth:fields.password")), { exact: true }).fill(password);
  await main(page).getByRole("button", { name: t("auth:signIn.submit"), exact: true }).click();
}

async function signInAsStaff(page: Page, back: string) {
  await signIn(page, STAFF, demo.password, back);
  await page.waitForURL((url) => url.pathname === back);
  await settled(page, heading(page));
}

/** The row of the people table for `name`, after searching for `q`. */
async function search(page: Page, q: string, name: string) {
  await main(page).getByLabel(t("console-people:list.q"), { exact: true }).fill(q);
  await main(page).getByRole("button", { name: t("console-people:list.search"), exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get("q") === q);
  const row = main(page).getByRole("row").filter({ has: page.getByRole("rowheader").filter({ hasText: name }) });
  await settled(page, row);
  return row;
}

describe("console: people", () => {
  it("staff invite a repairer who joins from the mail, then deactivate, reactivate and give them a role by keyboard", async (tc) => {
    await withPage(tc.name, async (page) => {
      await signInAsStaff(page, "/admin/personnes");
      assert.equal(await heading(page).textContent(), t("console-people:list.title"));

      // The search ignores accents and case: "reparateur" finds "Alex Réparateur (démo)", a demo account.
      const demoRow = await search(page, "REPARATEUR", DEMO_REPAIRER!.displayName);
      assert.equal(await demoRow.count(), 1);
      assert.match((await demoRow.textContent()) ?? "", new RegExp(t("console-people:demo")));
      assert.match((await demoRow.textContent()) ?? "", new RegExp(t("roles:labels.repairer").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));

      // Invite by email; the organisation select stays out of the way for a role that needs none.
      await visit(page, town.url("/admin/personnes/inviter"));
      assert.equal(await heading(page).textContent(), t("console-people:invite.title"));
      await main(page).getByLabel(required(t("console-people:invite.email")), { exact: true }).fill(invitee.email);
      await main(page).getByLabel(required(t("console-people:roleFields.role")), { exact: true }).selectOption({ label: t("roles:labels.repairer") });
      assert.equal(await main(page).getByLabel(t("console-people:roleFields.organisation"), { exact: false }).count(), 0);
      await main(page).getByLabel(required(t("console-people:invite.locale")), { exact: true }).selectOption("fr");
      await main(page).getByRole("button", { name: t("console-people:invite.submit"), exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/admin/personnes/invitations");
      await settled(page, notice(page).filter({ hasText: t("console-people:invitations.ok.sent", { email: invitee.email }) }));
      const invitationRow = main(page).getByRole("row").filter({ hasText: invitee.email });
      assert.match((await invitationRow.textContent()) ?? "", new RegExp(t("console-people:invitations.statuses.pending")));
    });

    const mail = await environment().mail.waitForMail({ to: invitee.email, subject: t("email:invitation.subject", { town: town.name }) });
    const link = (mail.text.match(/https?:\/\/\S+\/invitation\?token=[A-Za-z0-9_-]{43}/) ?? [])[0];
    assert.ok(link, `no invitation link in the mail:\n${mail.text}`);
    assert.equal(new URL(link).host, new URL(town.url("/")).host, "the invitation links to another host");
    assert.ok(mail.text.includes(t("roles:labels.repairer")), "the mail does not name the role");

    await withPage(`${tc.name} (invitee)`, async (page) => {
      await visit(page, link);
      assert.equal(await heading(page).textContent(), t("auth:invitation.title", { town: town.name }));
      await main(page).getByLabel(required(t("auth:fields.displayName")), { exact: true }).fill(invitee.name);
      await main(page).getByLabel(required(t("auth:fields.password")), { exact: true }).fill(invitee.password);
      await main(page).getByLabel(required(t("auth:fields.confirmPassword")), { exact: true }).fill(invitee.password);
      await main(page).getByRole("button", { name: t("auth:invitation.submit"), exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await settled(page, page.getByRole("link", { name: t("shell.account", { name: invitee.name }), exact: true }));
    });

    await withPage(`${tc.name} (staff again)`, async (page) => {
      await signInAsStaff(page, "/admin/personnes");
      const row = await search(page, invitee.email, invitee.name);
      assert.match((await row.textContent()) ?? "", new RegExp(t("roles:labels.repairer").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      await row.getByRole("link", { name: invitee.name, exact: true }).click();
      await page.waitForURL((url) => /^\/admin\/personnes\/[0-9a-f-]{36}$/.test(url.pathname));
      await settled(page, heading(page).filter({ hasText: invitee.name }));
      const personUrl = page.url();

      await main(page).getByRole("button", { name: t("console-people:person.deactivate"), exact: true }).click();
      await settled(page, notice(page).filter({ hasText: t("console-people:person.ok.deactivated") }));

      await withPage(`${tc.name} (deactivated invitee)`, async (other) => {
        await signIn(other, invitee.email, invitee.password);
        await settled(other, main(other).getByRole("alert").filter({ hasText: t("auth:signIn.deactivated") }));
        assert.equal(new URL(other.url()).pathname, "/connexion");
      });

      await main(page).getByRole("button", { name: t("console-people:person.reactivate"), exact: true }).click();
      await settled(page, notice(page).filter({ hasText: t("console-people:person.ok.reactivated") }));

      await withPage(`${tc.name} (reactivated invitee)`, async (other) => {
        await signIn(other, invitee.email, invitee.password);
        await other.waitForURL((url) => url.pathname === "/");
        await settled(other, other.getByRole("link", { name: t("shell.account", { name: invitee.name }), exact: true }));
      });

      // A role by keyboard alone: focus the role select, arrow to "Élu·e", Tab to the button, Enter.
      await visit(page, personUrl);
      const roleSelect = main(page).getByLabel(required(t("console-people:roleFields.role")), { exact: true });
      const elected = t("roles:labels.elected");
      await roleSelect.focus();
      for (let i = 0; i < 20 && (await roleSelect.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)) !== elected; i++) {
        await page.keyboard.press("ArrowDown");
      }
      assert.equal(await roleSelect.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text), elected);
      await page.keyboard.press("Tab");
      const add = main(page).getByRole("button", { name: t("console-people:person.addRoleSubmit"), exact: true });
      assert.ok(await add.evaluate((el) => el === document.activeElement), "the add button does not follow the role select in the tab order");
      await page.keyboard.press("Enter");
      await settled(page, notice(page).filter({ hasText: t("console-people:person.ok.roleAdded") }));
      const electedRow = main(page).getByRole("row").filter({ has: page.getByRole("rowheader", { name: elected, exact: true }) });
      assert.equal(await electedRow.count(), 1);

      // Put it back, by keyboard too.
      const remove = electedRow.getByRole("button");
      await remove.focus();
      await page.keyboard.press("Enter");
      await settled(page, notice(page).filter({ hasText: t("console-people:person.ok.roleRemoved") }));
      assert.equal(await main(page).getByRole("rowheader", { name: elected, exact: true }).count(), 0);

      // The invitation now reads as accepted, by this account.
      await visit(page, town.url("/admin/personnes/invitations?statut=accepted"));
      const accepted = main(page).getByRole("row").filter({ hasText: invitee.email });
      assert.match((await accepted.textContent()) ?? "", new RegExp(invitee.name));
    });
  });

  it("without JavaScript, organisations list with their members, and the invitation form offers both role fields", async (tc) => {
    await withPage(
      tc.name,
      async (page) => {
        await visit(page, town.url(`/connexion?retour=${encodeURIComponent("/admin/organisations")}`));
        await main(page).getByLabel(required(t("auth:fields.email")), { exact: true }).fill(STAFF);
        await main(page).getByLabel(required(t("auth:fields.password")), { exact: true }).fill(demo.password);
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.request().isNavigationRequest() && r.status() === 200),
          main(page).getByRole("button", { name: t("auth:signIn.submit"), exact: true }).click(),
        ]);
        assert.equal(new URL(response.url()).pathname, "/admin/organisations");
        await assertNoAxeViolations(page);
        assert.equal(await heading(page).textContent(), t("console-people:organisations.title"));
        const workshop = main(page).getByRole("row").filter({ hasText: "Atelier vélo solidaire (démo)" });
        assert.equal(await workshop.getByRole("cell").first().textContent(), "1");
        const href = await workshop.getByRole("link").getAttribute("href");
        assert.match(href ?? "", /^\/admin\/organisations\/[0-9a-f-]{36}$/);
        await visit(page, town.url(href!));
        assert.equal(await heading(page).textContent(), `Atelier vélo solidaire (démo) ${t("console-people:demo")}`);
        assert.equal(await main(page).getByRole("link", { name: DEMO_REPAIRER!.displayName, exact: true }).count(), 1);
        await visit(page, town.url("/admin/personnes/inviter"));
        assert.equal(await main(page).getByLabel(t("console-people:roleFields.organisation"), { exact: true }).count(), 1, "without scripts the organisation select is missing");
      },
      { javaScriptEnabled: false },
    );
  });
});
