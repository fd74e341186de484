// The people, invitation and organisation pages of the staff console called as Remix calls
// them: staff only (a resident gets 403 everywhere), the password proven within 15 minutes,
// ids of another town answer 404 and change nothing there, bad input answers 400 with the
// values typed and writes nothing, and the lockout guards answer with a clear message.
import crypto from "node:crypto";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { hashPassword } from "~/core/auth/password.server";
import { createSession } from "~/core/auth/session.server";
import { getArgs, postArgs, respond } from "~/core/auth/testing";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { action as signInAction } from "../connexion";
import { loader as listLoader } from "./personnes._index";
import { action as personAction, loader as personLoader } from "./personnes.$id";
import { action as inviteAction, loader as inviteLoader } from "./personnes.inviter";
import { action as invitationsAction, loader as invitationsLoader } from "./personnes.invitations";
import { action as organisationsAction, loader as organisationsLoader } from "./organisations._index";
import { action as organisationAction, loader as organisationLoader } from "./organisations.$id";

beforeAll(() => {
  delete process.env.SMTP_URL;
});
afterAll(async () => {
  await closeDatabase();
});

const PASSWORD = "Une-phrase-de-passe-solide";
let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

type Account = { id: string; email: string; cookie: string };

async function account(tenant: TestTenant, roles: Array<string | { role: string; organisationId: string }>, name = "Compte"): Promise<Account> {
  const email = `${crypto.randomBytes(4).toString("hex")}@ville.test`;
  return withTenant(tenant.id, async (tx) => {
    const user = await tx
      .insertInto("users")
      .values({ tenant_id: tenant.id, email, display_name: name, password_hash: passwordHash, email_verified_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const grant of roles) {
      const g = typeof grant === "string" ? { role: grant, organisationId: null } : grant;
      await tx.insertInto("user_roles").values({ tenant_id: tenant.id, user_id: user.id, role: g.role, organisation_id: g.organisationId }).execute();
    }
    const cookie = (await createSession(tx, tenant.id, user.id, {})).split(";")[0];
    return { id: user.id, email, cookie };
  });
}

const organisation = (tenant: TestTenant, name: string) =>
  withTenant(tenant.id, async (tx) => (await tx.insertInto("organisations").values({ tenant_id: tenant.id, name }).returning("id").executeTakeFirstOrThrow()).id);

async function invitation(tenant: TestTenant, staff: Account, email: string, role = "repairer") {
  const response = await respond(() => inviteAction(postArgs(tenant, "/admin/personnes/inviter", { email, role, locale: "fr" }, { cookie: staff.cookie })));
  expect(response.status).toBe(302);
  return withTenant(tenant.id, (tx) => tx.selectFrom("invitations").selectAll().where("email", "=", email).orderBy("created_at", "desc").executeTakeFirstOrThrow());
}

const get = (tenant: TestTenant, loader: (args: ReturnType<typeof getArgs>) => Promise<unknown>, path: string, who: Account | null, params: Record<string, string> = {}) =>
  respond(() => loader(getArgs(tenant, path, { cookie: who?.cookie, params })));

const post = (
  tenant: TestTenant,
  action: (args: ReturnType<typeof postArgs>) => Promise<unknown>,
  path: string,
  who: Account | null,
  fields: Record<string, string>,
  params: Record<string, string> = {},
) => respond(() => action({ ...postArgs(tenant, path, fields, { cookie: who?.cookie }), params }));

/** What the app role sees of a town's people, organisations and invitations: to prove nothing changed. */
const snapshot = (tenant: TestTenant) =>
  withTenant(tenant.id, async (tx) => ({
    users: await tx.selectFrom("users").select(["id", "deactivated_at"]).orderBy("id").execute(),
    grants: await tx.selectFrom("user_roles").select(["user_id", "role", "organisation_id"]).orderBy("id").execute(),
    organisations: await tx.selectFrom("organisations").select(["id", "name"]).orderBy("id").execute(),
    invitations: await tx.selectFrom("invitations").select(["id", "revoked_at", "accepted_at"]).orderBy("id").execute(),
    audit: (await tx.selectFrom("audit_log").select("id").execute()).length,
  }));

describe("who may open the people pages", () => {
  it("answers 403 to a resident on every page and every action, sends a visitor to sign in, and writes nothing", async () => {
    const tenant = await createTestTenant();
    const resident = await account(tenant, ["resident"]);
    const target = await account(tenant, ["repairer"]);
    const org = await organisation(tenant, "Club");
    const staff = await account(tenant, ["staff"]);
    const pending = await invitation(tenant, staff, "invitee@ville.test");
    const before = await snapshot(tenant);
    const pages = [
      () => get(tenant, listLoader, "/admin/personnes", resident),
      () => get(tenant, personLoader, `/admin/personnes/${target.id}`, resident, { id: target.id }),
      () => get(tenant, inviteLoader, "/admin/personnes/inviter", resident),
      () => get(tenant, invitationsLoader, "/admin/personnes/invitations", resident),
      () => get(tenant, organisationsLoader, "/admin/organisations", resident),
      () => get(tenant, organisationLoader, `/admin/organisations/${org}`, resident, { id: org }),
      () => post(tenant, personAction, `/admin/personnes/${target.id}`, resident, { intent: "add-role", role: "staff" }, { id: target.id }),
      () => post(tenant, personAction, `/admin/personnes/${target.id}`, resident, { intent: "deactivate" }, { id: target.id }),
      () => post(tenant, inviteAction, "/admin/personnes/inviter", resident, { email: "x@ville.test", role: "staff", locale: "fr" }),
      () => post(tenant, invitationsAction, "/admin/personnes/invitations", resident, { intent: "revoke", id: pending.id }),
      () => post(tenant, organisationsAction, "/admin/organisations", resident, { name: "Nouvelle" }),
      () => post(tenant, organisationAction, `/admin/organisations/${org}`, resident, { name: "Renommée" }, { id: org }),
    ];
    for (const page of pages) expect((await page()).status).toBe(403);
    const visitor = await get(tenant, listLoader, "/admin/personnes", null);
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toBe("/connexion?retour=%2Fadmin%2Fpersonnes");
    expect(await snapshot(tenant)).toEqual(before);
  });

  it("asks staff to confirm their password when the last proof is older than 15 minutes", async () => {
    const tenant = await createTestTenant();
    const staff = await account(tenant, ["staff"]);
    const target = await account(tenant, ["repairer"]);
    await withTenant(tenant.id, (tx) => tx.updateTable("sessions").set({ reauthenticated_at: new Date(Date.now() - 16 * 60_000) }).where("user_id", "=", staff.id).execute());
    const page = await get(tenant, personLoader, `/admin/personnes/${target.id}`, staff, { id: target.id });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe(`/admin/confirmer?retour=${encodeURIComponent(`/admin/personnes/${target.id}`)}`);
    const before = await snapshot(tenant);
    const act = await post(tenant, personAction, `/admin/personnes/${target.id}`, staff, { intent: "deactivate" }, { id: target.id });
    expect(act.headers.get("location")).toMatch(/^\/admin\/confirmer\?retour=/);
    expect(await snapshot(tenant)).toEqual(before);
  });
});

describe("staff of one town and the records of another", () => {
  it("answers 404 for another town's account, organisation and invitation, and changes nothing there", async () => {
    const townA = await createTestTenant();
    const townB = await createTestTenant();
    const staffA = await account(townA, ["staff"]);
    const staffB = await account(townB, ["staff"]);
    const orgB = await organisation(townB, "Club B");
    const personB = await account(townB, ["repairer", { role: "association_member", organisationId: orgB }]);
    const pendingB = await invitation(townB, staffB, "b-invitee@ville.test");
    const grantB = await withTenant(townB.id, (tx) => tx.selectFrom("user_roles").select("id").where("user_id", "=", personB.id).executeTakeFirstOrThrow());
    const before = await snapshot(townB);

    const person = `/admin/personnes/${personB.id}`;
    const onA = [
      () => get(townA, personLoader, person, staffA, { id: personB.id }),
      () => post(townA, personAction, person, staffA, { intent: "add-role", role: "elected" }, { id: personB.id }),
      () => post(townA, personAction, person, staffA, { intent: "remove-role", grantId: grantB.id }, { id: personB.id }),
      () => post(townA, personAction, person, staffA, { intent: "deactivate" }, { id: personB.id }),
      () => post(townA, personAction, person, staffA, { intent: "reactivate" }, { id: personB.id }),
      () => get(townA, organisationLoader, `/admin/organisations/${orgB}`, staffA, { id: orgB }),
      () => post(townA, organisationAction, `/admin/organisations/${orgB}`, staffA, { name: "Pris" }, { id: orgB }),
      () => post(townA, invitationsAction, "/admin/personnes/invitations", staffA, { intent: "revoke", id: pendingB.id }),
      () => post(townA, invitationsAction, "/admin/personnes/invitations", staffA, { intent: "resend", id: pendingB.id, locale: "fr" }),
      () => get(townA, personLoader, "/admin/personnes/pas-un-id", staffA, { id: "pas-un-id" }),
    ];
    for (const page of onA) expect((await page()).status).toBe(404);

    // A grant of town B's account, given through an account of town A, is refused too.
    const personA = await account(townA, []);
    const viaA = await post(townA, personAction, `/admin/personnes/${personA.id}`, staffA, { intent: "remove-role", grantId: grantB.id }, { id: personA.id });
    expect(viaA.status).toBe(404);
    const orgOfB = await post(townA, personAction, `/admin/personnes/${personA.id}`, staffA, { intent: "add-role", role: "association_member", organisationId: orgB }, { id: personA.id });
    expect(orgOfB.status).toBe(400);
    expect((await orgOfB.json()).errors).toEqual({ organisationId: "console-people:errors.unknownOrganisation" });

    const list = await (await get(townA, listLoader, `/admin/personnes?q=${encodeURIComponent(personB.email)}`, staffA)).json();
    expect(list.total).toBe(0);
    const invitationsA = await (await get(townA, invitationsLoader, "/admin/personnes/invitations", staffA)).json();
    expect(invitationsA.invitations).toEqual([]);
    expect(await snapshot(townB)).toEqual(before);
  });
});

describe("/admin/personnes", () => {
  it("searches without accents, filters, and labels roles with their organisation", async () => {
    const tenant = await createTestTenant();
    const staff = await account(tenant, ["staff"], "Agente");
    const org = await organisation(tenant, "Atelier vélo");
    await account(tenant, [{ role: "association_manager", organisationId: org }], "Hélène Réparatrice");
    await account(tenant, ["resident"], "Helene Voisine");
    const page = await get(tenant, listLoader, "/admin/personnes?q=HELENE&role=association_manager", staff);
    expect(page.status).toBe(200);
    const body = await page.json();
    expect(body.people.map((p: { displayName: string }) => p.displayName)).toEqual(["Hélène Réparatrice"]);
    expect(body.people[0].roles).toEqual([{ label: "Responsable d'association", organisationName: "Atelier vélo" }]);
    expect(body.query).toMatchObject({ q: "HELENE", role: "association_manager", tri: "nom", page: 1 });
  });
});

describe("/admin/personnes/:id", () => {
  it("adds a role, answering 400 with the values typed when the organisation is missing", async () => {
    const tenant = await createTestTenant();
    const staff = await account(tenant, ["staff"]);
    const target = await account(tenant, ["resident"]);
    const org = await organisation(tenant, "Club");
    const path = `/admin/personnes/${target.id}`;
    const before = await snapshot(tenant);
    const missing = await post(tenant, personAction, path, staff, { intent: "add-role", role: "association_member", organisationId: "" }, { id: target.id });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      intent: "add-role",
      errors: { organisationId: "console-people:errors.organisationRequired" },
      values: { role: "association_member", organisationId: "" },
    });
    const none = await post(tenant, personAction, path, staff, { intent: "add-role", role: "" }, { id: target.id });
    expect((await none.json()).errors).toEqual({ role: "console-people:errors.roleRequired" });
    expect(await snapshot(tenant)).toEqual(before);

    const added = await post(tenant, personAction, path, staff, { intent: "add-role", role: "association_member", organisationId: org }, { id: target.id });
    expect(added.headers.get("location")).toBe(`${path}?ok=roleAdded`);
    const page = await (await get(tenant, personLoader, path, staff, { id: target.id })).json();
    expect(page.person.roles.map((r: { label: string; organisationName: string | null }) => [r.label, r.organisationName])).toEqual([
      ["Habitant·e", null],
      ["Membre d'association", "Club"],
    ]);
    expect(page.person.totpEnabledAt).toBeNull();
    expect(page.roles.find((r: { value: string }) => r.value === "association_member")).toEqual({ value: "association_member", label: "Membre d'association", needsOrganisation: true });
  });

  it("refuses, with the reason, removing one's own staff role or deactivating oneself", async () => {
    const tenant = await createTestTenant();
    const staff = await account(tenant, ["staff"]);
    await account(tenant, ["staff"]);
    const path = `/admin/personnes/${staff.id}`;
    const page = await (await get(tenant, personLoader, path, staff, { id: staff.id })).json();
    expect(page.isSelf).toBe(true);
    const before = await snapshot(tenant);
    const own = await post(tenant, personAction, path, staff, { intent: "remove-role", grantId: page.person.roles[0].id }, { id: staff.id });
    expect(own.status).toBe(400);
    expect((await own.json()).errors).toEqual({ _form: "console-people:errors.ownStaffRole" });
    const self = await post(tenant, personAction, path, staff, { intent: "deactivate" }, { id: staff.id });
    expect((await self.json()).errors).toEqual({ _form: "console-people:errors.deactivateSelf" });
    expect(await snapshot(tenant)).toEqual(before);
  });

  it("deactivates an account, which can no longer sign in, and reactivates it", async () => {
    const tenant = await createTestTenant();
    const staff = await account(tenant, ["staff"]);
    const target = await account(tenant, ["repairer"]);
    const path = `/admin/personnes/${target.id}`;
    const done = await post(tenant, personAction, path, staff, { intent: "deactivate" }, { id: target.id });
    expect(done.headers.get("location")).toBe(`${path}?ok=deactivated`);
    // Their open session is worth nothing any more…
    expect((await get(tenant, listLoader, "/", target)).status).toBe(302);
    // …and signing in is refused with the reason.
    const signIn = await respond(() => signInAction(postArgs(tenant, "/connexion", { email: target.email, password: PASSWORD })));
    expect(signIn.status).toBe(400);
    expect((await signIn.json()).message).toBe("Ce compte a été désactivé. Pour en savoir plus, contactez la mairie.");
    const again = await post(tenant, personAction, path, staff, { intent: "reactivate" }, { id: target.id });
    expect(again.headers.get("location")).toBe(`${path}?ok=reactivated`);
    const back = await respond(() => signInAction(postArgs(tenant, "/connexion", { email: target.email, password: PASSWORD })));
    expect(back.status).toBe(302);
  });
});

describe("invitations pages", () => {
  it("invites by email (400 with the values on bad input), lists, revokes and sends again with a new link", async () => {
    const tenant = await createTestTenant();
    const staff = await account(tenant, ["staff"]);
    const before = await snapshot(tenant);
    const bad = await post(tenant, inviteAction, "/admin/personnes/inviter", staff, { email: "pas-une-adresse", role: "repairer", locale: "de" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      errors: { email: "console-people:invite.errors.emailInvalid", locale: "console-people:invite.errors.locale" },
      values: { email: "pas-une-adresse", role: "repairer", locale: "de" },
    });
    expect(await snapshot(tenant)).toEqual(before);

    const form = await (await get(tenant, inviteLoader, "/admin/personnes/inviter", staff)).json();
    expect(form).toMatchObject({ days: 7, locales: ["fr", "en"], defaultLocale: "fr" });
    const sent = await post(tenant, inviteAction, "/admin/personnes/inviter", staff, { email: "Nouvelle@Ville.test", role: "repairer", locale: "fr" });
    expect(sent.headers.get("location")).toBe("/admin/personnes/invitations?ok=sent&email=nouvelle%40ville.test");
    const mail = await withTenant(tenant.id, (tx) => tx.selectFrom("outbox_emails").selectAll().where("to_address", "=", "nouvelle@ville.test").executeTakeFirstOrThrow());
    expect(mail.text_body).toContain(`http://${tenant.host}/invitation?token=`);
    expect(mail.text_body).toContain("« Réparateur·rice »");

    const list = await (await get(tenant, invitationsLoader, "/admin/personnes/invitations?statut=pending", staff)).json();
    expect(list.invitations).toEqual([expect.objectContaining({ email: "nouvelle@ville.test", roleLabel: "Réparateur·rice", status: "pending" })]);
    const id = list.invitations[0].id;
    const resent = await post(tenant, invitationsAction, "/admin/personnes/invitations", staff, { intent: "resend", id, locale: "en" });
    expect(resent.headers.get("location")).toBe("/admin/personnes/invitations?ok=resent");
    const rows = await withTenant(tenant.id, (tx) => tx.selectFrom("invitations").select(["id", "revoked_at"]).orderBy("created_at").execute());
    expect(rows).toHaveLength(2);
    expect(rows[0].revoked_at).not.toBeNull();
    const revoked = await post(tenant, invitationsAction, "/admin/personnes/invitations", staff, { intent: "revoke", id: rows[1].id });
    expect(revoked.headers.get("location")).toBe("/admin/personnes/invitations?ok=revoked");
    const twice = await post(tenant, invitationsAction, "/admin/personnes/invitations", staff, { intent: "revoke", id: rows[1].id });
    expect(twice.status).toBe(400);
    expect((await twice.json()).errors).toEqual({ _form: "console-people:invitations.errors.notPending" });
  });

  it("explains that an address with an account gets the role on its account, and links to it", async () => {
    const tenant = await createTestTenant();
    const staff = await account(tenant, ["staff"]);
    const resident = await account(tenant, ["resident"], "Camille");
    const sent = await post(tenant, inviteAction, "/admin/personnes/inviter", staff, { email: resident.email, role: "elected", locale: "fr" });
    const location = sent.headers.get("location")!;
    expect(location).toContain("ok=sentToAccount");
    const page = await (await get(tenant, invitationsLoader, location, staff)).json();
    expect(page.account).toEqual({ id: resident.id, displayName: "Camille" });
  });
});

describe("/admin/organisations", () => {
  it("creates and renames, refusing a duplicate name with a translated error and the value typed", async () => {
    const tenant = await createTestTenant();
    const staff = await account(tenant, ["staff"]);
    const created = await post(tenant, organisationsAction, "/admin/organisations", staff, { name: "  Repair café  " });
    expect(created.headers.get("location")).toBe("/admin/organisations?ok=created&nom=Repair%20caf%C3%A9");
    const empty = await post(tenant, organisationsAction, "/admin/organisations", staff, { name: " " });
    expect((await empty.json()).errors).toEqual({ name: "console-people:organisations.errors.nameRequired" });
    const duplicate = await post(tenant, organisationsAction, "/admin/organisations", staff, { name: "REPAIR CAFE" });
    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toEqual({ errors: { name: "console-people:organisations.errors.nameTaken" }, values: { name: "REPAIR CAFE" } });

    const list = await (await get(tenant, organisationsLoader, "/admin/organisations", staff)).json();
    expect(list.organisations.map((o: { name: string; members: number }) => [o.name, o.members])).toEqual([["Repair café", 0]]);
    const id = list.organisations[0].id;
    const other = await organisation(tenant, "Jardin");
    const taken = await post(tenant, organisationAction, `/admin/organisations/${other}`, staff, { name: "repair café" }, { id: other });
    expect(taken.status).toBe(400);
    const renamed = await post(tenant, organisationAction, `/admin/organisations/${id}`, staff, { name: "Repair café du centre" }, { id });
    expect(renamed.headers.get("location")).toBe(`/admin/organisations/${id}?ok=renamed`);
    const page = await (await get(tenant, organisationLoader, `/admin/organisations/${id}`, staff, { id })).json();
    expect(page.organisation.name).toBe("Repair café du centre");
  });
});
