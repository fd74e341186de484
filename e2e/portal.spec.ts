// Tenant resolution seen from a browser: each host gets its own town, an unknown host gets a
// page that names none, and a module a town has not enabled does not exist there.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { hostUrl, tenant, text, visit, withPage } from "./support/index.ts";

function allTenantNames() {
  return fs
    .readdirSync("tenants", { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join("tenants", d.name, "tenant.json")))
    .map((d) => (JSON.parse(fs.readFileSync(path.join("tenants", d.name, "tenant.json"), "utf8")) as { name: string }).name);
}

describe("tenant portals", () => {
  for (const slug of ["hellemmes", "lomme"]) {
    it(`the home page of ${slug} shows its own name and branding`, async (t) => {
      const town = tenant(slug);
      const others = allTenantNames().filter((n) => n !== town.name);
      await withPage(t.name, async (page) => {
        await visit(page, town.url("/"));
        assert.equal(await page.locator("html").getAttribute("lang"), "fr");
        assert.match(await page.title(), new RegExp(town.name));
        assert.equal((await page.locator(".site-brand__name").textContent())?.trim(), town.name);
        assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("fr", "home.title", { name: town.name }));

        // The brand colours come from the tenant's definition through a nonce'd <style>:
        // a CSP block would leave the header in the default colour.
        const brand = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--brand").trim());
        assert.equal(brand.toLowerCase(), town.theme.primary.toLowerCase());
        const headerBackground = await page.locator(".site-header").evaluate((el) => getComputedStyle(el).backgroundColor);
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(town.theme.primary.slice(i, i + 2), 16));
        assert.equal(headerBackground, `rgb(${r}, ${g}, ${b})`);

        const logo = page.locator(".site-brand img");
        assert.equal(await logo.getAttribute("src"), "/logo");
        assert.ok(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), "the logo did not load");
        const ownLogo = fs.readFileSync(path.join("tenants", slug, town.theme.logo ?? "logo.svg"));
        // Fetched by the page itself: only Chromium resolves *.localhost, Node does not.
        const served = await page.evaluate(async () => {
          const response = await fetch("/logo");
          return { status: response.status, bytes: Array.from(new Uint8Array(await response.arrayBuffer())) };
        });
        assert.equal(served.status, 200);
        assert.ok(Buffer.from(served.bytes).equals(ownLogo), "the logo served is not this tenant's file");

        // The town's own administrative facts may name another tenant (Hellemmes-Lille is an
        // associated commune of Lille, itself a demo tenant): leave that sentence out.
        const facts = await page.locator(".commune-facts").innerText();
        const body = (await page.locator("body").innerText()).replace(facts, "");
        for (const other of others) assert.ok(!body.includes(other), `the portal of ${town.name} mentions ${other}`);
      });
    });
  }

  it("an unknown host gets the 404 page, which names no tenant", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, hostUrl("nowhere.localhost", "/"), { status: 404 });
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("fr", "error.unknown-host.title"));
      const body = await page.locator("body").innerText();
      for (const name of allTenantNames()) assert.ok(!body.includes(name), `the unknown-host page names ${name}`);
      assert.equal(await page.locator('img[src="/logo"]').count(), 0);
      assert.doesNotMatch(await page.title(), new RegExp(allTenantNames().join("|")));
    });
  });

  it("a module the town has not enabled answers 404 and leaves its navigation", async (t) => {
    const libercourt = tenant("libercourt");
    assert.equal(libercourt.modules.directory?.enabled, false, "libercourt is the demo town without the directory");
    await withPage(t.name, async (page) => {
      await visit(page, libercourt.url("/initiatives"), { status: 404 });
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("fr", "error.not-found.title"));
      await visit(page, libercourt.url("/"));
      const mainNav = page.getByRole("navigation", { name: text("fr", "shell.mainNav") });
      assert.equal(await mainNav.locator('a[href="/initiatives"]').count(), 0);
    });
  });

  it("a town with the directory lists its initiatives", async (t) => {
    const hellemmes = tenant("hellemmes");
    const demo = JSON.parse(fs.readFileSync(path.join("tenants", "hellemmes", "demo.json"), "utf8")) as {
      modules: { directory?: { initiatives?: Array<{ name: string }> } };
    };
    const expected = (demo.modules.directory?.initiatives ?? []).map((i) => i.name);
    assert.ok(expected.length > 0, "tenants/hellemmes/demo.json has demo initiatives");
    await withPage(t.name, async (page) => {
      await visit(page, hellemmes.url("/"));
      const mainNav = page.getByRole("navigation", { name: text("fr", "shell.mainNav") });
      assert.equal(await mainNav.locator('a[href="/initiatives"]').count(), 1);
      await visit(page, hellemmes.url("/initiatives"));
      assert.match((await page.getByRole("heading", { level: 1 }).textContent()) ?? "", /Hellemmes/);
      const listed = await page.locator("main").innerText();
      for (const name of expected) assert.ok(listed.includes(name), `"${name}" is not listed`);
    });
  });
});
