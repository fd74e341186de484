// Town settings in the staff console (Lille, which no other journey changes): staff give the
// accent colour an unreadable value (refused, the failing pairing and its ratio shown), then
// a readable one (the portal's /theme.css serves it); upload a logo (the header shows it);
// set the map centre with the numeric fields by keyboard alone; change the publisher of the
// legal notice and read it on /mentions-legales. Every section is then returned to the
// platform's value (even when a check fails half-way). axe on every page.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import sharp from "sharp";
import { contrastRatio } from "../app/core/ui/contrast.ts";
import { pageProblems } from "./support/browser.ts";
import { assertNoAxeViolations, tenant, text, visit, withPage } from "./support/index.ts";

const town = tenant("lille");
const { password } = JSON.parse(fs.readFileSync(path.join("tenants", town.slug, "demo.json"), "utf8")) as { password: string };
const STAFF = `mairie@${town.slug}.example.org`;
const definition = JSON.parse(fs.readFileSync(path.join("tenants", town.slug, "tenant.json"), "utf8")) as {
  map: { center: [number, number]; bounds: [[number, number], [number, number]] };
  legal: { publisher: string };
};

const UNREADABLE_ACCENT = "#7dd3fc";
const READABLE_ACCENT = "#155e75";
const PUBLISHER = "Ville de Lille (essai de la console)";
const SECTIONS = ["/admin/commune/couleurs", "/admin/commune/logo", "/admin/commune/carte", "/admin/commune/mentions"] as const;

const main = (page: Page) => page.getByRole("main");
const heading = (page: Page) => page.getByRole("heading", { level: 1 });
const notice = (page: Page, key: string) => main(page).getByRole("status").filter({ hasText: text("fr", `console-town:${key}`) });
const summary = (page: Page) => main(page).getByRole("alert");
const required = (label: string) => `${label} ${text("fr", "form.required")}`;

/** The ratio as the page prints it: fr-FR, rounded down to 2 decimals. */
function shownRatio(a: string, b: string) {
  return (Math.floor(contrastRatio(a, b) * 100) / 100).toLocaleString("fr-FR", { maximumFractionDigits: 2 });
}

async function checked(page: Page) {
  await page.waitForLoadState("networkidle");
  await assertNoAxeViolations(page);
  assert.deepEqual(pageProblems.get(page)?.splice(0) ?? [], [], `${page.url()} reported problems in the browser`);
}

/** A GET from the page itself (Node does not resolve *.localhost; Chromium does). */
function fetchInPage(page: Page, pathname: string) {
  return page.evaluate(async (url) => {
    const response = await fetch(url, { cache: "no-store" });
    return { contentType: response.headers.get("content-type") ?? "", body: await response.text() };
  }, pathname);
}

async function signIn(page: Page) {
  await visit(page, town.url(`/connexion?retour=${encodeURIComponent("/admin/commune")}`));
  await page.locator("#field-email").fill(STAFF);
  await page.locator("#field-password").fill(password);
  await page.locator("form.form button[type=submit]").click();
  await page.waitForURL((url) => url.pathname === "/admin/commune");
  await heading(page).filter({ hasText: text("fr", "console-town:overview.title") }).waitFor();
  await checked(page);
}

/** Moves the focus with Tab only until `target` has it: proves it is reachable by keyboard. */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 120; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${target}`);
}

/** Tabs to a text field, selects what it holds and types over it. */
async function typeOver(page: Page, target: Locator, value: string) {
  await tabTo(page, target);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(value);
}

const saveButton = (page: Page) => main(page).getByRole("button", { name: text("fr", "console-town:save"), exact: true });

/** Submits with the mouse, then waits for the redirect's notice (scripts on: Remix's fetch). */
async function saveAndWait(page: Page, button: Locator) {
  await button.click();
  await notice(page, "notice.saved").waitFor();
  await checked(page);
}

/** Returns every section this journey touches to the platform's value; harmless when unchanged. */
async function restore(page: Page) {
  for (const section of SECTIONS) {
    await visit(page, town.url(section));
    const revert = main(page).locator(".town-revert button[type=submit]");
    if ((await revert.count()) === 0) continue;
    await revert.click();
    await notice(page, "notice.reverted").waitFor();
    await checked(page);
  }
}

describe("console: town settings", () => {
  it("staff change the colours, logo, map centre and legal publisher of Lille, then return each to the platform's value", async (t) => {
    await withPage(t.name, async (page) => {
      await signIn(page);
      let failure: unknown;
      try {
        // Colours: an unreadable accent is refused, with the pairing and its ratio.
        await visit(page, town.url("/admin/commune/couleurs"));
        const accent = main(page).locator("#field-accent");
        await accent.fill(UNREADABLE_ACCENT);
        await saveButton(page).click();
        await summary(page).waitFor();
        await checked(page);
        assert.match((await summary(page).textContent()) ?? "", new RegExp(text("fr", "console-town:theme.errors.accentUnreadable").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
        const detail = text("fr", "console-town:theme.pairs.accentWithWhite", { ratio: shownRatio(UNREADABLE_ACCENT, "#ffffff"), minimum: "4,5" });
        await main(page).getByText(detail, { exact: true }).waitFor();
        assert.equal(await accent.getAttribute("aria-invalid"), "true");
        const css = (await fetchInPage(page, "/theme.css")).body;
        assert.ok(!css.includes(UNREADABLE_ACCENT), "the refused colour reached /theme.css");

        // A readable one is saved and served.
        await accent.fill(READABLE_ACCENT);
        assert.equal(await main(page).locator("#field-accentPicker").inputValue(), READABLE_ACCENT, "the colour picker did not follow the text field");
        await saveAndWait(page, saveButton(page));
        const theme = (await fetchInPage(page, "/theme.css")).body;
        assert.match(theme, new RegExp(`--accent:${READABLE_ACCENT}`), `/theme.css: ${theme}`);
        assert.equal(await page.locator(`link[rel=stylesheet][href*="theme.css"]`).count(), 1);

        // Logo: a PNG made here, shown in the header once saved (reduced to 512 px wide).
        await visit(page, town.url("/admin/commune/logo"));
        const png = await sharp({ create: { width: 800, height: 400, channels: 4, background: { r: 21, g: 94, b: 117, alpha: 1 } } }).png().toBuffer();
        await main(page).locator("#field-logo").setInputFiles({ name: "logo-lille.png", mimeType: "image/png", buffer: png });
        await saveAndWait(page, main(page).getByRole("button", { name: text("fr", "console-town:logo.upload"), exact: true }));
        await visit(page, town.url("/"));
        const headerLogo = page.locator(".site-brand img");
        await headerLogo.waitFor();
        const size = await headerLogo.evaluate((img: HTMLImageElement) => (img.complete ? [img.naturalWidth, img.naturalHeight] : null));
        assert.deepEqual(size, [512, 256], "the header does not show the uploaded logo");
        const preview = await visit(page, town.url("/admin/commune/logo"));
        assert.equal(preview.status(), 200);
        await main(page).getByRole("img", { name: town.name, exact: true }).waitFor();

        // Map: the centre typed with the keyboard only, inside Lille's bounds.
        await visit(page, town.url("/admin/commune/carte"));
        const [[west, south], [east, north]] = definition.map.bounds;
        const lng = (west + (east - west) / 3).toFixed(4);
        const lat = (south + (north - south) / 3).toFixed(4);
        await typeOver(page, main(page).getByLabel(required(text("fr", "console-town:map.fields.centerLng")), { exact: true }), lng.replace(".", ","));
        await typeOver(page, main(page).getByLabel(required(text("fr", "console-town:map.fields.centerLat")), { exact: true }), lat);
        await tabTo(page, saveButton(page));
        await page.keyboard.press("Enter");
        await notice(page, "notice.saved").waitFor();
        await checked(page);
        await visit(page, town.url("/admin/commune/carte"));
        assert.equal(await main(page).locator("#field-centerLng").inputValue(), String(Number(lng)));
        assert.equal(await main(page).locator("#field-centerLat").inputValue(), String(Number(lat)));

        // Legal notice: the publisher, as the public page shows it.
        await visit(page, town.url("/admin/commune/mentions"));
        await main(page).locator("#field-publisher").fill(PUBLISHER);
        await saveAndWait(page, saveButton(page));
        await visit(page, town.url("/mentions-legales"));
        await main(page).getByText(PUBLISHER, { exact: true }).first().waitFor();

        // The overview says which sections were changed here.
        await visit(page, town.url("/admin/commune"));
        const changed = main(page).getByRole("cell", { name: text("fr", "console-town:source.changed"), exact: true });
        assert.equal(await changed.count(), SECTIONS.length);
      } catch (error) {
        failure = error;
      }
      // Restored even after a failure, whose message is the one reported.
      try {
        await restore(page);
      } catch (error) {
        if (!failure) throw error;
      }
      if (failure) throw failure;

      // Back to the platform's values everywhere.
      await visit(page, town.url("/admin/commune"));
      assert.equal(await main(page).getByRole("cell", { name: text("fr", "console-town:source.changed"), exact: true }).count(), 0);
      const css = (await fetchInPage(page, "/theme.css")).body;
      assert.ok(!css.includes(READABLE_ACCENT), `the accent was not restored: ${css}`);
      await visit(page, town.url("/mentions-legales"));
      await main(page).getByText(definition.legal.publisher, { exact: true }).first().waitFor();
      assert.equal((await fetchInPage(page, "/logo")).contentType, "image/svg+xml", "the platform's logo is not back");
    });
  });
});
