// The public open-data routes, called as Remix calls them: exports, API, documentation.
import { getIssues } from "@placemarkio/check-geojson";
import { parse } from "csv-parse/sync";
import { closeDatabase } from "~/core/db/db.server";
import { allResources } from "~/core/i18n/resources.server";
import { createTestTenant, type TestTenant } from "../../../../../db/test/helpers";
import { OPEN_DATA_FIELDS } from "../../opendata";
import { insertInitiative, json, respond, routeArgs } from "../../test/fixtures";
import { loader as apiLoader } from "./api";
import { loader as docLoader } from "./donnees-ouvertes";
import { loader as csvLoader } from "./export[.]csv";
import { loader as geojsonLoader } from "./export[.]geojson";

afterAll(async () => {
  await closeDatabase();
});

let town: TestTenant;
const ids: Record<string, string> = {};

beforeAll(async () => {
  town = await createTestTenant({ modules: { directory: { openDataLicence: "cc-by-4.0" } } });
  ids.amap = await insertInitiative(town.id, { name: "AMAP des Prés", kind: "amap", latitude: 50.5, longitude: 3.0, layers: ["se_nourrir"], contact_email: "amap@example.org", contact_public: true });
  ids.repair = await insertInitiative(town.id, { name: "Repair café", kind: "repair_cafe", latitude: 50.46, longitude: 3.02, layers: ["bidouiller"], contact_email: "cache@example.org", contact_public: false });
  ids.garden = await insertInitiative(town.id, { name: "Jardin partagé", kind: "shared_garden", latitude: 50.47, longitude: 3.04, layers: ["se_nourrir"] });
  ids.box = await insertInitiative(town.id, { name: "Boîte à dons", kind: "give_box" });
  ids.coop = await insertInitiative(town.id, { name: "Coopérative", kind: "cooperative_supermarket", stage: "gestation", latitude: 50.49, longitude: 3.01 });
  await insertInitiative(town.id, { name: "Proposition en attente", status: "pending", latitude: 50.48, longitude: 3.01 });
});

describe("/initiatives/export.csv", () => {
  it("downloads the published listings as UTF-8 CSV with BOM, licence link and open CORS", async () => {
    const res = await respond(() => csvLoader(routeArgs(town.host, "/initiatives/export.csv")));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="initiatives-${town.slug}.csv"`);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("link")).toBe('<https://creativecommons.org/licenses/by/4.0/legalcode.fr>; rel="license"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(Buffer.from(bytes), { bom: true, delimiter: ";", columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.nom)).toEqual(["AMAP des Prés", "Boîte à dons", "Coopérative", "Jardin partagé", "Repair café"]);
    expect(rows.find((r) => r.nom === "AMAP des Prés")!.contact_email).toBe("amap@example.org");
    expect(rows.find((r) => r.nom === "Repair café")!.contact_email).toBe("");
    expect(rows.find((r) => r.nom === "Coopérative")!.url).toBe(`http://${town.host}:3700/initiatives/${ids.coop}`);
    expect(Buffer.from(bytes).toString("utf8")).not.toContain("cache@example.org");
  });
});

describe("/initiatives/export.geojson", () => {
  it("is valid GeoJSON (checked by @placemarkio/check-geojson) carrying the town's licence", async () => {
    const res = await respond(() => geojsonLoader(routeArgs(town.host, "/initiatives/export.geojson")));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/geo+json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="initiatives-${town.slug}.geojson"`);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const text = await res.text();
    expect(getIssues(text)).toEqual([]);
    const body = JSON.parse(text);
    expect(body.licence).toMatchObject({ id: "cc-by-4.0", spdx: "CC-BY-4.0" });
    expect(body.features).toHaveLength(5);
    const amap = body.features.find((f: { id: string }) => f.id === ids.amap);
    expect(amap.geometry.coordinates).toEqual([3.0, 50.5]);
    expect(Object.keys(amap.properties).sort()).toEqual(OPEN_DATA_FIELDS.map((f) => f.name).sort());
    expect(text).not.toContain("cache@example.org");
    expect(text).not.toContain("Proposition en attente");
  });

  it("filters by bbox and answers 400 with a JSON message for a bad one", async () => {
    const ok = await json(await respond(() => geojsonLoader(routeArgs(town.host, "/initiatives/export.geojson?bbox=2.99,50.49,3.01,50.51"))));
    expect(ok.features.map((f: { id: string }) => f.id).sort()).toEqual([ids.amap, ids.coop].sort());
    const bad = await respond(() => geojsonLoader(routeArgs(town.host, "/initiatives/export.geojson?bbox=3,50")));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("access-control-allow-origin")).toBe("*");
    expect((await json(bad)).error.code).toBe("bboxFormat");
  });
});

describe("/initiatives/api", () => {
  const api = (query: string, headers: Record<string, string> = {}) => respond(() => apiLoader(routeArgs(town.host, `/initiatives/api${query}`, { headers })));

  it("pages in a stable order with total, next and prev links", async () => {
    const first = await api("?per_page=2");
    expect(first.status).toBe(200);
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    const p1 = await json(first);
    expect(p1.meta).toMatchObject({ total: 5, page: 1, per_page: 2, pages: 3, licence: { spdx: "CC-BY-4.0" } });
    expect(p1.links.prev).toBeNull();
    expect(p1.links.next).toBe(`http://${town.host}:3700/initiatives/api?per_page=2&page=2`);
    const p2 = await json(await api("?per_page=2&page=2"));
    const p3 = await json(await api("?per_page=2&page=3"));
    expect(p3.links.next).toBeNull();
    expect(p3.links.prev).toBe(`http://${town.host}:3700/initiatives/api?per_page=2&page=2`);
    const all = [...p1.data, ...p2.data, ...p3.data].map((r: { id: string }) => r.id);
    expect(all).toEqual(Object.values(ids).sort());
    const beyond = await json(await api("?per_page=2&page=9"));
    expect(beyond.data).toEqual([]);
    expect(beyond.links.prev).toBe(`http://${town.host}:3700/initiatives/api?per_page=2&page=3`);
  });

  it("filters by bbox, kind, layer and stage", async () => {
    const names = async (q: string) => (await json(await api(q))).data.map((r: { nom: string }) => r.nom).sort();
    expect(await names("?bbox=2.99,50.49,3.01,50.51")).toEqual(["AMAP des Prés", "Coopérative"]);
    expect(await names("?kind=amap,repair_cafe")).toEqual(["AMAP des Prés", "Repair café"]);
    expect(await names("?kind=amap&kind=give_box")).toEqual(["AMAP des Prés", "Boîte à dons"]);
    expect(await names("?layer=se_nourrir")).toEqual(["AMAP des Prés", "Jardin partagé"]);
    expect(await names("?stage=gestation")).toEqual(["Coopérative"]);
    const hidden = (await json(await api("?kind=repair_cafe"))).data[0];
    expect(hidden.contact_email).toBeNull();
  });

  it("answers bad parameters with 400 and a message in the Accept-Language", async () => {
    const cases: [string, string][] = [
      ["?bbox=a,b,c,d", "bboxFormat"],
      ["?bbox=3.1,50,3.0,51", "bboxOrder"],
      ["?bbox=-200,50,3,51", "bboxRange"],
      ["?page=0", "page"],
      ["?per_page=101", "perPage"],
      ["?per_page=abc", "perPage"],
      ["?kind=castle", "unknownValue"],
      ["?layer=voler", "unknownValue"],
      ["?bboxx=1,2,3,4", "unknownParameter"],
    ];
    for (const [query, code] of cases) {
      const res = await api(query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect((await json(res)).error.code, query).toBe(code);
    }
    const fr = await json(await api("?per_page=500", { "accept-language": "fr-FR,fr;q=0.9" }));
    expect(fr.error).toEqual({ code: "perPage", parameter: "per_page", message: "Le paramètre per_page doit être un nombre entier de 1 à 100." });
    const en = await api("?per_page=500", { "accept-language": "en-GB,en;q=0.8,fr;q=0.5" });
    expect(en.headers.get("content-language")).toBe("en");
    expect((await json(en)).error.message).toBe("The per_page parameter must be a whole number from 1 to 100.");
    const unknown = await json(await api("?kind=castle", { "accept-language": "en" }));
    expect(unknown.error.message).toContain('Unknown value "castle" for the kind parameter. Accepted values: buying_group,');
  });

  it("is behind the module gate: 404 where the directory is not enabled", async () => {
    const other = await createTestTenant();
    const res = await respond(() => apiLoader(routeArgs(other.host, "/initiatives/api")));
    expect(res.status).toBe(404);
  });
});

describe("/initiatives/donnees-ouvertes", () => {
  it("gives the licence with its official link, the count and the town's example area", async () => {
    const data = await json(await respond(() => docLoader(routeArgs(town.host, "/initiatives/donnees-ouvertes"))));
    expect(data.licence).toMatchObject({ url: "https://creativecommons.org/licenses/by/4.0/legalcode.fr", spdx: "CC-BY-4.0" });
    expect(data.count).toBe(5);
    expect(data.exampleBbox).toBe("2.98,50.45,3.05,50.51");
    expect(data.territoryUrl).toBeNull();
  });

  it("documents every field and type in French and English", () => {
    for (const locale of ["fr", "en"] as const) {
      const od = (allResources[locale].directory as { opendata: { fields: Record<string, string>; types: Record<string, string> } }).opendata;
      for (const field of OPEN_DATA_FIELDS) {
        expect(od.fields[field.name], `${locale} ${field.name}`).toEqual(expect.any(String));
        expect(od.types[field.type], `${locale} ${field.type}`).toEqual(expect.any(String));
      }
    }
  });
});
