// A grouping (intercommunality) over its member towns: their published listings only,
// each linking to the town's own portal; 404 for a town that groups no one.
import { getIssues } from "@placemarkio/check-geojson";
import { closeDatabase } from "~/core/db/db.server";
import { createTestTenant, type TestTenant } from "../../../../../db/test/helpers";
import { countMemberListings, memberListingsPage, resolveMemberTowns } from "../../data/aggregate.server";
import { insertInitiative, json, respond, routeArgs } from "../../test/fixtures";
import { loader as geojsonLoader } from "./territoire_.donnees[.]geojson";
import { loader } from "./territoire";

afterAll(async () => {
  await closeDatabase();
});

let a: TestTenant;
let b: TestTenant;
let outsider: TestTenant;
let noDirectory: TestTenant;
let grouping: TestTenant;
const ids: Record<string, string> = {};

beforeAll(async () => {
  a = await createTestTenant({ modules: { directory: { openDataLicence: "odbl-1.0" } } });
  b = await createTestTenant({ modules: { directory: {} } });
  outsider = await createTestTenant({ modules: { directory: {} } });
  noDirectory = await createTestTenant({ disabledModules: ["directory"] });
  grouping = await createTestTenant({
    modules: { directory: { memberTenants: [a.slug, b.slug, noDirectory.slug, "commune-inexistante"] } },
  });
  ids.a1 = await insertInitiative(a.id, { name: "AMAP de A", kind: "amap", latitude: 50.48, longitude: 3.01 });
  ids.a2 = await insertInitiative(a.id, { name: "Boîte de A", kind: "give_box" });
  await insertInitiative(a.id, { name: "Proposition de A en attente", status: "pending", latitude: 50.48, longitude: 3.01 });
  await insertInitiative(a.id, { name: "Fiche de A masquée", freshness: "hidden", latitude: 50.48, longitude: 3.01 });
  ids.b1 = await insertInitiative(b.id, { name: "Repair café de B", kind: "repair_cafe", latitude: 50.47, longitude: 3.02 });
  await insertInitiative(outsider.id, { name: "Initiative hors territoire", latitude: 50.47, longitude: 3.02 });
  await insertInitiative(noDirectory.id, { name: "Initiative d'une commune sans annuaire", latitude: 50.47, longitude: 3.02 });
  await insertInitiative(grouping.id, { name: "Initiative propre au groupement", latitude: 50.47, longitude: 3.02 });
});

describe("/initiatives/territoire", () => {
  it("lists the members' published listings, each linking to the town's own host", async () => {
    const data = await json(await respond(() => loader(routeArgs(grouping.host, "/initiatives/territoire"))));
    const byName = (x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name, "fr");
    expect(data.towns.map((t: { slug: string }) => t.slug).sort()).toEqual([a.slug, b.slug].sort());
    expect(data.total).toBe(3);
    expect(data.items.map((i: { name: string; town: string; url: string }) => [i.name, i.town, i.url]).sort()).toEqual(
      [
        ["AMAP de A", `Ville ${a.slug}`, `http://${a.host}:3700/initiatives/${ids.a1}`],
        ["Boîte de A", `Ville ${a.slug}`, `http://${a.host}:3700/initiatives/${ids.a2}`],
        ["Repair café de B", `Ville ${b.slug}`, `http://${b.host}:3700/initiatives/${ids.b1}`],
      ].sort(),
    );
    expect(data.towns.find((t: { slug: string }) => t.slug === a.slug)).toMatchObject({ count: 2, url: `http://${a.host}:3700/initiatives` });
    expect([...data.items].sort(byName)[0].kindLabel).toBe("AMAP");
    const text = JSON.stringify(data);
    for (const absent of ["en attente", "masquée", "hors territoire", "sans annuaire", "propre au groupement"]) expect(text).not.toContain(absent);
  });

  it("answers 404 on a town that groups no one", async () => {
    expect((await respond(() => loader(routeArgs(a.host, "/initiatives/territoire")))).status).toBe(404);
    expect((await respond(() => geojsonLoader(routeArgs(a.host, "/initiatives/territoire/donnees.geojson")))).status).toBe(404);
  });
});

describe("/initiatives/territoire/donnees.geojson", () => {
  it("is valid GeoJSON of the members' positioned listings, with town and licence of each", async () => {
    const res = await respond(() => geojsonLoader(routeArgs(grouping.host, "/initiatives/territoire/donnees.geojson")));
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const text = await res.text();
    expect(getIssues(text)).toEqual([]);
    const body = JSON.parse(text);
    expect(body.features.map((f: { properties: { nom: string; commune_slug: string; licence: string; url: string } }) => [f.properties.nom, f.properties.commune_slug, f.properties.licence, f.properties.url]).sort()).toEqual(
      [
        ["AMAP de A", a.slug, "ODbL-1.0", `http://${a.host}:3700/initiatives/${ids.a1}`],
        ["Repair café de B", b.slug, "etalab-2.0", `http://${b.host}:3700/initiatives/${ids.b1}`],
      ].sort(),
    );
    expect(body.sources.map((s: { commune_slug: string }) => s.commune_slug).sort()).toEqual([a.slug, b.slug].sort());
    expect(res.headers.get("link")).toContain("opendatacommons.org");
  });

  it("filters by bbox and refuses a bad one", async () => {
    const inside = await json(await respond(() => geojsonLoader(routeArgs(grouping.host, "/initiatives/territoire/donnees.geojson?bbox=3.015,50.46,3.03,50.475"))));
    expect(inside.features.map((f: { properties: { nom: string } }) => f.properties.nom)).toEqual(["Repair café de B"]);
    const bad = await respond(() => geojsonLoader(routeArgs(grouping.host, "/initiatives/territoire/donnees.geojson?bbox=1,2,3")));
    expect(bad.status).toBe(400);
  });
});

describe("paging across member towns", () => {
  it("reads only the slice of each town that falls in the page, towns in name order", async () => {
    const members = await resolveMemberTowns([a.slug, b.slug], grouping.id);
    const counts = await countMemberListings(members);
    const context = { requestUrl: `http://${grouping.host}:3700/initiatives/territoire`, locale: "fr" as const };
    const pages = [
      await memberListingsPage(members, counts, { offset: 0, limit: 2 }, context),
      await memberListingsPage(members, counts, { offset: 2, limit: 2 }, context),
    ];
    const expected = members.flatMap((m) => (m.slug === a.slug ? ["AMAP de A", "Boîte de A"] : ["Repair café de B"]));
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(pages.flat().map((i) => i.name)).toEqual(expected);
  });

  it("never lists the grouping itself, even if named among its members", async () => {
    const members = await resolveMemberTowns([grouping.slug, a.slug], grouping.id);
    expect(members.map((m) => m.slug)).toEqual([a.slug]);
  });
});
