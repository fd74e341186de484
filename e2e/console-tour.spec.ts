// Every page of the staff console, as staff reach it without JavaScript: each passes axe,
// each of its controls is reached with the Tab key, in a page narrow as a phone it does not
// scroll sideways. The list is checked against the console's route files, so a new page
// cannot be left out.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { follow, signInThrough, tenant, visit, withPage } from "./support/index.ts";

const town = tenant("hellemmes");
const { password } = JSON.parse(fs.readFileSync(path.join("tenants", town.slug, "demo.json"), "utf8")) as { password: string };
const noScript = { javaScriptEnabled: false };

/** Console route files that are not pages: the layout and the CSV download. */
const NOT_PAGES = new Set(["_layout.tsx", "journal[.]csv.ts"]);

/** The first link on `listPath` whose address matches `pattern` (a record to open). */
async function firstRecord(page: Page, listPath: string, pattern: RegExp): Promise<string> {
  await visit(page, town.url(listPath));
  const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => pattern.test(h));
  assert.ok(href, `no link matching ${pattern} on ${listPath}`);
  return href;
}

/** Tabs through the page from the top; returns the controls of <main> that focus never reached. */
async function unreachableControls(page: Page): Promise<string[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
    document.querySelectorAll("[data-tab-visited]").forEach((e) => e.removeAttribute("data-tab-visited"));
  });
  const controls = await page.locator("main").evaluate((main) => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']";
    return Array.from(main.querySelectorAll<HTMLElement>(selector)).filter((e) => !e.hasAttribute("disabled") && e.checkVisibility({ visibilityProperty: true })).length;
  });
  for (let i = 0, seen = 0; i < 600 && seen < controls; i++) {
    await page.keyboard.press("Tab");
    seen = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (e && e.closest("main")) e.setAttribute("data-tab-visited", "");
      return document.querySelectorAll("main [data-tab-visited]").length;
    });
  }
  return page.locator("main").evaluate((main) => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']";
    return Array.from(main.querySelectorAll<HTMLElement>(selector))
      .filter((e) => !e.hasAttribute("disabled") && e.checkVisibility({ visibilityProperty: true }) && !e.hasAttribute("data-tab-visited"))
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} "${(e.textContent ?? e.getAttribute("name") ?? "").trim().slice(0, 40)}"`);
  });
}

describe("console: every page", () => {
  it("passes axe, is operable by keyboard alone and fits a phone screen", async (t) => {
    // A mail in the town's outbox, for the page of one mail: a resident asks for a reset link.
    await withPage(
      `${t.name} (a mail to read)`,
      async (page) => {
        await visit(page, town.url("/mot-de-passe-oublie"));
        await page.locator("#field-email").fill("habitant@hellemmes.example.org");
        await follow(page, page.locator("form.form button[type=submit]"));
      },
      noScript,
    );
    await withPage(
      t.name,
      async (page) => {
        await signInThrough(page, town, "mairie@hellemmes.example.org", password, "/admin");
        const person = await firstRecord(page, "/admin/personnes", /^\/admin\/personnes\/[0-9a-f-]{36}$/);
        const organisation = await firstRecord(page, "/admin/organisations", /^\/admin\/organisations\/[0-9a-f-]{36}$/);
        const email = await firstRecord(page, "/admin/outbox", /^\/admin\/outbox\/[0-9a-f-]{36}$/);
        const pages: Record<string, string> = {
          "_index.tsx": "/admin",
          "modules._index.tsx": "/admin/modules",
          "modules.$id.tsx": "/admin/modules/directory",
          "roles._index.tsx": "/admin/roles",
          "roles.$key.tsx": "/admin/roles/elected",
          "roles.$key_.reinitialiser.tsx": "/admin/roles/elected/reinitialiser",
          "roles.$key_.supprimer.tsx": "/admin/roles/elected/supprimer",
          "personnes._index.tsx": "/admin/personnes",
          "personnes.$id.tsx": person,
          "personnes.inviter.tsx": "/admin/personnes/inviter",
          "personnes.invitations.tsx": "/admin/personnes/invitations",
          "organisations._index.tsx": "/admin/organisations",
          "organisations.$id.tsx": organisation,
          "commune._index.tsx": "/admin/commune",
          "commune.identite.tsx": "/admin/commune/identite",
          "commune.couleurs.tsx": "/admin/commune/couleurs",
          "commune.logo.tsx": "/admin/commune/logo",
          "commune.carte.tsx": "/admin/commune/carte",
          "commune.langues.tsx": "/admin/commune/langues",
          "commune.mentions.tsx": "/admin/commune/mentions",
          "securite.tsx": "/admin/securite",
          "journal.tsx": "/admin/journal",
          "confirmer.tsx": "/admin/confirmer?retour=%2Fadmin",
          "outbox._index.tsx": "/admin/outbox",
          "outbox.$id.tsx": email,
        };
        const files = fs.readdirSync(path.join("app", "routes", "admin+")).filter((f) => !/\.test\.tsx?$/.test(f) && !NOT_PAGES.has(f));
        assert.deepEqual(files.filter((f) => !(f in pages)), [], "console pages this tour does not visit");

        const problems: string[] = [];
        for (const [file, url] of Object.entries(pages)) {
          await page.setViewportSize({ width: 1280, height: 900 });
          await visit(page, town.url(url));
          assert.equal(await page.locator("h1").count(), 1, `${file}: one h1`);
          const missed = await unreachableControls(page);
          if (missed.length) problems.push(`${url}: never focused by Tab: ${missed.join(", ")}`);
          await page.setViewportSize({ width: 360, height: 740 });
          const overflow = await page.evaluate(() => {
            const width = document.documentElement.clientWidth;
            // The outermost elements that stick out, to say what to fix.
            const culprits = Array.from(document.querySelectorAll<HTMLElement>("body *"))
              .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 0.5))
              .slice(0, 5)
              .map((e) => `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className).split(" ").join(".") : ""}`);
            return { by: document.documentElement.scrollWidth - width, culprits };
          });
          if (overflow.by > 0) problems.push(`${url}: scrolls sideways by ${overflow.by} px at 360 px wide (${overflow.culprits.join(", ")})`);
        }
        assert.deepEqual(problems, []);
      },
      noScript,
    );
  });
});
