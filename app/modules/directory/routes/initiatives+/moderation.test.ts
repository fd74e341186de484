// The moderation pages, called as Remix calls them: staff decide, the submitter is emailed,
// an emailed edit link sends a listing back to the queue, the history shows every change and
// staff revert. Others get 403; another town's listing answers 404.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import {
  createOrganisation,
  directoryTown,
  get,
  insertInitiative,
  linkIn,
  listing,
  mailsTo,
  manager,
  post,
  respond,
  revisions,
  signedIn,
  staffMember,
  submissionFields,
  tokenOf,
} from "../../test/moderation-fixtures";
import { action as historyAction, loader as historyLoader } from "./$id_.historique";
import { action as itemAction, loader as itemLoader } from "./gestion.moderation.$id";
import { loader as queueLoader } from "./gestion.moderation._index";
import { loader as photoLoader } from "./gestion.moderation.photos.$photoId";
import { action as linkAction, loader as linkLoader } from "./lien";

afterAll(closeDatabase);

type Town = Awaited<ReturnType<typeof directoryTown>>;

async function pendingSubmission(town: Town, name = "Repair café des Tilleuls") {
  return insertInitiative(town.id, { name, status: "pending", submitter_name: "Camille", submitter_email: "camille@example.org", address: "1 rue des Tilleuls" });
}

const decide = (town: Town, id: string, fields: Record<string, string>, cookie: string) =>
  respond(() => itemAction(post(town, `/initiatives/gestion/moderation/${id}`, fields, { cookie, params: { id } })));

describe("moderation pages", () => {
  it("staff see the queue with its flags, and publish a listing: the submitter is told", async () => {
    const town = await directoryTown();
    const { cookie } = await staffMember(town);
    const id = await pendingSubmission(town);
    await insertInitiative(town.id, { name: "Repair-café des tilleuls", status: "published", address: "3 rue des Tilleuls" });
    const queue = await (await respond(() => queueLoader(get(town, "/initiatives/gestion/moderation", { cookie })))).json();
    expect(queue.pending).toEqual([expect.objectContaining({ id, duplicates: 1, submitter: "Camille" })]);
    const item = await (await respond(() => itemLoader(get(town, `/initiatives/gestion/moderation/${id}`, { cookie, params: { id } })))).json();
    expect(item.duplicates).toHaveLength(1);

    const response = await decide(town, id, { intent: "approve" }, cookie);
    expect(response.headers.get("location")).toBe("/initiatives/gestion/moderation?fait=approuvee");
    expect((await listing(town, id))?.status).toBe("published");
    const [mail] = await mailsTo(town, "camille@example.org");
    expect(mail.subject).toContain("est publiée");
    expect(mail.text_body).toContain(`http://${town.host}/initiatives/${id}`);

    const again = await decide(town, id, { intent: "approve" }, cookie);
    expect(again.status).toBe(409);
    expect((await again.json()).errors._form).toBe("directory:moderation.errors.alreadyHandled");
  });

  it("asking for changes emails an edit link; the submitter's edit sends the listing back to the queue, once", async () => {
    const town = await directoryTown();
    const { cookie } = await staffMember(town);
    const id = await pendingSubmission(town);
    const empty = await decide(town, id, { intent: "changes", message: "" }, cookie);
    expect(empty.status).toBe(400);
    expect((await empty.json()).errors.message).toBe("directory:moderation.item.errors.messageRequired");
    expect((await listing(town, id))?.status).toBe("pending");

    await decide(town, id, { intent: "changes", message: "Ajoutez les horaires, s'il vous plaît." }, cookie);
    const [mail] = await mailsTo(town, "camille@example.org");
    expect(mail.text_body).toContain("Ajoutez les horaires, s'il vous plaît.");
    const link = linkIn(mail.text_body, "/initiatives/lien");

    const form = await (await respond(() => linkLoader(get(town, link)))).json();
    expect(form).toMatchObject({ mode: "edit", note: "Ajoutez les horaires, s'il vous plaît.", name: "Repair café des Tilleuls" });

    const token = tokenOf(link);
    const fields = (overrides: Record<string, string>) => [...submissionFields(overrides), ["jeton", token] as [string, string]].filter(([k]) => !k.startsWith("submitter"));
    const bad = await respond(() => linkAction(post(town, "/initiatives/lien", fields({ latitude: "10", longitude: "10" }))));
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.latitude).toBe("directory:moderation.errors.outOfBounds");

    const saved = await respond(() => linkAction(post(town, "/initiatives/lien", fields({ name: "Repair café des Tilleuls", schedule: "Le samedi, 10 h - 12 h" }))));
    expect(saved.headers.get("location")).toBe(`/initiatives/lien?etat=renvoyee-en-moderation&fiche=${id}`);
    expect(await listing(town, id)).toMatchObject({ status: "pending", schedule: "Le samedi, 10 h - 12 h" });
    expect((await revisions(town, id)).map((r) => [r.action, r.actor_label])).toEqual([
      ["changes_requested", "Agent Test"],
      ["edited_by_link", "Camille"],
    ]);
    const reused = await respond(() => linkAction(post(town, "/initiatives/lien", fields({ schedule: "Autre" }))));
    expect(reused.headers.get("location")).toBe("/initiatives/lien?etat=deja-utilise");
    expect((await listing(town, id))?.schedule).toBe("Le samedi, 10 h - 12 h");
  });

  it("refusing needs a reason, which the submitter receives", async () => {
    const town = await directoryTown();
    const { cookie } = await staffMember(town);
    const id = await pendingSubmission(town);
    expect((await decide(town, id, { intent: "refuse", reason: "non" }, cookie)).status).toBe(400);
    await decide(town, id, { intent: "refuse", reason: "Cette initiative est hors de la commune." }, cookie);
    expect((await listing(town, id))?.status).toBe("refused");
    const [mail] = await mailsTo(town, "camille@example.org");
    expect(mail.text_body).toContain("Cette initiative est hors de la commune.");
  });

  it("merges a duplicate into another listing", async () => {
    const town = await directoryTown();
    const { cookie } = await staffMember(town);
    const id = await pendingSubmission(town);
    const target = await insertInitiative(town.id, { name: "Repair café des tilleuls", status: "published" });
    const response = await decide(town, id, { intent: "merge", target }, cookie);
    expect(response.headers.get("location")).toBe("/initiatives/gestion/moderation?fait=fusionnee");
    expect(await listing(town, id)).toMatchObject({ status: "merged", merged_into: target });
  });

  it("is for staff only, and another town's listing answers 404", async () => {
    const town = await directoryTown();
    const other = await directoryTown();
    const id = await pendingSubmission(town);
    const resident = await signedIn(town.id, ["resident"]);
    expect((await decide(town, id, { intent: "approve" }, resident.cookie)).status).toBe(403);
    const anonymous = await respond(() => itemLoader(get(town, `/initiatives/gestion/moderation/${id}`, { params: { id } })));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    const foreignStaff = await staffMember(other);
    expect((await respond(() => itemLoader(get(other, `/initiatives/gestion/moderation/${id}`, { cookie: foreignStaff.cookie, params: { id } })))).status).toBe(404);
    expect((await decide(other, id, { intent: "approve" }, foreignStaff.cookie)).status).toBe(404);
    expect((await listing(town, id))?.status).toBe("pending");
  });

  it("serves the photos of an unpublished listing to those who moderate or edit it, and to nobody else", async () => {
    const town = await directoryTown();
    const id = await pendingSubmission(town);
    const photo = await withTenant(town.id, (tx) =>
      tx
        .insertInto("directory_photos")
        .values({ tenant_id: town.id, initiative_id: id, content_type: "image/png", bytes: Buffer.from([1, 2, 3]), width: 1, height: 1 })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    const { cookie } = await staffMember(town);
    const ok = await respond(() => photoLoader(get(town, `/initiatives/gestion/moderation/photos/${photo.id}`, { cookie, params: { photoId: photo.id } })));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("image/png");
    // A listing the user may not see: its photos are not found either.
    const resident = await signedIn(town.id, ["resident"]);
    expect((await respond(() => photoLoader(get(town, "/x", { cookie: resident.cookie, params: { photoId: photo.id } })))).status).toBe(404);
    expect((await respond(() => photoLoader(get(town, "/x", { params: { photoId: photo.id } })))).status).toBe(404);
    // The managers of the listing's organisation see the photos on their edit page.
    const organisation = await createOrganisation(town);
    const boss = await manager(town, organisation, "photos-boss@example.org");
    expect((await respond(() => photoLoader(get(town, "/x", { cookie: boss.cookie, params: { photoId: photo.id } })))).status).toBe(404);
    await withTenant(town.id, (tx) => tx.updateTable("directory_initiatives").set({ organisation_id: organisation }).where("id", "=", id).execute());
    expect((await respond(() => photoLoader(get(town, "/x", { cookie: boss.cookie, params: { photoId: photo.id } })))).status).toBe(200);
  });
});

describe("history page", () => {
  it("shows every change to staff and to the listing's managers; only staff revert", async () => {
    const town = await directoryTown();
    const organisation = await createOrganisation(town);
    const id = await insertInitiative(town.id, { name: "Jardin des Lilas", status: "published", organisation_id: organisation });
    const staff = await staffMember(town, "Agent Revert");
    const boss = await manager(town, organisation, "boss@example.org");
    const resident = await signedIn(town.id, ["resident"]);
    const history = (cookie: string) => respond(() => historyLoader(get(town, `/initiatives/${id}/historique`, { cookie, params: { id } })));
    const { recordRevision } = await import("../../data/revisions.server");
    await withTenant(town.id, (tx) => recordRevision(tx, id, "approved", { userId: null, label: "@system" }));
    await withTenant(town.id, async (tx) => {
      await tx.updateTable("directory_initiatives").set({ name: "Jardin vandalisé" }).where("id", "=", id).execute();
      await recordRevision(tx, id, "edited", { userId: boss.userId, label: "Responsable Test" });
    });

    const seen = await (await history(boss.cookie)).json();
    expect(seen.canRevert).toBe(false);
    expect(seen.revisions.map((r: { action: string; changed: string[] }) => [r.action, r.changed])).toEqual([
      ["edited", ["name"]],
      ["approved", expect.arrayContaining(["name", "kind"])],
    ]);
    expect((await history(resident.cookie)).status).toBe(403);

    const oldest = seen.revisions[1].id;
    const byManager = await respond(() => historyAction(post(town, `/initiatives/${id}/historique`, { revision: oldest }, { cookie: boss.cookie, params: { id } })));
    expect(byManager.status).toBe(403);
    const byStaff = await respond(() => historyAction(post(town, `/initiatives/${id}/historique`, { revision: oldest }, { cookie: staff.cookie, params: { id } })));
    expect(byStaff.headers.get("location")).toBe(`/initiatives/${id}/historique?retabli=1`);
    expect((await listing(town, id))?.name).toBe("Jardin des Lilas");
    expect((await (await history(staff.cookie)).json()).revisions[0]).toMatchObject({ action: "reverted", actorLabel: "Agent Revert" });
  });
});
