// Two-factor sign-in and the town's security settings, by keyboard only, with axe on every
// page: Libercourt's staff member turns TOTP on (the codes are computed here from the key the
// page shows, as an authenticator app would), signs out and back in with a code, makes two-
// factor sign-in mandatory, confirms the password on /admin/confirmer, then restores the town
// (rule off, TOTP off). Libercourt is the town no other journey signs in to.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { generateTOTP } from "@epic-web/totp";
import type { Locator, Page } from "playwright-core";
import { pageProblems } from "./support/browser.ts";
import { assertNoAxeViolations, tenant, text, visit, withPage } from "./support/index.ts";

const libercourt = tenant("libercourt");
const demo = JSON.parse(fs.readFileSync(path.join("tenants", "libercourt", "demo.json"), "utf8")) as { password: string };
const staff = { email: "mairie@libercourt.example.org", password: demo.password };

const STEP_MS = 30_000;

const required = (label: string) => `${label} ${text("fr", "form.required")}`;
const main = (page: Page) => page.getByRole("main");
const heading = (page: Page) => page.getByRole("heading", { level: 1 });
const field = (page: Page, key: string) => main(page).getByLabel(required(text("fr", key)), { exact: true });
const button = (page: Page, key: string) => main(page).getByRole("button", { name: text("fr", key), exact: true });
const notice = (page: Page, key: string) => main(page).getByRole("status").filter({ hasText: text("fr", key) });

/** What an authenticator app shows for this key now. */
async function codeFor(secret: string) {
  return (await generateTOTP({ secret, period: 30, digits: 6, algorithm: "SHA-1" })).otp;
}

/** A code is accepted once: wait for the app's next code before using one again. */
async function nextStep() {
  await new Promise((resolve) => setTimeout(resolve, STEP_MS - (Date.now() % STEP_MS) + 1_000));
}

/** Moves the focus with Tab only until `target` has it: proves it is reachable by keyboard. */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 100; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${target}`);
}

async function typeInto(page: Page, target: Locator, value: string) {
  await tabTo(page, target);
  await page.keyboard.type(value);
}

/** Presses `key` on the focused element, waits for the page it leads to, then audits it. */
async function press(page: Page, key: "Enter", expected: { pathname: string; ready: Locator }) {
  await page.keyboard.press(key);
  await page.waitForURL((url) => url.pathname === expected.pathname);
  await expected.ready.waitFor();
  await page.waitForLoadState("networkidle");
  await assertNoAxeViolations(page);
  assert.deepEqual(pageProblems.get(page)?.splice(0) ?? [], [], `${page.url()} reported problems in the browser`);
}

async function signOut(page: Page) {
  const nav = page.getByRole("navigation", { name: text("fr", "shell.mainNav") });
  await tabTo(page, nav.getByRole("button", { name: text("fr", "shell.signOut"), exact: true }));
  await press(page, "Enter", { pathname: "/", ready: nav.getByRole("link", { name: text("fr", "shell.signIn"), exact: true }) });
}

describe("console: two-factor sign-in and security settings", () => {
  it("staff of Libercourt turn TOTP on, sign in with a code, make it mandatory, then restore the town", async (t) => {
    await withPage(t.name, async (page) => {
      // Signing in with the password alone, sent back to the enrolment page.
      await visit(page, libercourt.url("/connexion?retour=%2Fcompte%2Fdouble-authentification"));
      await typeInto(page, field(page, "auth:fields.email"), staff.email);
      await typeInto(page, field(page, "auth:fields.password"), staff.password);
      await press(page, "Enter", { pathname: "/compte/double-authentification", ready: heading(page).filter({ hasText: text("fr", "security:twoFactor.title") }) });
      assert.equal(await main(page).getByText(text("fr", "security:twoFactor.statusOff")).count(), 1);

      // The QR code and the key.
      await tabTo(page, button(page, "security:twoFactor.enable"));
      const qr = main(page).getByRole("img", { name: /Code QR/ });
      await press(page, "Enter", { pathname: "/compte/double-authentification", ready: qr });
      assert.ok(await qr.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0), "the QR code did not load (CSP?)");
      const shownKey = (await main(page).locator(".security-secret").textContent()) ?? "";
      assert.match(shownKey, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, `the key is not shown in groups of four: ${shownKey}`);
      const secret = shownKey.replace(/ /g, "");

      await typeInto(page, field(page, "security:fields.password"), staff.password);
      await typeInto(page, field(page, "security:fields.enrolCode"), await codeFor(secret));
      await tabTo(page, button(page, "security:twoFactor.setup.submit"));
      const codesList = main(page).getByRole("list", { name: text("fr", "security:twoFactor.codes.listLabel") });
      await press(page, "Enter", { pathname: "/compte/double-authentification", ready: codesList });
      const recoveryCodes = (await codesList.getByRole("listitem").allTextContents()).map((c) => c.trim());
      assert.equal(recoveryCodes.length, 8, `expected 8 recovery codes, got ${JSON.stringify(recoveryCodes)}`);
      await notice(page, "security:twoFactor.notices.enabled").waitFor();
      await tabTo(page, main(page).getByRole("link", { name: text("fr", "security:twoFactor.codes.continue"), exact: true }));
      await press(page, "Enter", { pathname: "/compte", ready: heading(page).filter({ hasText: text("fr", "auth:account.title") }) });

      // Out, then in again: the password leads to the code step, which opens the session.
      await signOut(page);
      await visit(page, libercourt.url("/admin/securite"));
      assert.equal(new URL(page.url()).pathname, "/connexion", "a signed-out visitor reached the security settings");
      await typeInto(page, field(page, "auth:fields.email"), staff.email);
      await typeInto(page, field(page, "auth:fields.password"), staff.password);
      await press(page, "Enter", { pathname: "/connexion/code", ready: heading(page).filter({ hasText: text("fr", "security:signInCode.title") }) });
      await nextStep();
      await typeInto(page, field(page, "security:fields.code"), await codeFor(secret));
      await press(page, "Enter", { pathname: "/admin/securite", ready: heading(page).filter({ hasText: text("fr", "security:settings.title") }) });

      // Mandatory for staff; the list shows this account with two-factor sign-in on.
      const rule = main(page).getByRole("checkbox", { name: text("fr", "security:fields.staffTwoFactorRequired"), exact: true });
      assert.equal(await rule.isChecked(), false);
      await tabTo(page, rule);
      await page.keyboard.press("Space");
      await tabTo(page, button(page, "security:settings.submit"));
      await press(page, "Enter", { pathname: "/admin/securite", ready: notice(page, "security:settings.saved") });
      assert.equal(await rule.isChecked(), true);
      const row = main(page).getByRole("row").filter({ hasText: staff.email });
      assert.match((await row.textContent()) ?? "", /Activée depuis le/);

      // The password confirmation page, with a recovery code in place of the app's.
      await visit(page, libercourt.url("/admin/confirmer?retour=%2Fadmin%2Fsecurite"));
      assert.equal(await heading(page).textContent(), text("fr", "security:confirm.title"));
      await typeInto(page, field(page, "security:fields.password"), staff.password);
      await typeInto(page, field(page, "security:fields.code"), recoveryCodes[0]);
      await press(page, "Enter", { pathname: "/admin/securite", ready: heading(page).filter({ hasText: text("fr", "security:settings.title") }) });

      // Restore: the rule off, then TOTP off (with another recovery code).
      await tabTo(page, rule);
      await page.keyboard.press("Space");
      await tabTo(page, button(page, "security:settings.submit"));
      await press(page, "Enter", { pathname: "/admin/securite", ready: notice(page, "security:settings.saved") });
      assert.equal(await rule.isChecked(), false);

      await visit(page, libercourt.url("/compte/double-authentification"));
      await typeInto(page, field(page, "security:fields.password"), staff.password);
      // Two forms ask for a code on this page (new recovery codes, turning off): this one's.
      const disableSection = main(page).getByRole("region", { name: text("fr", "security:twoFactor.disable.title"), exact: true });
      await typeInto(page, disableSection.getByLabel(required(text("fr", "security:fields.code")), { exact: true }), recoveryCodes[1]);
      await tabTo(page, button(page, "security:twoFactor.disable.submit"));
      await press(page, "Enter", { pathname: "/compte/double-authentification", ready: notice(page, "security:twoFactor.notices.disabled") });
      assert.equal(await main(page).getByText(text("fr", "security:twoFactor.statusOff")).count(), 1);
    });
  });
});
