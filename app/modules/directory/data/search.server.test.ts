// The search behind the list and the map: what a visitor types finds what it should, and
// nothing that is not public, nor another town's.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { abilityFor } from "~/core/permissions/ability.server";
import { createTestTenant, type TestTenant } from "../../../../db/test/helpers";
import { emptyFilters, type DirectoryFilters } from "../filters";
import { addListing } from "../test-fixtures";
import { publishedSnapshot, searchInitiatives } from "./search.server";

afterAll(async () => {
  await closeDatabase();
});

const NOW = new Date("2026-03-11T10:00:00Z"); // a Wednesday, 11:00 in Paris

async function search(tenant: TestTenant, filters: Partial<DirectoryFilters> = {}, page = 1, pageSize?: number) {
  return withTenant(tenant.id, async (tx) =>
    searchInitiatives(tx, { ...emptyFilters(), ...filters }, { page, now: NOW, timeZone: "Europe/Paris", pageSize, ability: await abilityFor(tx, null) }),
  );
}
const names = (r: { items: { name: string }[] }) => r.items.map((i) => i.name);

describe("text search", () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await createTestTenant({ modules: { directory: {} } });
    await addListing(tenant, { name: "Épicerie du Faubourg", description: "Produits en vrac" });
    await addListing(tenant, { name: "Jardin partagé", description: "Légumes et ŒUFS frais", address: "Rue de l'Église" });
    await addListing(tenant, { name: "Réduction 100% locale", description: "Prix libres" });
    await addListing(tenant, { name: "Repair_café", description: "Réparer ensemble" });
    await addListing(tenant, { name: "Repaircafé bis", description: "Autre atelier" });
  });

  it("ignores accents and case on both sides", async () => {
    expect(names(await search(tenant, { q: "epicerie" }))).toEqual(["Épicerie du Faubourg"]);
    expect(names(await search(tenant, { q: "ÉPICERIE" }))).toEqual(["Épicerie du Faubourg"]);
    expect(names(await search(tenant, { q: "eglise" }))).toEqual(["Jardin partagé"]);
    // unaccent's own rules (œ → oe) apply, because the query goes through directory_normalise.
    expect(names(await search(tenant, { q: "oeufs" }))).toEqual(["Jardin partagé"]);
  });

  it("matches inside words, in the description and the address too, every word being required", async () => {
    expect(names(await search(tenant, { q: "bourg" }))).toEqual(["Épicerie du Faubourg"]);
    expect(names(await search(tenant, { q: "vrac" }))).toEqual(["Épicerie du Faubourg"]);
    expect(names(await search(tenant, { q: "jardin oeufs" }))).toEqual(["Jardin partagé"]);
    expect(names(await search(tenant, { q: "jardin vrac" }))).toEqual([]);
  });

  it("takes % and _ literally, not as LIKE wildcards", async () => {
    expect(names(await search(tenant, { q: "%" }))).toEqual(["Réduction 100% locale"]);
    expect(names(await search(tenant, { q: "100%" }))).toEqual(["Réduction 100% locale"]);
    expect(names(await search(tenant, { q: "repair_" }))).toEqual(["Repair_café"]);
    expect(names(await search(tenant, { q: "_" }))).toEqual(["Repair_café"]);
    expect(names(await search(tenant, { q: "\\" }))).toEqual([]);
  });

  it("never matches a word across two listings, and takes control characters as spaces", async () => {
    const own = await createTestTenant({ modules: { directory: {} } });
    await addListing(own, { name: "Alpha", neighbourhood: "Centre" });
    await addListing(own, { name: "Beta" });
    expect(names(await search(own, { q: "centre" }))).toEqual(["Alpha"]);
    expect(names(await search(own, { q: "centrebeta" }))).toEqual([]);
    expect(names(await search(own, { q: "alp\u0000centre" }))).toEqual(["Alpha"]);
  });

  it("lists in alphabetical order whatever the accents", async () => {
    expect(names(await search(tenant))).toEqual(["Épicerie du Faubourg", "Jardin partagé", "Réduction 100% locale", "Repair_café", "Repaircafé bis"]);
  });
});

describe("filters", () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await createTestTenant({ modules: { directory: {} } });
    await addListing(tenant, { name: "AMAP du mardi", kind: "amap", layers: ["se_nourrir"], languages: ["fr", "ar"], opening_hours: JSON.stringify([{ day: 3, opens: "09:00", closes: "12:00" }]) });
    await addListing(tenant, { name: "Atelier vélo", kind: "repair_cafe", layers: ["bidouiller", "se_deplacer"], stage: null, opening_hours: JSON.stringify([{ day: 3, opens: "14:00", closes: "18:00" }]) });
    await addListing(tenant, { name: "Épicerie test", kind: "cooperative_supermarket", stage: "test_grocery", layers: ["se_nourrir"], languages: ["fr", "en"] });
  });

  it("filters by kind, stage, layers (any of them) and language", async () => {
    expect(names(await search(tenant, { kind: "amap" }))).toEqual(["AMAP du mardi"]);
    expect(names(await search(tenant, { stage: "test_grocery" }))).toEqual(["Épicerie test"]);
    expect(names(await search(tenant, { layers: ["se_nourrir"] }))).toEqual(["AMAP du mardi", "Épicerie test"]);
    expect(names(await search(tenant, { layers: ["se_deplacer", "se_nourrir"] }))).toEqual(["AMAP du mardi", "Atelier vélo", "Épicerie test"]);
    expect(names(await search(tenant, { language: "ar" }))).toEqual(["AMAP du mardi"]);
    expect(names(await search(tenant, { kind: "amap", language: "en" }))).toEqual([]);
  });

  it("keeps only what is open at the tenant's local time", async () => {
    // 10:00 UTC on a Wednesday in March is 11:00 in Paris: the morning AMAP is open.
    const open = await search(tenant, { openNow: true });
    expect(names(open)).toEqual(["AMAP du mardi"]);
    expect(open.items[0].openNow).toBe(true);
  });

  it("offers the languages spoken in the listings", async () => {
    const result = await search(tenant);
    expect(result.languages).toEqual(["ar", "en", "fr"]);
  });
});

describe("paging", () => {
  it("cuts the results into pages and counts them all", async () => {
    const tenant = await createTestTenant({ modules: { directory: {} } });
    for (let i = 1; i <= 7; i++) await addListing(tenant, { name: `Groupe ${String(i).padStart(2, "0")}` });
    const first = await search(tenant, {}, 1, 3);
    expect(first.total).toBe(7);
    expect(first.pageCount).toBe(3);
    expect(names(first)).toEqual(["Groupe 01", "Groupe 02", "Groupe 03"]);
    expect(names(await search(tenant, {}, 3, 3))).toEqual(["Groupe 07"]);
    const beyond = await search(tenant, {}, 4, 3);
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(7);
  });
});

describe("what is never listed", () => {
  it("leaves out unpublished and hidden listings, and shows the ones to check with their badge", async () => {
    const tenant = await createTestTenant({ modules: { directory: {} } });
    await addListing(tenant, { name: "Publiée" });
    await addListing(tenant, { name: "À vérifier", freshness: "to_check" });
    await addListing(tenant, { name: "Masquée", freshness: "hidden" });
    for (const status of ["unconfirmed", "pending", "changes_requested", "refused", "merged"]) {
      await addListing(tenant, { name: `Statut ${status}`, status });
    }
    const result = await search(tenant);
    expect(names(result)).toEqual(["À vérifier", "Publiée"]);
    expect(result.items.find((i) => i.name === "À vérifier")?.toCheck).toBe(true);
    expect(result.items.find((i) => i.name === "Publiée")?.toCheck).toBe(false);
    expect((await search(tenant, { q: "statut" })).total).toBe(0);
  });

  it("never returns another town's listings", async () => {
    const a = await createTestTenant({ modules: { directory: {} } });
    const b = await createTestTenant({ modules: { directory: {} } });
    await addListing(a, { name: "Groupement de A" });
    await addListing(b, { name: "Groupement de B" });
    expect(names(await search(a, { q: "groupement" }))).toEqual(["Groupement de A"]);
    expect(names(await search(b, { q: "groupement" }))).toEqual(["Groupement de B"]);
    // Both snapshots are now cached with the same version number: each town still gets its own.
    const [ofA, ofB] = [await withTenant(a.id, (tx) => publishedSnapshot(tx)), await withTenant(b.id, (tx) => publishedSnapshot(tx))];
    expect(ofA.version).toBe(ofB.version);
    expect(ofA.listings.map((l) => l.name)).toEqual(["Groupement de A"]);
    expect(ofB.listings.map((l) => l.name)).toEqual(["Groupement de B"]);
  });
});

describe("the in-process snapshot", () => {
  it("sees every change at once: insert, update, unpublish, delete", async () => {
    const tenant = await createTestTenant({ modules: { directory: {} } });
    await addListing(tenant, { name: "Premier" });
    expect(names(await search(tenant))).toEqual(["Premier"]);
    const id = await addListing(tenant, { name: "Second" });
    expect(names(await search(tenant))).toEqual(["Premier", "Second"]);
    await withTenant(tenant.id, (tx) => tx.updateTable("directory_initiatives").set({ name: "Deuxième" }).where("id", "=", id).execute());
    expect(names(await search(tenant, { q: "deuxieme" }))).toEqual(["Deuxième"]);
    await withTenant(tenant.id, (tx) => tx.updateTable("directory_initiatives").set({ freshness: "hidden" }).where("id", "=", id).execute());
    expect(names(await search(tenant))).toEqual(["Premier"]);
    await withTenant(tenant.id, (tx) => tx.deleteFrom("directory_initiatives").execute());
    expect(names(await search(tenant))).toEqual([]);
  });
});
