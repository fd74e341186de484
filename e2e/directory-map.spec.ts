// The directory's map in a real browser: maplibre draws the demo listings (checked on the
// screenshot's pixels, in the stage colours of the legend), clusters open on a click, the
// filters apply at once and the list link keeps them; without JavaScript the page still
// points to the list.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { assertNoAxeViolations, follow, tenant, visit, withPage } from "./support/index.ts";

const town = tenant("hellemmes");
const publicText = JSON.parse(fs.readFileSync(path.join("app", "modules", "directory", "locales", "fr", "public.json"), "utf8")).public;
const demo = JSON.parse(fs.readFileSync(path.join("tenants", "hellemmes", "demo.json"), "utf8")) as {
  modules: { directory: { initiatives: { name: string; stage?: string; layers?: string[] }[] } };
};
const listings = demo.modules.directory.initiatives;

// The default stage colours (app/modules/directory/vocabulary.ts) of the stages the demo uses.
const STAGE_COLOURS: Record<string, [number, number, number]> = {
  gestation: [0x6b, 0x72, 0x80],
  selling_a_little: [0xb4, 0x53, 0x09],
  cooperative_shop: [0x15, 0x80, 0x3d],
};
const BRAND: [number, number, number] = [0x1d, 0x4e, 0xd8];

async function mapReady(page: Page) {
  await page.locator('.directory-map[data-state="ready"]').waitFor({ timeout: 30_000 });
}

/** Pixels of the map's screenshot close to each colour, counted by the browser's own PNG decoder. */
async function colourCounts(page: Page, colours: Record<string, [number, number, number]>) {
  const png = await page.locator(".directory-map").screenshot();
  return page.evaluate(
    async ({ data, targets }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const counts: Record<string, number> = Object.fromEntries(Object.keys(targets).map((k) => [k, 0]));
      for (let i = 0; i < pixels.length; i += 4) {
        for (const [name, [r, g, b]] of Object.entries(targets)) {
          if (Math.abs(pixels[i] - r) <= 10 && Math.abs(pixels[i + 1] - g) <= 10 && Math.abs(pixels[i + 2] - b) <= 10) counts[name]++;
        }
      }
      return counts;
    },
    { data: png.toString("base64"), targets: colours },
  );
}

describe("the directory map", () => {
  it("draws the listings: a cluster first, then each marker in its stage colour", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, town.url("/initiatives/carte"));
      await mapReady(page);
      const summary = await page.locator(".directory-map__summary").textContent();
      assert.equal(summary, publicText.map.summary_other.replace("{{count}}", String(listings.length)));

      const cluster = page.locator(".directory-map .map-cluster").first();
      assert.ok(await cluster.isVisible(), "no cluster drawn at the initial zoom");
      assert.ok((await colourCounts(page, { brand: BRAND })).brand > 200, "the cluster button is not painted");

      await cluster.click();
      await page.waitForFunction(() => document.querySelectorAll(".directory-map .map-cluster").length === 0, undefined, { timeout: 15_000 });
      await mapReady(page);
      await page.waitForFunction((n) => document.querySelector(".directory-map")?.getAttribute("data-points") === String(n), listings.length);
      // Past the clustering zoom, every listing is a circle of maplibre's WebGL canvas.
      const used = Object.fromEntries(Object.entries(STAGE_COLOURS).filter(([stage]) => listings.some((l) => l.stage === stage)));
      assert.ok(Object.keys(used).length >= 2, "the demo data should use several stages");
      await page.waitForTimeout(500);
      const counts = await colourCounts(page, used);
      for (const [stage, count] of Object.entries(counts)) assert.ok(count > 40, `no marker painted in the colour of stage ${stage} (${count} pixels)`);
    });
  });

  it("applies a filter at once, keeps focus on it, and links the list with the same filter", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, town.url("/initiatives/carte"));
      await mapReady(page);
      const layer = "bidouiller";
      const expected = listings.filter((l) => l.layers?.includes(layer)).length;
      assert.ok(expected > 0 && expected < listings.length, `the demo data should have some listings, not all, in layer ${layer}`);
      const box = page.locator(`input[name="calque"][value="${layer}"]`);
      await box.check();
      await page.waitForURL((url) => url.searchParams.get("calque") === layer);
      await page.waitForFunction(
        (n) => document.querySelector(".directory-map__summary")?.textContent?.includes(` ${n} `),
        expected,
      );
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value), layer);
      // A client-side navigation (Remix link): no new document, so audited here.
      await page.getByRole("link", { name: publicText.map.toList, exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/initiatives" && url.searchParams.get("calque") === layer);
      await page.locator(".directory-result").first().waitFor();
      assert.equal(await page.locator(".directory-result").count(), expected);
      await assertNoAxeViolations(page);
    });
  });

  it("lets keyboard users skip the map", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, town.url("/initiatives/carte"));
      const skip = page.getByRole("link", { name: publicText.map.skip });
      await skip.focus();
      assert.ok(await skip.isVisible(), "the skip link must show when focused");
      await page.keyboard.press("Enter");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "directory-after-map");
    });
  });

  it("without JavaScript, says the map needs it and points to the list", async (t) => {
    await withPage(
      t.name,
      async (page) => {
        await visit(page, town.url("/initiatives/carte"));
        assert.equal(await page.locator(".directory-map").getAttribute("data-state"), "loading");
        assert.match((await page.locator(".directory-map__fallback").textContent()) ?? "", new RegExp(publicText.map.needsScript.slice(0, 20)));
        await follow(page, page.locator(".directory-map__fallback a"));
        assert.equal(new URL(page.url()).pathname, "/initiatives");
        assert.equal(await page.locator(".directory-result").count(), listings.length);
      },
      { javaScriptEnabled: false },
    );
  });
});
