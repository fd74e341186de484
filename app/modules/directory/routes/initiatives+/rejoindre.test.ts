// Joining a group near home: nearest matching groups by distance, an explicit consent, the
// groups told by email (managers in their space, groups without an account through a
// single-use link), answers recorded as events, unanswered requests routed by staff, and
// contact details erased after the retention period.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { runModuleJob } from "~/core/jobs/jobs.server";
import { getModule } from "~/core/modules/registry.server";
import { silentLog } from "~/core/auth/testing";
import { purgeContactDetails } from "../../data/contact.server";
import { createOrganisation, directoryTown, events, get, insertInitiative, linkIn, mailsTo, manager, post, respond, staffMember } from "../../test/moderation-fixtures";
import { action as requestsAction, loader as requestsLoader } from "./gestion.demandes";
import { loader as linkLoader } from "./lien";
import { action as spaceAction, loader as spaceLoader } from "./mon-espace";
import { action as joinAction, loader as joinLoader } from "./rejoindre";

afterAll(closeDatabase);

const DAY = 24 * 3600 * 1000;
type Town = Awaited<ReturnType<typeof directoryTown>>;

/** Three published groups at known distances from the test town's centre (50.4822, 3.0156), and two that must never show. */
async function groups(town: Town) {
  const organisation = await createOrganisation(town, "Les Paniers");
  const boss = await manager(town, organisation, "paniers@example.org", "Dominique");
  const near = await insertInitiative(town.id, { name: "AMAP proche", kind: "amap", layers: ["se_nourrir"], neighbourhood: "Centre", latitude: 50.4831, longitude: 3.0156, organisation_id: organisation });
  const middle = await insertInitiative(town.id, { name: "Groupement moyen", kind: "buying_group", layers: ["se_nourrir"], neighbourhood: "Gare", latitude: 50.4922, longitude: 3.0156, contact_email: "moyen@example.org" });
  const far = await insertInitiative(town.id, { name: "AMAP lointaine", kind: "amap", layers: ["echanger"], neighbourhood: "Gare", latitude: 50.5022, longitude: 3.0156, submitter_email: "loin@example.org", submitter_name: "Lou" });
  const hidden = await insertInitiative(town.id, { name: "AMAP masquée", kind: "amap", latitude: 50.4823, longitude: 3.0156, freshness: "hidden", contact_email: "hidden@example.org" });
  const pending = await insertInitiative(town.id, { name: "AMAP en attente", kind: "amap", status: "pending", latitude: 50.4823, longitude: 3.0156 });
  return { near, middle, far, hidden, pending, boss };
}

const search = (town: Town, query: string) => respond(() => joinLoader(get(town, `/initiatives/rejoindre?${query}`)));
const send = (town: Town, fields: Array<[string, string]>) => respond(() => joinAction(post(town, "/initiatives/rejoindre", fields)));

const contact = (chosen: string[], extra: Array<[string, string]> = []): Array<[string, string]> => [
  ["lieu", "8 rue des Lilas, Libercourt"],
  ["latitude", "50,4822"],
  ["longitude", "3,0156"],
  ["type", ""],
  ["calque", ""],
  ...chosen.map((id) => ["groupes", id] as [string, string]),
  ["nom", "Alex Habitant"],
  ["email", "alex@example.org"],
  ["telephone", "06 00 00 00 00"],
  ["message", "Je cherche des légumes bio."],
  ["consentement", "oui"],
  ...extra,
];

describe("finding the nearest groups", () => {
  it("lists published, visible groups by distance from the position given, filtered by kind and theme", async () => {
    const town = await directoryTown();
    const g = await groups(town);
    const all = await (await search(town, "lieu=Libercourt&latitude=50.4822&longitude=3.0156")).json();
    expect(all.groups.map((x: { id: string }) => x.id)).toEqual([g.near, g.middle, g.far]);
    expect(all.groups.map((x: { distanceM: number }) => Math.round(x.distanceM / 100) * 100)).toEqual([100, 1100, 2200]);
    expect(all.reference).toBe("la position indiquée");
    const amaps = await (await search(town, "lieu=Libercourt&latitude=50.4822&longitude=3.0156&type=amap")).json();
    expect(amaps.groups.map((x: { id: string }) => x.id)).toEqual([g.near, g.far]);
    const exchange = await (await search(town, "lieu=Libercourt&calque=echanger")).json();
    expect(exchange.groups.map((x: { id: string }) => x.id)).toEqual([g.far]);
    expect(exchange.reference).toBe(`le centre de Ville ${town.slug}`);
  });

  it("measures from a neighbourhood's centre when no position is given", async () => {
    const town = await directoryTown();
    const g = await groups(town);
    const data = await (await search(town, "lieu=Rue+de+la+Gare&quartier=Gare")).json();
    expect(data.options.neighbourhoods).toEqual(["Centre", "Gare"]);
    expect(data.reference).toBe("le centre du quartier Gare");
    // The centre of "Gare" is half-way between the middle and the far groups.
    expect(data.groups.slice(0, 2).map((x: { id: string }) => x.id).sort()).toEqual([g.middle, g.far].sort());
  });

  it("refuses a search without a place, or with half a position", async () => {
    const town = await directoryTown();
    const noPlace = await search(town, "lieu=&latitude=50.48&longitude=3.01");
    expect(noPlace.status).toBe(400);
    expect((await noPlace.json()).errors.lieu).toBe("directory:moderation.errors.placeRequired");
    const half = await (await search(town, "lieu=Ici&latitude=50.48")).json();
    expect(half.errors.longitude).toBe("directory:moderation.errors.positionPair");
    const unknownKind = await (await search(town, "lieu=Ici&type=chateau")).json();
    expect(unknownKind.errors.type).toBe("common:form.errors.choice");
  });
});

describe("sending a contact request", () => {
  it("needs consent and at least one group; nothing is saved or sent otherwise", async () => {
    const town = await directoryTown();
    const g = await groups(town);
    const noConsent = await send(town, contact([g.near]).filter(([k]) => k !== "consentement"));
    expect(noConsent.status).toBe(400);
    const body = await noConsent.json();
    expect(body.errors.consentement).toBe("directory:moderation.errors.consentRequired");
    expect(body.values.message).toBe("Je cherche des légumes bio.");
    expect(body.chosen).toEqual([g.near]);
    expect((await (await send(town, contact([]))).json()).errors.groupes).toBe("directory:moderation.errors.chooseGroup");
    for (const invisible of [g.hidden, g.pending]) {
      expect((await (await send(town, contact([g.near, invisible]))).json()).errors.groupes).toBe("directory:moderation.errors.unknownGroup");
    }
    const other = await directoryTown();
    const foreign = await insertInitiative(other.id, { name: "Ailleurs", latitude: 50.48, longitude: 3.01 });
    expect((await (await send(town, contact([foreign]))).json()).errors.groupes).toBe("directory:moderation.errors.unknownGroup");
    const requests = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_requests").select("id").execute());
    expect(requests).toEqual([]);
    expect(await mailsTo(town, "paniers@example.org")).toEqual([]);
  });

  it("records the consent, emails each chosen group and the resident, and counts the request", async () => {
    const town = await directoryTown({ contactRetentionMonths: 6 });
    const g = await groups(town);
    const response = await send(town, contact([g.near, g.middle, g.far]));
    expect(response.headers.get("location")).toBe("/initiatives/rejoindre?envoye=3");
    const [request] = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_requests").selectAll().execute());
    expect(request).toMatchObject({ name: "Alex Habitant", email: "alex@example.org", place: "8 rue des Lilas, Libercourt", latitude: 50.4822, status: "open" });
    expect(request.consent_at).toBeInstanceOf(Date);
    const months = (request.purge_after.getTime() - request.created_at.getTime()) / (30.44 * DAY);
    expect(Math.round(months)).toBe(6);
    const targets = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_targets").select("initiative_id").execute());
    expect(targets.map((t) => t.initiative_id).sort()).toEqual([g.near, g.middle, g.far].sort());

    const [toManager] = await mailsTo(town, "paniers@example.org");
    expect(toManager.text_body).toContain("alex@example.org");
    expect(toManager.text_body).toContain("Je cherche des légumes bio.");
    expect(toManager.text_body).toContain(`http://${town.host}/initiatives/mon-espace`);
    expect(toManager.text_body).not.toContain("jeton=");
    const [toContact] = await mailsTo(town, "moyen@example.org");
    expect(toContact.text_body).toContain("/initiatives/lien?jeton=");
    expect(await mailsTo(town, "loin@example.org")).toHaveLength(1);
    const [receipt] = await mailsTo(town, "alex@example.org");
    expect(receipt.text_body).toContain("AMAP proche");
    expect(receipt.text_body).toContain("6 mois");
    const [event] = await events(town, "contact_requested");
    expect(event).toMatchObject({ subject_id: request.id, quantities: { groups: 3 } });
  });

  it("managers mark it answered in their space; a group without an account by its link; each answer is an event", async () => {
    const town = await directoryTown();
    const g = await groups(town);
    await send(town, contact([g.near, g.middle]));
    const [request] = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_requests").select("id").execute());

    const space = await (await respond(() => spaceLoader(get(town, "/initiatives/mon-espace", { cookie: g.boss.cookie })))).json();
    expect(space.requests).toEqual([expect.objectContaining({ request_id: request.id, initiative_id: g.near, email: "alex@example.org", answered_at: null })]);
    const answer = () => respond(() => spaceAction(post(town, "/initiatives/mon-espace", { intent: "answered", request: request.id, listing: g.near }, { cookie: g.boss.cookie })));
    expect((await answer()).headers.get("location")).toBe("/initiatives/mon-espace?repondue=1");
    expect((await answer()).status).toBe(409);
    // A manager cannot answer for a group of another organisation.
    const notTheirs = await respond(() => spaceAction(post(town, "/initiatives/mon-espace", { intent: "answered", request: request.id, listing: g.middle }, { cookie: g.boss.cookie })));
    expect(notTheirs.status).toBe(404);

    const link = linkIn((await mailsTo(town, "moyen@example.org"))[0].text_body, "/initiatives/lien");
    expect((await respond(() => linkLoader(get(town, link)))).headers.get("location")).toBe("/initiatives/lien?etat=reponse-notee");
    expect((await respond(() => linkLoader(get(town, link)))).headers.get("location")).toBe("/initiatives/lien?etat=deja-utilise");

    const targets = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_targets").select(["initiative_id", "answered_at", "answered_by"]).execute());
    expect(targets.every((t) => t.answered_at instanceof Date)).toBe(true);
    expect(targets.find((t) => t.initiative_id === g.near)?.answered_by).toBe(g.boss.userId);
    const status = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_requests").select("status").executeTakeFirstOrThrow());
    expect(status.status).toBe("answered");
    expect(await events(town, "contact_answered")).toHaveLength(2);
  });
});

describe("requests nobody answers", () => {
  it("show up for staff after the delay; staff route them to another group, which restarts the delay", async () => {
    const town = await directoryTown({ contactAnswerDays: 14 });
    const g = await groups(town);
    const { cookie } = await staffMember(town);
    await send(town, contact([g.near]));
    const [request] = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_requests").select("id").execute());
    const page = async () => (await respond(() => requestsLoader(get(town, "/initiatives/gestion/demandes", { cookie })))).json();
    expect((await page()).requests).toEqual([]);

    await withTenant(town.id, (tx) => tx.updateTable("directory_contact_targets").set({ sent_at: new Date(Date.now() - 15 * DAY) }).execute());
    const overdue = (await page()).requests;
    expect(overdue).toEqual([expect.objectContaining({ id: request.id, targets: [expect.objectContaining({ name: "AMAP proche" })] })]);
    expect(overdue[0].candidates.map((c: { id: string }) => c.id)).toEqual([g.middle, g.far]);

    const none = await respond(() => requestsAction(post(town, "/initiatives/gestion/demandes", { intent: "route", request: request.id }, { cookie })));
    expect(none.status).toBe(400);
    const routed = await respond(() =>
      requestsAction(post(town, "/initiatives/gestion/demandes", { intent: "route", request: request.id, [`listing-${request.id}`]: g.middle }, { cookie })),
    );
    expect(routed.headers.get("location")).toBe("/initiatives/gestion/demandes?routee=1");
    expect(await mailsTo(town, "moyen@example.org")).toHaveLength(1);
    expect((await page()).requests).toEqual([]);
    const again = await respond(() =>
      requestsAction(post(town, "/initiatives/gestion/demandes", { intent: "route", request: request.id, [`listing-${request.id}`]: g.middle }, { cookie })),
    );
    expect(again.status).toBe(409);
    const row = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_requests").select(["status", "routed_by"]).executeTakeFirstOrThrow());
    expect(row.status).toBe("routed");
  });
});

describe("retention", () => {
  it("erases the contact details after the retention period; the anonymous request stays", async () => {
    const town = await directoryTown({ contactRetentionMonths: 1 });
    const g = await groups(town);
    await send(town, contact([g.middle]));
    expect(await withTenant(town.id, (tx) => purgeContactDetails(tx, new Date(Date.now() + 27 * DAY)))).toBe(0);
    const job = getModule("directory")!.jobs!.find((j) => j.id === "contact-purge")!;
    const report = await runModuleJob({ id: "directory" }, job, { now: new Date(Date.now() + 32 * DAY), log: silentLog, tenantIds: [town.id] });
    expect(report.counts[town.slug]).toEqual({ purged: 1 });
    const [request] = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_requests").selectAll().execute());
    expect(request).toMatchObject({ name: null, email: null, phone: null, message: "", place: "", latitude: null, longitude: null, status: "open" });
    expect(request.purged_at).toBeInstanceOf(Date);
    // Its "answered" link is void with it.
    const link = linkIn((await mailsTo(town, "moyen@example.org"))[0].text_body, "/initiatives/lien");
    expect((await respond(() => linkLoader(get(town, link)))).headers.get("location")).toBe("/initiatives/lien?etat=deja-utilise");
    // Running again purges nothing more.
    expect(await withTenant(town.id, (tx) => purgeContactDetails(tx, new Date(Date.now() + 40 * DAY)))).toBe(0);
  });
});
