// Moderation decisions against the real database: each one writes its revision (and the
// publication its event); concurrent decisions by two staff members never both apply; the
// duplicates flagged are the listings with a similar name close by.
import { sql, type SqlBool } from "kysely";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { directoryTown, events, insertInitiative, listing, revisions } from "../test/moderation-fixtures";
import { findLikelyDuplicates } from "./duplicates.server";
import { approveListing, mergeListing, ModerationRefused, refuseListing, requestChanges } from "./moderation.server";
import { readInitiative, revertToRevision, recordRevision } from "./revisions.server";

afterAll(closeDatabase);

const staff = (label = "Agent A") => ({ userId: null, label });

describe("moderation decisions", () => {
  it("approving publishes, confirms today, writes the revision and the event", async () => {
    const town = await directoryTown();
    const id = await insertInitiative(town.id, { name: "AMAP du Marais", status: "pending", confirmed_at: new Date("2020-01-01") });
    await withTenant(town.id, (tx) => approveListing(tx, id, staff()));
    const row = await listing(town, id);
    expect(row?.status).toBe("published");
    expect(Date.now() - row!.confirmed_at.getTime()).toBeLessThan(60_000);
    expect((await revisions(town, id)).map((r) => [r.action, r.actor_label])).toEqual([["approved", "Agent A"]]);
    expect((await events(town, "initiative_published")).map((e) => e.subject_id)).toEqual([id]);
  });

  it("asking for changes keeps the message and issues an edit link; refusing keeps the reason", async () => {
    const town = await directoryTown();
    const a = await insertInitiative(town.id, { name: "Repair café", status: "pending" });
    const b = await insertInitiative(town.id, { name: "Boîte à dons", status: "pending" });
    const { token } = await withTenant(town.id, (tx) => requestChanges(tx, a, "Précisez l'adresse.", staff()));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await withTenant(town.id, (tx) => refuseListing(tx, b, "Hors de la commune.", staff()));
    expect(await listing(town, a)).toMatchObject({ status: "changes_requested", moderation_note: "Précisez l'adresse." });
    expect(await listing(town, b)).toMatchObject({ status: "refused", moderation_note: "Hors de la commune." });
    const links = await withTenant(town.id, (tx) => tx.selectFrom("directory_links").select(["initiative_id", "purpose"]).execute());
    expect(links).toEqual([{ initiative_id: a, purpose: "edit" }]);
    expect(await events(town, "initiative_published")).toEqual([]);
  });

  it("a decision on a listing already decided is refused, and changes nothing", async () => {
    const town = await directoryTown();
    const id = await insertInitiative(town.id, { name: "Jardin", status: "published" });
    await expect(withTenant(town.id, (tx) => refuseListing(tx, id, "Trop tard", staff()))).rejects.toMatchObject({ code: "alreadyHandled" });
    expect((await listing(town, id))?.status).toBe("published");
  });

  it("two staff members approving at once: one publishes, the other is told it is done", async () => {
    const town = await directoryTown();
    for (let round = 0; round < 5; round++) {
      const id = await insertInitiative(town.id, { name: `Groupement d'achat ${round}`, status: "pending" });
      const results = await Promise.allSettled([
        withTenant(town.id, (tx) => approveListing(tx, id, staff("A"))),
        withTenant(town.id, (tx) => approveListing(tx, id, staff("B"))),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ModerationRefused);
      expect(rejected.reason.code).toBe("alreadyHandled");
      expect(await revisions(town, id)).toHaveLength(1);
    }
    expect(await events(town, "initiative_published")).toHaveLength(5);
  });

  it("an approval and a refusal at once: exactly one applies", async () => {
    const town = await directoryTown();
    const id = await insertInitiative(town.id, { name: "Outilthèque", status: "pending" });
    const results = await Promise.allSettled([
      withTenant(town.id, (tx) => approveListing(tx, id, staff("A"))),
      withTenant(town.id, (tx) => refuseListing(tx, id, "Doublon", staff("B"))),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const row = await listing(town, id);
    const [revision] = await revisions(town, id);
    expect(revision.action).toBe(row?.status === "published" ? "approved" : "refused");
  });

  it("merging marks the source merged into the target, with a revision on both", async () => {
    const town = await directoryTown();
    const target = await insertInitiative(town.id, { name: "AMAP des Tilleuls", status: "published" });
    const source = await insertInitiative(town.id, { name: "Amap des tilleuls", status: "pending" });
    await withTenant(town.id, (tx) => mergeListing(tx, source, target, staff()));
    expect(await listing(town, source)).toMatchObject({ status: "merged", merged_into: target });
    expect((await listing(town, target))?.status).toBe("published");
    expect((await revisions(town, source)).map((r) => r.action)).toEqual(["merged"]);
    expect((await revisions(town, target)).map((r) => r.action)).toEqual(["merged_into_this"]);
    // Merging again, or into itself, or into a merged listing, is refused.
    await expect(withTenant(town.id, (tx) => mergeListing(tx, source, target, staff()))).rejects.toMatchObject({ code: "alreadyHandled" });
    await expect(withTenant(town.id, (tx) => mergeListing(tx, target, target, staff()))).rejects.toMatchObject({ code: "invalidTarget" });
    const other = await insertInitiative(town.id, { name: "Autre", status: "pending" });
    await expect(withTenant(town.id, (tx) => mergeListing(tx, other, source, staff()))).rejects.toMatchObject({ code: "invalidTarget" });
  });

  it("two opposite merges at once never leave both listings merged (nor deadlock)", async () => {
    const town = await directoryTown();
    for (let round = 0; round < 5; round++) {
      const a = await insertInitiative(town.id, { name: `Épicerie A${round}`, status: "pending" });
      const b = await insertInitiative(town.id, { name: `Épicerie B${round}`, status: "pending" });
      const results = await Promise.allSettled([
        withTenant(town.id, (tx) => mergeListing(tx, a, b, staff("A"))),
        withTenant(town.id, (tx) => mergeListing(tx, b, a, staff("B"))),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const statuses = [(await listing(town, a))?.status, (await listing(town, b))?.status].sort();
      expect(statuses).toEqual(["merged", "pending"]);
    }
  });

  it("another town's listing is not found", async () => {
    const a = await directoryTown();
    const b = await directoryTown();
    const id = await insertInitiative(a.id, { name: "Chez A", status: "pending" });
    await expect(withTenant(b.id, (tx) => approveListing(tx, id, staff()))).rejects.toMatchObject({ code: "notFound" });
    await expect(withTenant(b.id, (tx) => mergeListing(tx, id, id, staff()))).rejects.toMatchObject({ code: "invalidTarget" });
    expect((await listing(a, id))?.status).toBe("pending");
  });
});

describe("likely duplicates", () => {
  it("are similar names (accents and case ignored) within 500 m, or without a position", async () => {
    const town = await directoryTown();
    const self = await insertInitiative(town.id, { name: "Épicerie coopérative du Centre", status: "pending", latitude: 50.4822, longitude: 3.0156 });
    const near = await insertInitiative(town.id, { name: "epicerie cooperative du centre", status: "published", latitude: 50.4840, longitude: 3.0160 });
    await insertInitiative(town.id, { name: "Épicerie coopérative du Centre", status: "published", latitude: 50.50, longitude: 3.04 });
    const noPosition = await insertInitiative(town.id, { name: "Epicerie cooperative centre", status: "pending" });
    await insertInitiative(town.id, { name: "Jardin partagé du Centre", status: "published", latitude: 50.4822, longitude: 3.0156 });
    await insertInitiative(town.id, { name: "Épicerie coopérative du Centre", status: "refused", latitude: 50.4822, longitude: 3.0156 });
    const found = await withTenant(town.id, (tx) => findLikelyDuplicates(tx, self, sql<SqlBool>`true`));
    expect(found.map((d) => d.id).sort()).toEqual([near, noPosition].sort());
    const nearOne = found.find((d) => d.id === near)!;
    expect(nearOne.similarity).toBe(1);
    expect(nearOne.distanceM).toBeGreaterThan(150);
    expect(nearOne.distanceM).toBeLessThan(250);
    expect(found.find((d) => d.id === noPosition)?.distanceM).toBeNull();
  });
});

describe("history", () => {
  it("reverting puts the content back as in a snapshot, keeps the state, and is itself a revision", async () => {
    const town = await directoryTown();
    const id = await insertInitiative(town.id, { name: "Nom d'origine", description: "Première version", status: "published" });
    await withTenant(town.id, (tx) => recordRevision(tx, id, "approved", staff()));
    await withTenant(town.id, async (tx) => {
      await tx.updateTable("directory_initiatives").set({ name: "Nom modifié", description: "Vandalisée", freshness: "to_check" }).where("id", "=", id).execute();
      await recordRevision(tx, id, "edited", staff("Vandale"));
    });
    const [first] = await withTenant(town.id, (tx) => tx.selectFrom("directory_revisions").select("id").where("initiative_id", "=", id).orderBy("id").execute());
    await withTenant(town.id, (tx) => revertToRevision(tx, id, String(first.id), staff("Agent B")));
    const row = await withTenant(town.id, (tx) => readInitiative(tx, id));
    expect(row).toMatchObject({ name: "Nom d'origine", description: "Première version", status: "published", freshness: "to_check" });
    expect((await revisions(town, id)).map((r) => [r.action, r.actor_label])).toEqual([
      ["approved", "Agent A"],
      ["edited", "Vandale"],
      ["reverted", "Agent B"],
    ]);
  });

  it("refuses an unknown revision or another listing's revision", async () => {
    const town = await directoryTown();
    const a = await insertInitiative(town.id, { name: "Fiche A", status: "published" });
    const b = await insertInitiative(town.id, { name: "Fiche B", status: "published" });
    await withTenant(town.id, (tx) => recordRevision(tx, b, "approved", staff()));
    const [rb] = await withTenant(town.id, (tx) => tx.selectFrom("directory_revisions").select("id").where("initiative_id", "=", b).execute());
    await expect(withTenant(town.id, (tx) => revertToRevision(tx, a, String(rb.id), staff()))).rejects.toMatchObject({ code: "unknownRevision" });
    await expect(withTenant(town.id, (tx) => revertToRevision(tx, a, "not-a-number", staff()))).rejects.toMatchObject({ code: "unknownRevision" });
    expect((await listing(town, a))?.name).toBe("Fiche A");
  });
});
