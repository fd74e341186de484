import { getIssues } from "@placemarkio/check-geojson";
import { parse } from "csv-parse/sync";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { createTestTenant } from "../../../../db/test/helpers";
import { OPEN_DATA_FIELDS } from "../opendata";
import { insertInitiative } from "../test/fixtures";
import {
  countOpenData,
  listOpenDataByName,
  listOpenDataPage,
  openDataSummary,
  toCsv,
  toFeatureCollection,
  toOpenDataRecord,
  type OpenDataRecord,
} from "./opendata.server";
import { getVocabularies } from "./vocabulary.server";

afterAll(async () => {
  await closeDatabase();
});

const ORIGIN = "http://ville.localhost:3700";

async function records(tenantId: string): Promise<OpenDataRecord[]> {
  return withTenant(tenantId, async (tx) => {
    const vocabularies = await getVocabularies(tx);
    const rows = await listOpenDataByName(tx);
    return rows.map((r) => toOpenDataRecord(r, { vocabularies, origin: ORIGIN, timeZone: "Europe/Paris" }));
  });
}

describe("what the open data contains", () => {
  it("holds published, non-hidden listings only, and the contact only when it is public", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    await insertInitiative(t.id, {
      name: "Épicerie du Marais",
      contact_name: "Alix Public",
      contact_email: "public@example.org",
      contact_phone: "03 20 00 00 00",
      contact_public: true,
      latitude: 50.48,
      longitude: 3.01,
    });
    await insertInitiative(t.id, {
      name: "Groupement discret",
      contact_name: "Camille Secret",
      contact_email: "secret@example.org",
      contact_phone: "06 00 00 00 00",
      contact_public: false,
      submitter_name: "Dominique Soumet",
      submitter_email: "soumet@example.org",
      moderation_note: "note interne de modération",
    });
    await insertInitiative(t.id, { name: "En attente", status: "pending" });
    await insertInitiative(t.id, { name: "Refusée", status: "refused" });
    await insertInitiative(t.id, { name: "Masquée", freshness: "hidden" });
    await insertInitiative(t.id, { name: "À vérifier", freshness: "to_check" });

    const out = await records(t.id);
    expect(out.map((r) => r.nom)).toEqual(["À vérifier", "Épicerie du Marais", "Groupement discret"]);
    const open = out.find((r) => r.nom === "Épicerie du Marais")!;
    expect([open.contact_nom, open.contact_email, open.contact_telephone]).toEqual(["Alix Public", "public@example.org", "03 20 00 00 00"]);
    const hidden = out.find((r) => r.nom === "Groupement discret")!;
    expect([hidden.contact_nom, hidden.contact_email, hidden.contact_telephone]).toEqual([null, null, null]);
    expect(out.find((r) => r.nom === "À vérifier")!.fraicheur).toBe("to_check");

    const everything = JSON.stringify(out) + toCsv(out);
    for (const secret of ["Camille Secret", "secret@example.org", "06 00 00 00 00", "Soumet", "soumet@example.org", "note interne", "En attente", "Refusée", "Masquée"]) {
      expect(everything).not.toContain(secret);
    }
    expect(Object.keys(open).sort()).toEqual(OPEN_DATA_FIELDS.map((f) => f.name).sort());
    expect(open.url).toBe(`${ORIGIN}/initiatives/${open.id}`);
    expect(open.type_libelle).toBe("Groupement d'achat");
  });

  it("never reads another town's listings", async () => {
    const a = await createTestTenant({ modules: { directory: {} } });
    const b = await createTestTenant({ modules: { directory: {} } });
    await insertInitiative(b.id, { name: "Initiative de B" });
    expect(await records(a.id)).toEqual([]);
    expect(await withTenant(a.id, (tx) => countOpenData(tx))).toBe(0);
  });
});

describe("filters and paging", () => {
  it("filters by bounding box, kind, layer and stage, and pages in a stable order", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    await insertInitiative(t.id, { name: "Nord", latitude: 50.5, longitude: 3.0, kind: "amap", layers: ["se_nourrir"] });
    await insertInitiative(t.id, { name: "Sud", latitude: 50.46, longitude: 3.0, kind: "repair_cafe", layers: ["bidouiller"], stage: null });
    await insertInitiative(t.id, { name: "Projet", latitude: 50.47, longitude: 3.04, kind: "cooperative_supermarket", stage: "test_grocery", layers: ["se_nourrir", "travailler"] });
    await insertInitiative(t.id, { name: "Sans position" });

    await withTenant(t.id, async (tx) => {
      const names = async (filter: Parameters<typeof listOpenDataByName>[1]) => (await listOpenDataByName(tx, filter)).map((r) => r.name);
      expect(await names({ bbox: [2.99, 50.49, 3.01, 50.51] })).toEqual(["Nord"]);
      expect(await names({ bbox: [2.9, 50.4, 3.1, 50.6] })).toEqual(["Nord", "Projet", "Sud"]);
      expect(await names({ kinds: ["amap", "repair_cafe"] })).toEqual(["Nord", "Sud"]);
      expect(await names({ layers: ["se_nourrir"] })).toEqual(["Nord", "Projet"]);
      expect(await names({ layers: ["travailler", "bidouiller"] })).toEqual(["Projet", "Sud"]);
      expect(await names({ stages: ["test_grocery"] })).toEqual(["Projet"]);
      expect(await countOpenData(tx, { layers: ["se_nourrir"] })).toBe(2);

      const pages = [
        await listOpenDataPage(tx, {}, { limit: 3, offset: 0 }),
        await listOpenDataPage(tx, {}, { limit: 3, offset: 3 }),
      ];
      const ids = pages.flat().map((r) => r.id);
      expect(pages.map((p) => p.length)).toEqual([3, 1]);
      expect(new Set(ids).size).toBe(4);
      expect(ids).toEqual([...ids].sort());
      const again = await listOpenDataPage(tx, {}, { limit: 3, offset: 0 });
      expect(again.map((r) => r.id)).toEqual(pages[0].map((r) => r.id));

      const summary = await openDataSummary(tx);
      expect(summary.count).toBe(4);
      expect(summary.lastUpdated).toBeInstanceOf(Date);
    });
  });
});

describe("formats", () => {
  it("writes GeoJSON that a validator accepts, longitude first, with the licence", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    await insertInitiative(t.id, { name: "Point", latitude: 50.48, longitude: 3.01, layers: ["echanger"], links: ["https://example.org/a"] });
    await insertInitiative(t.id, { name: "Sans position" });
    const collection = toFeatureCollection(await records(t.id), {
      publisher: "Ville test",
      licence: "odbl-1.0",
      generatedAt: new Date("2026-01-02T03:04:05Z"),
      documentation: `${ORIGIN}/initiatives/donnees-ouvertes`,
    });
    const text = JSON.stringify(collection);
    expect(getIssues(text)).toEqual([]);
    const point = collection.features.find((f) => f.properties?.nom === "Point")!;
    expect(point.geometry).toEqual({ type: "Point", coordinates: [3.01, 50.48] });
    expect(collection.features.find((f) => f.properties?.nom === "Sans position")!.geometry).toBeNull();
    expect(collection.licence).toMatchObject({ spdx: "ODbL-1.0", url: "https://opendatacommons.org/licenses/odbl/1-0/" });
  });

  it("the validator used here does reject broken GeoJSON", () => {
    const broken = { type: "FeatureCollection", features: [{ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: ["3.01"] } }] };
    expect(getIssues(JSON.stringify(broken)).length).toBeGreaterThan(0);
  });

  it("writes a CSV with BOM and `;` that a CSV parser reads back field for field, formulas guarded", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    await insertInitiative(t.id, {
      name: "=HYPERLINK(\"http://evil\")",
      description: "Ligne 1\nLigne 2 ; avec \"guillemets\"",
      latitude: 50.48,
      longitude: -1.5,
      layers: ["se_nourrir", "echanger"],
      languages: ["fr", "ar"],
      opening_hours: JSON.stringify([{ day: 1, opens: "09:00", closes: "12:00" }, { day: 3, opens: "14:00", closes: "18:00" }]),
    });
    const csv = toCsv(await records(t.id));
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain("\r\n");
    const [header, row] = parse(csv, { bom: true, delimiter: ";" }) as string[][];
    expect(header).toEqual(OPEN_DATA_FIELDS.map((f) => f.name));
    const get = (name: string) => row[header.indexOf(name)];
    expect(get("nom")).toBe("'=HYPERLINK(\"http://evil\")");
    expect(get("description")).toBe("Ligne 1\nLigne 2 ; avec \"guillemets\"");
    expect(get("longitude")).toBe("-1.5");
    expect(get("thematiques")).toBe("se_nourrir|echanger");
    expect(get("langues")).toBe("fr|ar");
    expect(get("heures_ouverture")).toBe("1 09:00-12:00|3 14:00-18:00");
    expect(get("contact_email")).toBe("");
    expect(get("demonstration")).toBe("false");
    expect(get("confirme_le")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
