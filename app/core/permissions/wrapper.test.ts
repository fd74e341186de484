// Enforcement through the one wrapper: the ability comes from the tenant's stored rules,
// refusals answer 403 with a translated explanation, a visitor is sent to sign in, and a
// record the user may not see answers 404.
import { json } from "@remix-run/node";
import { getArgs, postArgs, respond } from "~/core/auth/testing";
import { sessionCookieName } from "~/core/auth/session.server";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { setCell } from "./choices.server";
import { getRoleRules, saveRoleRules } from "./rules.server";
import { accessibleWhere } from "./sql.server";
import { createListings, createOrganisation, signedInUser } from "./testing";

afterAll(async () => {
  await closeDatabase();
});

const cookie = (user: { token: string }) => `${sessionCookieName()}=${user.token}`;

const moderationPage = tenantLoader(async ({ ability }) => json({ canModerate: (await ability()).can("moderate", "Initiative") }), {
  module: "directory",
  can: { action: "moderate", subject: "Initiative" },
});

// A listing page as a module would write it: the read is filtered by the ability, so a
// listing the user may not see is "not found", and editing checks the record itself.
const listingPage = tenantLoader(
  async ({ tx, params, ability }) => {
    const listing = await tx
      .selectFrom("directory_initiatives as i")
      .select(["i.id", "i.name", "i.status", "i.organisation_id"])
      .where("i.id", "=", params.id!)
      .where(accessibleWhere(await ability(), "read", "Initiative", { columns: { status: "i.status", organisation_id: "i.organisation_id" } }))
      .executeTakeFirst();
    if (!listing) notFound();
    return json({ name: listing.name });
  },
  { module: "directory" },
);

const editListing = tenantAction(
  async ({ tx, params, authorize }) => {
    const listing = await tx.selectFrom("directory_initiatives").select(["id", "status", "organisation_id"]).where("id", "=", params.id!).executeTakeFirstOrThrow();
    await authorize("update", "Initiative", listing);
    return json({ ok: true });
  },
  { module: "directory" },
);

let town: TestTenant;
let ids: Record<string, string>;
let orgA: string;
beforeAll(async () => {
  town = await createTestTenant({ modules: { directory: {} } });
  orgA = await createOrganisation(town, "Association A");
  const orgB = await createOrganisation(town, "Association B");
  ids = await createListings(town, [
    { name: "published-A", status: "published", organisationId: orgA },
    { name: "pending-A", status: "pending", organisationId: orgA },
    { name: "pending-B", status: "pending", organisationId: orgB },
  ]);
});

describe("the wrapper's `can` option", () => {
  it("sends a visitor to sign in, refuses a resident with 403 and an explanation, lets staff in", async () => {
    const visitor = await respond(() => moderationPage(getArgs(town, "/initiatives/gestion")));
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toBe("/connexion?retour=%2Finitiatives%2Fgestion");

    const resident = await signedInUser(town, [{ role: "resident" }]);
    const refused = await respond(() => moderationPage(getArgs(town, "/initiatives/gestion", { cookie: cookie(resident) })));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      reason: "forbidden",
      message: "Votre rôle ne vous autorise pas à modérer les initiatives. Si vous pensez que c'est une erreur, contactez la mairie.",
    });

    const staff = await signedInUser(town, [{ role: "staff" }]);
    const allowed = await respond(() => moderationPage(getArgs(town, "/initiatives/gestion", { cookie: cookie(staff) })));
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ canModerate: true });
  });

  it("follows the rules the town stored, not the code's defaults", async () => {
    const elected = await signedInUser(town, [{ role: "elected" }]);
    const before = await respond(() => moderationPage(getArgs(town, "/initiatives/gestion", { cookie: cookie(elected) })));
    expect(before.status).toBe(403);
    await withTenant(town.id, async (tx) => saveRoleRules(tx, "elected", setCell(await getRoleRules(tx, "elected"), "Initiative", "moderate", ["any"])));
    const after = await respond(() => moderationPage(getArgs(town, "/initiatives/gestion", { cookie: cookie(elected) })));
    expect(after.status).toBe(200);
    await withTenant(town.id, (tx) => saveRoleRules(tx, "elected", []));
    const revoked = await respond(() => moderationPage(getArgs(town, "/initiatives/gestion", { cookie: cookie(elected) })));
    expect(revoked.status).toBe(403);
  });
});

describe("records the user may not see, or not change", () => {
  it("answers 404 for a listing outside the user's read rules, 200 inside them", async () => {
    const view = (id: string, options: { cookie?: string } = {}) => respond(() => listingPage(getArgs(town, `/initiatives/${id}`, { ...options, params: { id } })));
    expect((await view(ids["published-A"])).status).toBe(200);
    expect((await view(ids["pending-A"])).status).toBe(404);
    const manager = await signedInUser(town, [{ role: "association_manager", organisationId: orgA }]);
    expect((await view(ids["pending-A"], { cookie: cookie(manager) })).status).toBe(200);
    expect((await view(ids["pending-B"], { cookie: cookie(manager) })).status).toBe(404);
  });

  it("answers 403 with an explanation when the rules do not allow changing this record", async () => {
    const manager = await signedInUser(town, [{ role: "association_manager", organisationId: orgA }]);
    const edit = (id: string) => respond(() => editListing({ ...postArgs(town, `/initiatives/${id}/modifier`, {}, { cookie: cookie(manager) }), params: { id } }));
    expect((await edit(ids["pending-A"])).status).toBe(200);
    const refused = await edit(ids["pending-B"]);
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toMatch(/^Votre rôle ne vous autorise pas à modifier les initiatives\./);
  });
});
