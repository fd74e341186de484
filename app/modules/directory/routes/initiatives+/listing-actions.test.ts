// The listing page offers each visitor the actions the pages behind them would allow:
// claiming an unclaimed listing (association managers), editing and the history (the
// listing's managers, staff), the manager's space (association managers).
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { closeDatabase } from "~/core/db/db.server";
import { i18nFor } from "~/core/i18n/i18n.server";
import { testContext } from "../../../../../db/test/routes";
import { createOrganisation, directoryTown, get, insertInitiative, manager, respond, signedIn, staffMember } from "../../test/moderation-fixtures";
import ListingPage, { loader as listingLoader } from "./$id";
import { loader as claimLoader } from "./$id_.revendiquer";
import { loader as editLoader } from "./$id_.modifier";
import { loader as historyLoader } from "./$id_.historique";

afterAll(closeDatabase);

/** The listing page's HTML for the visitor holding `cookie`. */
async function renderListing(host: string, id: string, cookie: string) {
  const context = testContext();
  const handler = createStaticHandler([
    { id: "page", path: "/initiatives/:id", loader: (args) => listingLoader({ request: args.request, params: args.params, context }) as Promise<Response>, Component: ListingPage },
  ]);
  const state = await handler.query(new Request(`http://${host}/initiatives/${id}`, { headers: { host, cookie } }));
  if (state instanceof Response) throw state;
  if (state.errors) throw Object.values(state.errors)[0];
  return renderToString(
    createElement(I18nextProvider, { i18n: i18nFor("fr") }, createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, state), context: state, hydrate: false })),
  );
}

describe("the listing page's actions", () => {
  it("depend on who is signed in and on whether the listing is claimed", async () => {
    const town = await directoryTown();
    const ours = await createOrganisation(town, "Les Tilleuls");
    const theirs = await createOrganisation(town, "Les Peupliers");
    const boss = await manager(town, ours, "boss@example.org");
    const other = await manager(town, theirs, "other@example.org");
    const staff = await staffMember(town);
    const resident = await signedIn(town.id, ["resident"], "Habitante");
    const unclaimed = await insertInitiative(town.id, { name: "Sans association" });
    const claimed = await insertInitiative(town.id, { name: "Aux Tilleuls", organisation_id: ours });

    const actionsOf = async (id: string, cookie?: string) => {
      const response = await respond(() => listingLoader(get(town, `/initiatives/${id}`, { cookie, params: { id } })));
      expect(response.status).toBe(200);
      return (await response.json()).actions;
    };
    const none = { claim: false, edit: false, history: false, moderate: false, mySpace: false };

    expect(await actionsOf(unclaimed)).toEqual(none);
    expect(await actionsOf(unclaimed, resident.cookie)).toEqual(none);
    expect(await actionsOf(claimed, resident.cookie)).toEqual(none);
    expect(await actionsOf(unclaimed, boss.cookie)).toEqual({ ...none, claim: true, mySpace: true });
    expect(await actionsOf(claimed, boss.cookie)).toEqual({ ...none, edit: true, history: true, mySpace: true });
    // Another organisation's listing: neither claimed from the page nor editable.
    expect(await actionsOf(claimed, other.cookie)).toEqual({ ...none, mySpace: true });
    expect(await actionsOf(unclaimed, staff.cookie)).toEqual({ ...none, edit: true, history: true, moderate: true });
    expect(await actionsOf(claimed, staff.cookie)).toEqual({ ...none, edit: true, history: true, moderate: true });

    const bossPage = await renderListing(town.host, unclaimed, boss.cookie);
    expect(bossPage).toContain(`href="/initiatives/${unclaimed}/revendiquer"`);
    expect(bossPage).toContain("Revendiquer cette fiche");
    expect(bossPage).toContain('href="/initiatives/mon-espace"');
    expect(bossPage).not.toContain("/modifier");
    const staffPage = await renderListing(town.host, claimed, staff.cookie);
    expect(staffPage).toContain(`href="/initiatives/${claimed}/modifier"`);
    expect(staffPage).toContain(`href="/initiatives/${claimed}/historique"`);
    expect(staffPage).toContain("Historique des modifications");
    expect(staffPage).toContain(`href="/initiatives/gestion/moderation/${claimed}"`);
    expect(staffPage).not.toContain("/revendiquer");

    // Every link offered leads to a page that lets the visitor in.
    const ok = async (run: () => Promise<unknown>) => (await respond(run)).status;
    expect(await ok(() => claimLoader(get(town, `/initiatives/${unclaimed}/revendiquer`, { cookie: boss.cookie, params: { id: unclaimed } })))).toBe(200);
    expect(await ok(() => editLoader(get(town, `/initiatives/${claimed}/modifier`, { cookie: boss.cookie, params: { id: claimed } })))).toBe(200);
    expect(await ok(() => historyLoader(get(town, `/initiatives/${claimed}/historique`, { cookie: boss.cookie, params: { id: claimed } })))).toBe(200);
    expect(await ok(() => editLoader(get(town, `/initiatives/${claimed}/modifier`, { cookie: other.cookie, params: { id: claimed } })))).toBe(403);
  });
});
