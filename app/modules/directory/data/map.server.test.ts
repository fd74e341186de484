// The map's data: clusters when zoomed out, single listings when zoomed in, only what lies
// in the requested area, and an index that follows every change of the listings.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { abilityFor } from "~/core/permissions/ability.server";
import { createTestTenant, type TestTenant } from "../../../../db/test/helpers";
import { testContext } from "../../../../db/test/routes";
import { emptyFilters, type DirectoryFilters } from "../filters";
import { loader as dataLoader } from "../routes/initiatives+/carte_.donnees";
import { addListing } from "../test-fixtures";
import { CLUSTER_MAX_ZOOM, mapData, parseBbox, type Bbox } from "./map.server";

afterAll(async () => {
  await closeDatabase();
});

const TERRITORY: Bbox = [2.98, 50.45, 3.05, 50.51];
const NOW = new Date("2026-06-10T10:00:00Z");

async function view(tenant: TestTenant, bbox: Bbox, zoom: number, filters: Partial<DirectoryFilters> = {}) {
  return withTenant(tenant.id, async (tx) => mapData(tx, { ...emptyFilters(), ...filters }, { bbox, zoom, now: NOW, timeZone: "Europe/Paris", ability: await abilityFor(tx, null) }));
}

/** A 10 × 10 grid of listings in the west half of the territory, kinds alternating. */
async function seedGrid(tenant: TestTenant) {
  const rows: { tenant_id: string; name: string; kind: string; stage: string; status: "published"; longitude: number; latitude: number }[] = [];
  for (let i = 0; i < 10; i++) {
    for (let j = 0; j < 10; j++) {
      rows.push({
        tenant_id: tenant.id,
        name: `Point ${i}-${j}`,
        kind: (i + j) % 2 === 0 ? "amap" : "give_box",
        stage: "gestation",
        status: "published",
        longitude: 2.99 + i * 0.002,
        latitude: 50.46 + j * 0.002,
      });
    }
  }
  await withTenant(tenant.id, (tx) => tx.insertInto("directory_initiatives").values(rows).execute());
}

describe("mapData", () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await createTestTenant({ modules: { directory: {} } });
    await seedGrid(tenant);
    await addListing(tenant, { name: "Isolée à l'est", kind: "repair_cafe", stage: "cooperative_shop", longitude: 3.045, latitude: 50.505 });
  });

  it("groups the listings into a few clusters at a low zoom, counting all of them", async () => {
    const data = await view(tenant, TERRITORY, 10);
    expect(data.type).toBe("FeatureCollection");
    expect(data.summary.listings).toBe(101);
    expect(data.summary.clusters).toBeGreaterThan(0);
    expect(data.features.length).toBeLessThan(5);
    const clustered = data.features.filter((f) => f.properties.cluster);
    const counted = clustered.reduce((n, f) => n + (f.properties.cluster ? f.properties.count : 0), 0);
    expect(counted + data.summary.points).toBe(101);
  });

  it("shows every listing on its own past the last clustering zoom, with what a marker needs", async () => {
    const data = await view(tenant, TERRITORY, CLUSTER_MAX_ZOOM + 1);
    expect(data.summary.clusters).toBe(0);
    expect(data.features).toHaveLength(101);
    const east = data.features.find((f) => !f.properties.cluster && f.properties.name === "Isolée à l'est");
    expect(east?.geometry.coordinates).toEqual([3.045, 50.505]);
    expect(east?.properties).toMatchObject({ cluster: false, kind: "repair_cafe", stage: "cooperative_shop" });
  });

  it("returns only what lies in the requested area", async () => {
    const eastOnly: Bbox = [3.03, 50.49, 3.05, 50.51];
    const data = await view(tenant, eastOnly, 16);
    expect(data.features.map((f) => (f.properties.cluster ? "cluster" : f.properties.name))).toEqual(["Isolée à l'est"]);
    const corner: Bbox = [2.989, 50.459, 2.9925, 50.4625];
    const cornerData = await view(tenant, corner, CLUSTER_MAX_ZOOM + 1);
    // Columns 0-1 and rows 0-1 of the grid: four listings.
    expect(cornerData.features).toHaveLength(4);
  });

  it("applies the list's filters", async () => {
    const data = await view(tenant, TERRITORY, CLUSTER_MAX_ZOOM + 1, { kind: "amap" });
    expect(data.features).toHaveLength(50);
    expect(data.features.every((f) => !f.properties.cluster && f.properties.kind === "amap")).toBe(true);
    const searched = await view(tenant, TERRITORY, 10, { q: "isolee" });
    expect(searched.summary.listings).toBe(1);
  });

  it("rebuilds its index when a listing is added, moved or unpublished", async () => {
    const own = await createTestTenant({ modules: { directory: {} } });
    const id = await addListing(own, { name: "Seule", longitude: 3.0, latitude: 50.46 });
    const west: Bbox = [2.98, 50.45, 3.01, 50.47];
    expect((await view(own, west, 18)).features).toHaveLength(1);
    await addListing(own, { name: "Nouvelle", longitude: 3.005, latitude: 50.465 });
    expect((await view(own, west, 18)).features).toHaveLength(2);
    await withTenant(own.id, (tx) => tx.updateTable("directory_initiatives").set({ longitude: 3.04, latitude: 50.5 }).where("id", "=", id).execute());
    expect((await view(own, west, 18)).features.map((f) => !f.properties.cluster && f.properties.name)).toEqual(["Nouvelle"]);
    await withTenant(own.id, (tx) => tx.updateTable("directory_initiatives").set({ status: "refused" }).execute());
    expect((await view(own, TERRITORY, 18)).features).toHaveLength(0);
  });

  it("leaves out listings without a position", async () => {
    const own = await createTestTenant({ modules: { directory: {} } });
    await addListing(own, { name: "Sans adresse", longitude: null, latitude: null });
    expect((await view(own, [-180, -90, 180, 90], 3)).summary.listings).toBe(0);
  });
});

describe("parseBbox", () => {
  it("accepts west,south,east,north and refuses anything else", () => {
    expect(parseBbox("2.98,50.45,3.05,50.51")).toEqual([2.98, 50.45, 3.05, 50.51]);
    for (const bad of [null, "", "1,2,3", "a,b,c,d", "3,50,2,51", "2,51,3,50", "-181,0,0,1", "0,0,1,91", "1,,2,3"]) {
      expect(parseBbox(bad)).toBeNull();
    }
  });
});

describe("the data endpoint", () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await createTestTenant({ modules: { directory: {} } });
    await seedGrid(tenant);
  });
  const get = (search: string) =>
    dataLoader({ request: new Request(`http://${tenant.host}/initiatives/carte/donnees?${search}`), params: {}, context: testContext() }) as Promise<Response>;

  it("answers GeoJSON for a viewport", async () => {
    const response = await get("bbox=2.98,50.45,3.05,50.51&zoom=18");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/geo\+json/);
    const body = await response.json();
    expect(body.type).toBe("FeatureCollection");
    expect(body.features).toHaveLength(100);
  });

  it("refuses a malformed request with a translated message, not a 500", async () => {
    for (const search of ["zoom=12", "bbox=3,50,2,51&zoom=12", "bbox=2.98,50.45,3.05,50.51", "bbox=2.98,50.45,3.05,50.51&zoom=deux", "bbox=2.98,50.45,3.05,50.51&zoom=12&type=inconnu"]) {
      const response = await get(search);
      expect(response.status, search).toBe(400);
      const body = await response.json();
      expect(body.error).toBe("La demande de données de la carte n'est pas valable.");
    }
    const body = await (await get("bbox=oops&zoom=12")).json();
    expect(body.fields.bbox).toMatch(/ouest,sud,est,nord/);
  });

  it("is not there for a tenant without the directory", async () => {
    const other = await createTestTenant();
    await expect(
      dataLoader({ request: new Request(`http://${other.host}/initiatives/carte/donnees?bbox=0,0,1,1&zoom=3`), params: {}, context: testContext() }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
