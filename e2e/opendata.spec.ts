// The directory's open data seen from a browser: the documentation page, the exports, and a
// staff member importing a CSV file (broken first, then correct) without any script needed.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { getIssues } from "@placemarkio/check-geojson";
import http from "node:http";
import { environment, follow, tenant, visit, withPage } from "./support/index.ts";

const town = tenant("hellemmes");
const demo = JSON.parse(fs.readFileSync(path.join("tenants", "hellemmes", "demo.json"), "utf8")) as { password: string };
const opendata = JSON.parse(fs.readFileSync(path.join("app", "modules", "directory", "locales", "fr", "opendata.json"), "utf8")).opendata;
const center = (JSON.parse(fs.readFileSync(path.join("tenants", "hellemmes", "tenant.json"), "utf8")) as { map: { center: [number, number] } }).map.center;

/** A GET on the town's host from Node, which cannot resolve *.localhost: loopback with the Host header. */
function download(pathname: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port: environment().server.port, path: pathname, headers: { host: town.host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, type: String(response.headers["content-type"]), body: Buffer.concat(chunks) }));
    });
    request.on("error", reject);
  });
}

describe("open data of the directory", () => {
  // Without JavaScript: the pages and the whole import must work as plain HTML forms.
  const noScript = { javaScriptEnabled: false };

  it("documents the data and serves valid GeoJSON and CSV exports", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, town.url("/initiatives/donnees-ouvertes"));
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), opendata.doc.title);
      assert.equal(await page.locator('a[rel="license"]').getAttribute("href"), "https://www.etalab.gouv.fr/licence-ouverte-open-licence/");
      const geojson = await download("/initiatives/export.geojson");
      assert.equal(geojson.status, 200);
      assert.deepEqual(getIssues(geojson.body.toString("utf8")), []);
      assert.ok((JSON.parse(geojson.body.toString("utf8")) as { features: unknown[] }).features.length > 0, "the demo listings are missing");
      const csv = await download("/initiatives/export.csv");
      assert.equal(csv.type, "text/csv; charset=utf-8; header=present");
      assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    }, noScript);
  });

  it("a staff member imports a CSV: problems listed first, then a preview, then all rows published", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, town.url("/connexion?retour=/initiatives/gestion/import"));
      await page.locator("#field-email").fill(`mairie@${town.host.replace(/\.localhost$/, "")}.example.org`);
      await page.locator("#field-password").fill(demo.password);
      await follow(page, page.locator("form.form button[type=submit]"));
      assert.equal(new URL(page.url()).pathname, "/initiatives/gestion/import");
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), opendata.import.title);

      const dir = fs.mkdtempSync(path.join(path.resolve("e2e", "artifacts"), "import-"));
      try {
        const broken = path.join(dir, "casse.csv");
        fs.writeFileSync(broken, "nom;type\n;amap\nRepair café e2e;chateau\n");
        await page.locator("#field-file").setInputFiles(broken);
        await follow(page, page.getByRole("button", { name: opendata.import.check }), { status: 400 });
        assert.equal(await page.locator("#import-problems-caption + thead + tbody tr").count(), 2);

        const good = path.join(dir, "bon.csv");
        fs.writeFileSync(good, `\uFEFFnom;type;latitude;longitude\r\nAMAP importée e2e;amap;${center[1]};${center[0]}\r\nBoîte importée e2e;give_box;;\r\n`);
        await page.locator("#field-file").setInputFiles(good);
        await follow(page, page.getByRole("button", { name: opendata.import.check }));
        assert.equal(await page.locator("#import-preview-caption + thead + tbody tr").count(), 2);

        await follow(page, page.getByRole("button", { name: opendata.import.confirm_other.replace("{{count}}", "2") }));
        assert.equal(new URL(page.url()).search, "?importe=2");
        assert.equal((await page.locator(".notice-success").textContent())?.trim(), opendata.import.done_other.replace("{{count}}", "2"));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const csv = (await download("/initiatives/export.csv")).body.toString("utf8");
      assert.match(csv, /AMAP importée e2e/);
      assert.match(csv, /Boîte importée e2e/);
    }, noScript);
  });
});
