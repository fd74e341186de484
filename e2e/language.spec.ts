// The language switch: French by default, English on request, remembered across pages, and
// a plain link that works with JavaScript disabled.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { follow, tenant, text, visit, withPage, type Language } from "./support/index.ts";

async function assertLanguage(page: Page, lng: Language) {
  assert.equal(await page.locator("html").getAttribute("lang"), lng, `${page.url()} is not in ${lng}`);
  assert.equal((await page.locator(".skip-link").textContent())?.trim(), text(lng, "shell.skipToContent"));
  const current = page.getByRole("navigation", { name: text(lng, "shell.languageNav") }).locator("[aria-current]");
  assert.equal(await current.getAttribute("lang"), lng);
}

function switchLink(page: Page, from: Language, label: string) {
  return page.getByRole("navigation", { name: text(from, "shell.languageNav") }).getByRole("link", { name: label });
}

describe("language switch", () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`French by default, English on request, remembered across pages (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async (t) => {
      const town = tenant("hellemmes");
      await withPage(
        t.name,
        async (page) => {
          await visit(page, town.url("/"));
          await assertLanguage(page, "fr");

          await follow(page, switchLink(page, "fr", "English"));
          assert.equal(new URL(page.url()).pathname, "/", "the switch brings the reader back to the page they were on");
          await assertLanguage(page, "en");
          assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("en", "home.title", { name: town.name }));

          await visit(page, town.url("/initiatives"));
          await assertLanguage(page, "en");

          await follow(page, switchLink(page, "en", "Français"));
          assert.equal(new URL(page.url()).pathname, "/initiatives");
          await assertLanguage(page, "fr");

          await visit(page, town.url("/"));
          await assertLanguage(page, "fr");
          assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("fr", "home.title", { name: town.name }));
        },
        { javaScriptEnabled },
      );
    });
  }
});
