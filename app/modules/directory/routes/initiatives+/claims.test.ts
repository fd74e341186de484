// Claims: an association manager claims a listing, staff approve or refuse (the claimant is
// emailed), and the organisation's managers then edit the listing, with its history kept.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { decideClaim } from "../../data/claims.server";
import {
  createOrganisation,
  directoryTown,
  get,
  insertInitiative,
  listing,
  mailsTo,
  manager,
  post,
  respond,
  revisions,
  signedIn,
  staffMember,
  submissionFields,
} from "../../test/moderation-fixtures";
import { action as claimAction, loader as claimLoader } from "./$id_.revendiquer";
import { action as editAction, loader as editLoader } from "./$id_.modifier";
import { action as queueAction, loader as queueLoader } from "./gestion.moderation._index";
import { loader as spaceLoader } from "./mon-espace";

afterAll(closeDatabase);

const editFields = (overrides: Record<string, string> = {}) => submissionFields(overrides).filter(([k]) => !k.startsWith("submitter"));

describe("claims", () => {
  it("a manager claims, staff approve, the claimant is emailed and the managers edit the listing", async () => {
    const town = await directoryTown();
    const organisation = await createOrganisation(town, "Les Amis des Tilleuls");
    const boss = await manager(town, organisation, "boss@example.org", "Dominique");
    const staff = await staffMember(town);
    const id = await insertInitiative(town.id, { name: "Épicerie des Tilleuls", status: "published", address: "1 rue des Tilleuls" });

    const page = await (await respond(() => claimLoader(get(town, `/initiatives/${id}/revendiquer`, { cookie: boss.cookie, params: { id } })))).json();
    expect(page.organisations).toEqual([{ id: organisation, name: "Les Amis des Tilleuls" }]);
    const sent = await respond(() => claimAction(post(town, `/initiatives/${id}/revendiquer`, { organisationId: organisation, message: "Je suis trésorière." }, { cookie: boss.cookie, params: { id } })));
    expect(sent.headers.get("location")).toBe("/initiatives/mon-espace?revendication=envoyee");
    const twice = await respond(() => claimAction(post(town, `/initiatives/${id}/revendiquer`, { organisationId: organisation, message: "" }, { cookie: boss.cookie, params: { id } })));
    expect(twice.status).toBe(400);
    expect((await twice.json()).errors._form).toBe("directory:moderation.claim.errors.alreadyPending");

    // Before the approval the manager may not edit.
    expect((await respond(() => editLoader(get(town, `/initiatives/${id}/modifier`, { cookie: boss.cookie, params: { id } })))).status).toBe(403);

    const queue = await (await respond(() => queueLoader(get(town, "/initiatives/gestion/moderation", { cookie: staff.cookie })))).json();
    expect(queue.claims).toEqual([expect.objectContaining({ initiative_id: id, organisation_name: "Les Amis des Tilleuls", message: "Je suis trésorière." })]);
    const approved = await respond(() => queueAction(post(town, "/initiatives/gestion/moderation", { intent: "claim-approve", claim: queue.claims[0].id }, { cookie: staff.cookie })));
    expect(approved.headers.get("location")).toBe("/initiatives/gestion/moderation?fait=revendication-approuvee");
    expect((await listing(town, id))?.organisation_id).toBe(organisation);
    const [mail] = await mailsTo(town, "boss@example.org");
    expect(mail.text_body).toContain("Les Amis des Tilleuls");
    expect(mail.text_body).toContain(`/initiatives/${id}/modifier`);

    const form = await (await respond(() => editLoader(get(town, `/initiatives/${id}/modifier`, { cookie: boss.cookie, params: { id } })))).json();
    expect(form.values.name).toBe("Épicerie des Tilleuls");
    const saved = await respond(() => editAction(post(town, `/initiatives/${id}/modifier`, editFields({ name: "Épicerie solidaire des Tilleuls" }), { cookie: boss.cookie, params: { id } })));
    expect(saved.headers.get("location")).toBe(`/initiatives/${id}/modifier?enregistre=1`);
    expect(await listing(town, id)).toMatchObject({ name: "Épicerie solidaire des Tilleuls", status: "published", freshness: "fresh" });
    expect((await revisions(town, id)).map((r) => [r.action, r.actor_label])).toEqual([
      ["claim_approved", "Agent Test"],
      ["edited", "Dominique"],
    ]);
    const space = await (await respond(() => spaceLoader(get(town, "/initiatives/mon-espace", { cookie: boss.cookie })))).json();
    expect(space.listings.map((l: { id: string }) => l.id)).toEqual([id]);
    expect(space.claims).toEqual([expect.objectContaining({ initiative_id: id, status: "approved" })]);
  });

  it("an edit with bad input saves nothing", async () => {
    const town = await directoryTown();
    const organisation = await createOrganisation(town);
    const boss = await manager(town, organisation, "boss2@example.org");
    const id = await insertInitiative(town.id, { name: "Outilthèque", status: "published", organisation_id: organisation });
    const response = await respond(() => editAction(post(town, `/initiatives/${id}/modifier`, editFields({ name: "", kind: "chateau" }), { cookie: boss.cookie, params: { id } })));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toMatchObject({ name: "directory:moderation.errors.nameRequired", kind: "common:form.errors.choice" });
    expect((await listing(town, id))?.name).toBe("Outilthèque");
    expect(await revisions(town, id)).toEqual([]);
  });

  it("refuses a claim from someone who manages no association, and edits by other associations", async () => {
    const town = await directoryTown();
    const mine = await createOrganisation(town, "Asso A");
    const theirs = await createOrganisation(town, "Asso B");
    const other = await manager(town, theirs, "other@example.org");
    const resident = await signedIn(town.id, ["resident"]);
    const id = await insertInitiative(town.id, { name: "Boîte à dons", status: "published", organisation_id: mine });
    // A resident's rules do not allow claiming: refused with the reason.
    const claim = await respond(() => claimAction(post(town, `/initiatives/${id}/revendiquer`, { organisationId: mine, message: "" }, { cookie: resident.cookie, params: { id } })));
    expect(claim.status).toBe(403);
    expect((await claim.json()).message).toMatch(/^Votre rôle ne vous autorise pas à revendiquer les initiatives\./);
    // A manager may claim, but only for the association they manage.
    const forOthers = await respond(() => claimAction(post(town, `/initiatives/${id}/revendiquer`, { organisationId: mine, message: "" }, { cookie: other.cookie, params: { id } })));
    expect(forOthers.status).toBe(400);
    expect((await forOthers.json()).errors.organisationId).toBe("directory:moderation.claim.errors.notManager");
    const edit = await respond(() => editAction(post(town, `/initiatives/${id}/modifier`, editFields(), { cookie: other.cookie, params: { id } })));
    expect(edit.status).toBe(403);
    expect((await listing(town, id))?.name).toBe("Boîte à dons");
    const pending = await insertInitiative(town.id, { name: "Pas publiée", status: "pending" });
    expect((await respond(() => claimLoader(get(town, `/initiatives/${pending}/revendiquer`, { cookie: other.cookie, params: { id: pending } })))).status).toBe(404);
  });

  it("two staff members deciding the same claim at once: one decision applies", async () => {
    const town = await directoryTown();
    const organisation = await createOrganisation(town);
    const boss = await manager(town, organisation, "boss3@example.org");
    const staffA = await staffMember(town, "A");
    const id = await insertInitiative(town.id, { name: "AMAP", status: "published" });
    await respond(() => claimAction(post(town, `/initiatives/${id}/revendiquer`, { organisationId: organisation, message: "" }, { cookie: boss.cookie, params: { id } })));
    const [claim] = await withTenant(town.id, (tx) => tx.selectFrom("directory_claims").select("id").execute());
    const results = await Promise.all([
      withTenant(town.id, (tx) => decideClaim(tx, claim.id, true, { userId: staffA.userId, label: "A" }, "fr")),
      withTenant(town.id, (tx) => decideClaim(tx, claim.id, false, { userId: staffA.userId, label: "B" }, "fr")),
    ]);
    expect(results.filter((r) => r === "alreadyDecided")).toHaveLength(1);
    const decided = await withTenant(town.id, (tx) => tx.selectFrom("directory_claims").select("status").where("id", "=", claim.id).executeTakeFirstOrThrow());
    expect((await listing(town, id))?.organisation_id).toBe(decided.status === "approved" ? organisation : null);
  });

  it("another town's listing cannot be claimed or edited", async () => {
    const a = await directoryTown();
    const b = await directoryTown();
    const orgB = await createOrganisation(b);
    const bossB = await manager(b, orgB, "boss-b@example.org");
    const staffB = await staffMember(b);
    const id = await insertInitiative(a.id, { name: "Chez A", status: "published" });
    expect((await respond(() => claimAction(post(b, `/initiatives/${id}/revendiquer`, { organisationId: orgB, message: "" }, { cookie: bossB.cookie, params: { id } })))).status).toBe(404);
    expect((await respond(() => editAction(post(b, `/initiatives/${id}/modifier`, editFields(), { cookie: staffB.cookie, params: { id } })))).status).toBe(404);
    expect((await listing(a, id))?.name).toBe("Chez A");
  });
});
