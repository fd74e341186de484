// The directory obeys the town's stored rules, not role names: a role of the town's own,
// granted one directory action in the matrix, can do exactly that and nothing else, and
// loses it when the rule is taken away; a role limited to "their organisation's" listings
// edits those only, and only the fields its rule names; read rules narrow the list and map.
import { assignRole } from "~/core/auth/roles.server";
import { getSessionUser } from "~/core/auth/session.server";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { abilityFor } from "~/core/permissions/ability.server";
import { pickPermittedFields } from "~/core/permissions/fields.server";
import { requireTenant } from "~/core/route.server";
import { ruleForChoice, setCell } from "~/core/permissions/choices.server";
import { createCustomRole, getRoleRules, saveRoleRules } from "~/core/permissions/rules.server";
import { readInitiative } from "../../data/revisions.server";
import { applyListingEdit, type ContentColumns } from "../../data/submission.server";
import { listingFormSetup } from "../../listing-options.server";
import { createOrganisation, directoryTown, get, insertInitiative, listing, post, respond, revisions, signedIn, submissionFields } from "../../test/moderation-fixtures";
import { action as editAction, loader as editLoader } from "./$id_.modifier";
import { loader as listingLoader } from "./$id";
import { action as historyAction } from "./$id_.historique";
import { loader as claimLoader } from "./$id_.revendiquer";
import { loader as listLoader } from "./_index";
import { loader as apiLoader } from "./api";
import { loader as mapDataLoader } from "./carte_.donnees";
import { loader as requestsLoader } from "./gestion.demandes";
import { loader as freshnessLoader } from "./gestion.fraicheur";
import { loader as importLoader } from "./gestion.import";
import { loader as itemLoader } from "./gestion.moderation.$id";
import { action as queueAction, loader as queueLoader } from "./gestion.moderation._index";

afterAll(closeDatabase);

type Town = Awaited<ReturnType<typeof directoryTown>>;

const MANAGEMENT_ACTIONS = ["update", "moderate", "revert", "claim", "assign", "remind", "route", "import"] as const;
type ManagementAction = (typeof MANAGEMENT_ACTIONS)[number];

const status = async (run: () => Promise<unknown>) => (await respond(run)).status;

let roleCount = 0;
/** A role of the town's own holding `rules`, and a user holding it (for `organisationId` when given). */
async function customRole(town: Town, rules: unknown[], organisationId: string | null = null) {
  const key = `custom_${++roleCount}`;
  const name = `Bénévole ${roleCount}`;
  await withTenant(town.id, async (tx) => {
    await createCustomRole(tx, { key, labels: { fr: `Rôle ${roleCount}` } });
    await saveRoleRules(tx, key, rules);
  });
  const user = await signedIn(town.id, [], name);
  await withTenant(town.id, (tx) => assignRole(tx, { userId: user.userId, role: key, organisationId }));
  return { key, name, cookie: user.cookie, userId: user.userId };
}

describe("a custom role granted one directory action", () => {
  let town: Town;
  let pending: string;
  let published: string;
  let oldRevision: string;
  let claimant: string;
  let organisation: string;

  beforeAll(async () => {
    town = await directoryTown();
    organisation = await createOrganisation(town, "Les Tilleuls");
    pending = await insertInitiative(town.id, { name: "En attente", status: "pending", address: "1 rue des Lilas" });
    published = await insertInitiative(town.id, { name: "Publiée", status: "published", address: "2 rue des Lilas" });
    const { recordRevision } = await import("../../data/revisions.server");
    await withTenant(town.id, async (tx) => {
      await recordRevision(tx, published, "approved", { userId: null, label: "@system" });
      await tx.updateTable("directory_initiatives").set({ name: "Publiée (modifiée)" }).where("id", "=", published).execute();
      await recordRevision(tx, published, "edited", { userId: null, label: "@system" });
    });
    oldRevision = String(
      (await withTenant(town.id, (tx) => tx.selectFrom("directory_revisions").select("id").where("initiative_id", "=", published).orderBy("id").executeTakeFirstOrThrow())).id
    );
    claimant = (await signedIn(town.id, [], "Demandeuse")).userId;
  });

  /** A pending claim on the published listing, made for the probe of "assign". */
  async function pendingClaim(): Promise<string> {
    return withTenant(town.id, async (tx) => {
      const existing = await tx.selectFrom("directory_claims").select("id").where("status", "=", "pending").executeTakeFirst();
      if (existing) return existing.id;
      const row = await tx
        .insertInto("directory_claims")
        .values({ tenant_id: town.id, initiative_id: published, user_id: claimant, organisation_id: organisation, message: "" })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    });
  }

  /** For each action, the status of a request that needs it; `allowed` is what it answers when it is granted. */
  const probes: Record<ManagementAction, { allowed: number; run: (cookie: string) => Promise<number> }> = {
    update: { allowed: 200, run: (cookie) => status(() => editLoader(get(town, `/initiatives/${published}/modifier`, { cookie, params: { id: published } }))) },
    moderate: { allowed: 200, run: (cookie) => status(() => itemLoader(get(town, `/initiatives/gestion/moderation/${pending}`, { cookie, params: { id: pending } }))) },
    revert: {
      allowed: 302,
      run: (cookie) => status(() => historyAction(post(town, `/initiatives/${published}/historique`, { revision: oldRevision }, { cookie, params: { id: published } }))),
    },
    claim: { allowed: 200, run: (cookie) => status(() => claimLoader(get(town, `/initiatives/${published}/revendiquer`, { cookie, params: { id: published } }))) },
    assign: {
      allowed: 302,
      run: async (cookie) => {
        const claim = await pendingClaim();
        return status(() => queueAction(post(town, "/initiatives/gestion/moderation", { intent: "claim-refuse", claim }, { cookie })));
      },
    },
    remind: { allowed: 200, run: (cookie) => status(() => freshnessLoader(get(town, "/initiatives/gestion/fraicheur", { cookie }))) },
    route: { allowed: 200, run: (cookie) => status(() => requestsLoader(get(town, "/initiatives/gestion/demandes", { cookie }))) },
    import: { allowed: 200, run: (cookie) => status(() => importLoader(get(town, "/initiatives/gestion/import", { cookie }))) },
  };

  it.each(MANAGEMENT_ACTIONS)("%s: allowed exactly that, and no longer once the rule is taken away", async (granted) => {
    const { key, cookie } = await customRole(town, [ruleForChoice("Initiative", granted, "any")]);
    for (const action of MANAGEMENT_ACTIONS) {
      expect([action, await probes[action].run(cookie)]).toEqual([action, action === granted ? probes[action].allowed : 403]);
    }
    // The management links of the list show the tools this rule opens, and only those.
    const list = await (await respond(() => listLoader(get(town, "/initiatives", { cookie })))).json();
    expect(list.tools).toEqual({
      moderation: granted === "moderate" || granted === "assign",
      freshness: granted === "remind",
      requests: granted === "route",
      import: granted === "import",
    });

    await withTenant(town.id, (tx) => saveRoleRules(tx, key, []));
    expect(await probes[granted].run(cookie)).toBe(403);
  });

  it("explains a refusal in the user's language, naming the action", async () => {
    const { cookie } = await customRole(town, [ruleForChoice("Initiative", "remind", "any")]);
    const refused = await respond(() => importLoader(get(town, "/initiatives/gestion/import", { cookie })));
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toBe("Votre rôle ne vous autorise pas à importer les initiatives. Si vous pensez que c'est une erreur, contactez la mairie.");
  });

  it("a moderator of the queue only sees no claims; one who decides claims only sees no queue", async () => {
    const moderator = await customRole(town, [ruleForChoice("Initiative", "moderate", "any")]);
    const moderatorPage = await (await respond(() => queueLoader(get(town, "/initiatives/gestion/moderation", { cookie: moderator.cookie })))).json();
    expect([moderatorPage.moderate, moderatorPage.assign]).toEqual([true, false]);
    expect(moderatorPage.pending.map((r: { id: string }) => r.id)).toEqual([pending]);
    expect(moderatorPage.claims).toEqual([]);
    await pendingClaim();
    const arbiter = await customRole(town, [ruleForChoice("Initiative", "assign", "any")]);
    const arbiterPage = await (await respond(() => queueLoader(get(town, "/initiatives/gestion/moderation", { cookie: arbiter.cookie })))).json();
    expect([arbiterPage.moderate, arbiterPage.assign]).toEqual([false, true]);
    expect(arbiterPage.pending).toEqual([]);
    expect(arbiterPage.claims).toHaveLength(1);
  });
});

describe("a role limited to its organisation's listings", () => {
  const editFields = (overrides: Record<string, string> = {}) => submissionFields(overrides).filter(([k]) => !k.startsWith("submitter"));

  it("edits its organisation's listings only, and only the fields its rule names", async () => {
    const town = await directoryTown();
    const ours = await createOrganisation(town, "Maison de quartier");
    const theirs = await createOrganisation(town, "Autre association");
    const mine = await insertInitiative(town.id, { name: "Atelier vélo", status: "published", organisation_id: ours, description: "Avant", address: "1 rue du Port" });
    const other = await insertInitiative(town.id, { name: "Autre atelier", status: "published", organisation_id: theirs, description: "Intact", address: "2 rue du Port" });
    const otherPending = await insertInitiative(town.id, { name: "Pas encore publiée", status: "pending", organisation_id: theirs });
    // A secretary may change the description and the schedule of the association's listings.
    let rules = setCell([], "Initiative", "update", ["organisation"], ["description", "schedule"]);
    rules = setCell(rules, "Initiative", "read", ["organisation"]);
    const secretary = await customRole(town, rules, ours);

    const form = await (await respond(() => editLoader(get(town, `/initiatives/${mine}/modifier`, { cookie: secretary.cookie, params: { id: mine } })))).json();
    expect(form.locked).toContain("name");
    expect(form.locked).not.toContain("description");
    expect(form.photosEditable).toBe(false);

    const saved = await respond(() =>
      editAction(
        post(town, `/initiatives/${mine}/modifier`, editFields({ name: "Nom pirate", description: "Après", schedule: "Le mardi" }), {
          cookie: secretary.cookie,
          params: { id: mine },
        })
      )
    );
    expect(saved.headers.get("location")).toBe(`/initiatives/${mine}/modifier?enregistre=1`);
    // The name posted is ignored: the rule does not name it.
    expect(await listing(town, mine)).toMatchObject({ name: "Atelier vélo", description: "Après", schedule: "Le mardi", address: "1 rue du Port" });
    expect((await revisions(town, mine)).map((r) => r.actor_label)).toEqual([secretary.name]);

    // Another organisation's published listing: seen (everyone reads it), not editable.
    const refused = await respond(() => editAction(post(town, `/initiatives/${other}/modifier`, editFields(), { cookie: secretary.cookie, params: { id: other } })));
    expect(refused.status).toBe(403);
    expect(await listing(town, other)).toMatchObject({ name: "Autre atelier", description: "Intact" });
    // Another organisation's listing the secretary may not even read: not found.
    expect(await status(() => editLoader(get(town, `/initiatives/${otherPending}/modifier`, { cookie: secretary.cookie, params: { id: otherPending } })))).toBe(404);

    // The listing page offers editing where the rule allows it, not elsewhere.
    const actionsOf = async (id: string) =>
      (await (await respond(() => listingLoader(get(town, `/initiatives/${id}`, { cookie: secretary.cookie, params: { id } })))).json()).actions;
    expect(await actionsOf(mine)).toMatchObject({ edit: true, history: true, moderate: false, claim: false });
    expect(await actionsOf(other)).toMatchObject({ edit: false, history: false });
  });
});

describe("saving an edit", () => {
  it("writes only the columns the rules allow, whatever the form carries", async () => {
    const town = await directoryTown();
    const ours = await createOrganisation(town);
    const id = await insertInitiative(town.id, { name: "Jardin", status: "published", organisation_id: ours, description: "Avant", address: "3 rue du Port" });
    const secretary = await customRole(town, setCell([], "Initiative", "update", ["organisation"], ["description"]), ours);
    const form = new FormData();
    for (const [name, value] of submissionFields({ name: "Nom pirate", description: "Après" })) form.append(name, value);
    await withTenant(town.id, async (tx) => {
      const user = (await getSessionUser(tx, secretary.cookie.split("=")[1]))!;
      const ability = await abilityFor(tx, user);
      const row = (await readInitiative(tx, id))!;
      const { context } = await listingFormSetup(tx, await requireTenant(get(town, "/").request), "fr");
      // No field shown as locked: the columns kept by the rules are the last guard.
      const scope = { locked: [], photos: false, restrict: (columns: ContentColumns) => pickPermittedFields(ability, "update", "Initiative", columns, row) };
      expect(await applyListingEdit(tx, id, form, context, { userId: user.id, label: "Secrétaire" }, "edited", {}, scope)).toEqual({ ok: true });
    });
    expect(await listing(town, id)).toMatchObject({ name: "Jardin", description: "Après", address: "3 rue du Port" });
  });
});

describe("read rules decide what the list, the map and a listing's page show", () => {
  it("a town that closes its directory to the public, and a role that reads its neighbourhood only", async () => {
    const town = await directoryTown();
    const centre = await insertInitiative(town.id, { name: "Au centre", status: "published", neighbourhood: "Centre", latitude: 50.48, longitude: 3.015 });
    const marais = await insertInitiative(town.id, { name: "Au marais", status: "published", neighbourhood: "Marais", latitude: 50.49, longitude: 3.02 });
    const visitorRules = await withTenant(town.id, (tx) => getRoleRules(tx, "visitor"));
    await withTenant(town.id, (tx) => saveRoleRules(tx, "visitor", setCell(visitorRules, "Initiative", "read", [])));

    // Open data is what everyone may read: nothing now, whoever asks.
    const openData = async () => (await (await respond(() => apiLoader(get(town, "/initiatives/api")))).json()).meta.total;
    expect(await openData()).toBe(0);
    const anonymous = await respond(() => listLoader(get(town, "/initiatives")));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/connexion?retour=%2Finitiatives");
    const resident = await signedIn(town.id, ["resident"]);
    expect(await status(() => listLoader(get(town, "/initiatives", { cookie: resident.cookie })))).toBe(403);
    expect(await status(() => listingLoader(get(town, `/initiatives/${centre}`, { cookie: resident.cookie, params: { id: centre } })))).toBe(403);

    const volunteer = await customRole(town, [ruleForChoice("Initiative", "read", "neighbourhood")]);
    await withTenant(town.id, (tx) => tx.updateTable("users").set({ neighbourhood: "Centre" }).where("id", "=", volunteer.userId).execute());
    const list = await (await respond(() => listLoader(get(town, "/initiatives", { cookie: volunteer.cookie })))).json();
    expect(list.result.items.map((i: { name: string }) => i.name)).toEqual(["Au centre"]);
    const map = await (await respond(() => mapDataLoader(get(town, "/initiatives/carte/donnees?bbox=2.98,50.45,3.05,50.51&zoom=19", { cookie: volunteer.cookie })))).json();
    expect(map.features.map((f: { properties: { id: string } }) => f.properties.id)).toEqual([centre]);
    expect(await status(() => listingLoader(get(town, `/initiatives/${centre}`, { cookie: volunteer.cookie, params: { id: centre } })))).toBe(200);
    expect(await status(() => listingLoader(get(town, `/initiatives/${marais}`, { cookie: volunteer.cookie, params: { id: marais } })))).toBe(404);

    // Opening the directory again shows everything to everyone, at once.
    await withTenant(town.id, (tx) => saveRoleRules(tx, "visitor", visitorRules));
    const open = await (await respond(() => listLoader(get(town, "/initiatives")))).json();
    expect(open.result.items.map((i: { name: string }) => i.name)).toEqual(["Au centre", "Au marais"]);
    expect(await openData()).toBe(2);
  });
});
