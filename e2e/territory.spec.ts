// A grouping of towns (Lille over its associated communes Hellemmes and Lomme): its map and
// list show the members' published listings, read-only, each linking to the town's own page.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { follow, tenant, visit, withPage } from "./support/index.ts";

const lille = tenant("lille");
const hellemmes = tenant("hellemmes");
const demo = JSON.parse(fs.readFileSync(path.join("tenants", "hellemmes", "demo.json"), "utf8")) as {
  modules: { directory: { initiatives: { name: string }[] } };
};

describe("a grouping of towns", () => {
  it("maps and lists its member towns' initiatives, each linking to the town's own page", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, lille.url("/initiatives/territoire"));
      assert.match((await page.getByRole("heading", { level: 1 }).textContent()) ?? "", /Lille/);
      // The map draws from the members' GeoJSON: wait until it has loaded points.
      await page.waitForFunction(() => Number(document.querySelector(".directory-map")?.getAttribute("data-points") ?? "0") > 0, undefined, {
        timeout: 30_000,
      });
      const name = demo.modules.directory.initiatives[0].name;
      const link = page.locator("#territory-list").getByRole("link", { name });
      assert.equal(await link.count(), 1, `${name} is not in the grouping's list`);
      const href = (await link.getAttribute("href")) ?? "";
      assert.ok(href.startsWith(hellemmes.url("/initiatives/")), `the link ${href} does not lead to Hellemmes' own page`);
      await follow(page, link);
      assert.equal(new URL(page.url()).host, new URL(hellemmes.url("/")).host);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), name);
    });
  });

  it("is not offered by a town that groups no other", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, hellemmes.url("/initiatives/territoire"), { status: 404 });
    });
  });
});
