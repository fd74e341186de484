// The staff console's people, organisations and invitations against the real database, as
// the app role sees them: the search folds accents, filters and pages hold, every change is
// audited (without secrets), refused changes write nothing, and the lockout guards hold even
// when two staff members act at the same moment.
import crypto from "node:crypto";
import { createTestTenant, type TestTenant } from "../../db/test/helpers";
import { signIn } from "./auth/accounts.server";
import { acceptAsSignedInUser, checkInvitation } from "./auth/invitations.server";
import { hashPassword } from "./auth/password.server";
import { createSession, getSessionUser } from "./auth/session.server";
import { inTenant, townName } from "./auth/testing";
import { closeDatabase, withTenant } from "./db/db.server";
import { tFor } from "./i18n/i18n.server";
import {
  addPersonRole,
  createOrganisation,
  deactivatePerson,
  getPerson,
  inviteToTown,
  listOrganisations,
  listPeople,
  peopleQueryFrom,
  PeopleError,
  PEOPLE_PAGE_SIZE,
  reactivatePerson,
  removePersonRole,
  renameOrganisation,
  resendInvitation,
  revokeInvitation,
  type Actor,
  type PeopleQuery,
} from "./people.server";

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

type Seed = { name: string; email?: string; roles?: Array<string | { role: string; organisationId: string }>; deactivated?: boolean; verified?: boolean; createdAt?: Date };

async function person(tenant: TestTenant, seed: Seed): Promise<Actor & { token: string }> {
  const email = seed.email ?? `${crypto.randomBytes(4).toString("hex")}@ville.test`;
  return withTenant(tenant.id, async (tx) => {
    const user = await tx
      .insertInto("users")
      .values({
        tenant_id: tenant.id,
        email,
        display_name: seed.name,
        password_hash: passwordHash,
        email_verified_at: seed.verified === false ? null : new Date(),
        deactivated_at: seed.deactivated ? new Date() : null,
        ...(seed.createdAt ? { created_at: seed.createdAt } : {}),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const grant of seed.roles ?? []) {
      const g = typeof grant === "string" ? { role: grant, organisationId: null } : grant;
      await tx.insertInto("user_roles").values({ tenant_id: tenant.id, user_id: user.id, role: g.role, organisation_id: g.organisationId }).execute();
    }
    const token = (await createSession(tx, tenant.id, user.id, {})).split(";")[0].split("=")[1];
    return { id: user.id, email, displayName: seed.name, token };
  });
}

async function organisation(tenant: TestTenant, name: string) {
  return withTenant(tenant.id, async (tx) => (await tx.insertInto("organisations").values({ tenant_id: tenant.id, name }).returning("id").executeTakeFirstOrThrow()).id);
}

const query = (q: Partial<PeopleQuery> = {}): PeopleQuery => ({ ...peopleQueryFrom(new URLSearchParams()), ...q });
const names = (tenant: TestTenant, q: Partial<PeopleQuery>) => withTenant(tenant.id, async (tx) => (await listPeople(tx, query(q))).people.map((p) => p.displayName));

const auditOf = (tenant: TestTenant, action: string) =>
  withTenant(tenant.id, (tx) => tx.selectFrom("audit_log").selectAll().where("action", "=", action).orderBy("occurred_at").execute());

async function refusal(run: Promise<unknown>): Promise<PeopleError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PeopleError);
  return error as PeopleError;
}

const grantsOf = (tenant: TestTenant, userId: string) =>
  withTenant(tenant.id, async (tx) =>
    (await tx.selectFrom("user_roles").select(["role", "organisation_id"]).where("user_id", "=", userId).orderBy("role").execute()).map(
      (g) => `${g.role}${g.organisation_id ? `@${g.organisation_id}` : ""}`,
    ),
  );

describe("the list of accounts", () => {
  it("finds names and addresses whatever the accents and the case, and treats % and _ as text", async () => {
    const tenant = await createTestTenant();
    await person(tenant, { name: "Éléonore Dupré", email: "e.dupre@ville.test" });
    await person(tenant, { name: "ELEONORE Martin", email: "martin@ville.test" });
    await person(tenant, { name: "Zoé Ça", email: "zoe_100@ville.test" });
    expect((await names(tenant, { q: "eleonore" })).sort()).toEqual(["ELEONORE Martin", "Éléonore Dupré"].sort());
    expect(await names(tenant, { q: "DUPRÉ" })).toEqual(["Éléonore Dupré"]);
    expect(await names(tenant, { q: "zoe ca" })).toEqual(["Zoé Ça"]);
    expect(await names(tenant, { q: "MARTIN@VILLE" })).toEqual(["ELEONORE Martin"]);
    expect(await names(tenant, { q: "%" })).toEqual([]);
    expect(await names(tenant, { q: "e_1" })).toEqual(["Zoé Ça"]);
    expect(await names(tenant, { q: "o_d" })).toEqual([]);
  });

  it("filters by role and status, sorts by name or creation, and shows roles with organisations and the last activity", async () => {
    const tenant = await createTestTenant();
    const workshop = await organisation(tenant, "Atelier vélo");
    const day = (n: number) => new Date(Date.UTC(2025, 0, n));
    await person(tenant, { name: "Bernard", roles: ["resident"], createdAt: day(3) });
    const alice = await person(tenant, { name: "alice", roles: ["repairer", { role: "association_member", organisationId: workshop }], createdAt: day(1) });
    await person(tenant, { name: "Chloé", roles: ["repairer"], deactivated: true, createdAt: day(2) });
    await person(tenant, { name: "Damien", verified: false, createdAt: day(4) });

    expect(await names(tenant, { tri: "nom" })).toEqual(["alice", "Bernard", "Chloé", "Damien"]);
    expect(await names(tenant, { tri: "nom-desc" })).toEqual(["Damien", "Chloé", "Bernard", "alice"]);
    expect(await names(tenant, { tri: "recent" })).toEqual(["Damien", "Bernard", "Chloé", "alice"]);
    expect(await names(tenant, { tri: "ancien" })).toEqual(["alice", "Chloé", "Bernard", "Damien"]);
    expect(await names(tenant, { role: "repairer" })).toEqual(["alice", "Chloé"]);
    expect(await names(tenant, { role: "repairer", statut: "actif" })).toEqual(["alice"]);
    expect(await names(tenant, { statut: "desactive" })).toEqual(["Chloé"]);
    expect(await names(tenant, { statut: "non-verifie" })).toEqual(["Damien"]);

    const seen = new Date(Date.UTC(2025, 5, 1, 12));
    await withTenant(tenant.id, (tx) => tx.updateTable("sessions").set({ last_seen_at: seen }).where("user_id", "=", alice.id).execute());
    const row = await withTenant(tenant.id, async (tx) => (await listPeople(tx, query({ q: "alice" }))).people[0]);
    expect(row.lastSeenAt?.toISOString()).toBe(seen.toISOString());
    expect(row.roles).toEqual(
      expect.arrayContaining([
        { role: "repairer", organisationName: null },
        { role: "association_member", organisationName: "Atelier vélo" },
      ]),
    );
  });

  it("pages 25 accounts at a time and brings a page past the end back to the last one", async () => {
    const tenant = await createTestTenant();
    for (let i = 0; i < PEOPLE_PAGE_SIZE + 5; i++) await person(tenant, { name: `Personne ${String(i).padStart(2, "0")}` });
    const first = await withTenant(tenant.id, (tx) => listPeople(tx, query()));
    expect(first).toMatchObject({ total: 30, page: 1, pageCount: 2 });
    expect(first.people).toHaveLength(25);
    const last = await withTenant(tenant.id, (tx) => listPeople(tx, query({ page: 9 })));
    expect(last.page).toBe(2);
    expect(last.people.map((p) => p.displayName)).toEqual(["Personne 25", "Personne 26", "Personne 27", "Personne 28", "Personne 29"]);
  });

  it("reads parameters leniently", () => {
    expect(peopleQueryFrom(new URLSearchParams("tri=drop+table&statut=x&page=-3&role=Robert');"))).toEqual({ q: "", role: "", statut: "", tri: "nom", page: 1 });
  });
});

describe("roles", () => {
  it("requires an existing organisation of this town for association roles, writing nothing otherwise", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const elsewhere = await organisation(other, "Ailleurs");
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    const target = await person(tenant, { name: "Cible" });
    const attempt = (input: { role: string; organisationId?: string }) =>
      withTenant(tenant.id, async (tx) => addPersonRole(tx, staff, (await getPerson(tx, target.id))!, input));
    expect(await refusal(attempt({ role: "association_manager" }))).toMatchObject({ key: "console-people:errors.organisationRequired", field: "organisationId" });
    expect(await refusal(attempt({ role: "association_manager", organisationId: elsewhere }))).toMatchObject({
      key: "console-people:errors.unknownOrganisation",
      field: "organisationId",
    });
    expect(await refusal(attempt({ role: "no_such_role" }))).toMatchObject({ key: "console-people:errors.unknownRole", field: "role" });
    expect(await grantsOf(tenant, target.id)).toEqual([]);
    expect(await auditOf(tenant, "person.role.add")).toEqual([]);

    const club = await organisation(tenant, "Club");
    expect(await attempt({ role: "association_manager", organisationId: club })).toEqual({ created: true });
    expect(await attempt({ role: "association_manager", organisationId: club })).toEqual({ created: false });
    // A role that takes no organisation ignores one sent by a form without JavaScript.
    expect(await attempt({ role: "elected", organisationId: club })).toEqual({ created: true });
    expect(await grantsOf(tenant, target.id)).toEqual([`association_manager@${club}`, "elected"]);
    const audit = await auditOf(tenant, "person.role.add");
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      actor_kind: "staff",
      actor_id: staff.id,
      subject_type: "user",
      subject_id: target.id,
      before: null,
      after: { email: target.email, role: "association_manager", organisationId: club, organisationName: "Club" },
    });
  });

  it("removes a grant by its id, audited; a grant of someone else is not found", async () => {
    const tenant = await createTestTenant();
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    const target = await person(tenant, { name: "Cible", roles: ["repairer"] });
    const bystander = await person(tenant, { name: "Autre", roles: ["elected"] });
    const result = await withTenant(tenant.id, async (tx) => {
      const other = (await getPerson(tx, bystander.id))!;
      const p = (await getPerson(tx, target.id))!;
      return { foreign: await removePersonRole(tx, staff, p, other.roles[0].id), own: await removePersonRole(tx, staff, p, p.roles[0].id) };
    });
    expect(result).toEqual({ foreign: null, own: { removed: true } });
    expect(await grantsOf(tenant, target.id)).toEqual([]);
    expect(await grantsOf(tenant, bystander.id)).toEqual(["elected"]);
    expect((await auditOf(tenant, "person.role.remove"))[0]).toMatchObject({ subject_id: target.id, before: { role: "repairer", email: target.email }, after: null });
  });
});

describe("lockout guards", () => {
  it("refuses deactivating oneself and removing one's own staff role", async () => {
    const tenant = await createTestTenant();
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    await person(tenant, { name: "Collègue", roles: ["staff"] });
    const me = () => withTenant(tenant.id, async (tx) => (await getPerson(tx, staff.id))!);
    expect((await refusal(withTenant(tenant.id, async (tx) => deactivatePerson(tx, staff, (await getPerson(tx, staff.id))!)))).key).toBe(
      "console-people:errors.deactivateSelf",
    );
    const staffGrant = (await me()).roles[0].id;
    expect((await refusal(withTenant(tenant.id, async (tx) => removePersonRole(tx, staff, (await getPerson(tx, staff.id))!, staffGrant)))).key).toBe(
      "console-people:errors.ownStaffRole",
    );
    expect((await me()).deactivatedAt).toBeNull();
    expect(await grantsOf(tenant, staff.id)).toEqual(["staff"]);
  });

  it("never deactivates nor takes staff from the last active staff account, deactivated colleagues not counting", async () => {
    const tenant = await createTestTenant();
    const last = await person(tenant, { name: "Dernière", roles: ["staff"] });
    await person(tenant, { name: "Partie", roles: ["staff"], deactivated: true });
    // The console lets staff only in; the functions guard whoever calls them.
    const outsider = await person(tenant, { name: "Quelqu'un" });
    const target = () => withTenant(tenant.id, async (tx) => (await getPerson(tx, last.id))!);
    const grant = (await target()).roles[0].id;
    expect((await refusal(withTenant(tenant.id, async (tx) => deactivatePerson(tx, outsider, (await getPerson(tx, last.id))!)))).key).toBe(
      "console-people:errors.lastStaff",
    );
    expect((await refusal(withTenant(tenant.id, async (tx) => removePersonRole(tx, outsider, (await getPerson(tx, last.id))!, grant)))).key).toBe(
      "console-people:errors.lastStaff",
    );
    expect((await target()).deactivatedAt).toBeNull();
    expect(await grantsOf(tenant, last.id)).toEqual(["staff"]);
  });

  it("lets only one of two staff members deactivating each other at the same moment succeed", async () => {
    const tenant = await createTestTenant();
    const a = await person(tenant, { name: "A", roles: ["staff"] });
    const b = await person(tenant, { name: "B", roles: ["staff"] });
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => (releaseFirst = r));
    let firstDone!: () => void;
    const firstDeactivated = new Promise<void>((r) => (firstDone = r));
    const first = withTenant(tenant.id, async (tx) => {
      await deactivatePerson(tx, a, (await getPerson(tx, b.id))!);
      firstDone();
      await firstMayCommit;
    });
    await firstDeactivated;
    // Both read the other as active staff before either commits.
    const second = withTenant(tenant.id, async (tx) => deactivatePerson(tx, b, (await getPerson(tx, a.id))!));
    await new Promise((r) => setTimeout(r, 200));
    releaseFirst();
    await first;
    expect((await refusal(second)).key).toBe("console-people:errors.lastStaff");
    const states = await withTenant(tenant.id, async (tx) => [(await getPerson(tx, a.id))!.deactivatedAt, (await getPerson(tx, b.id))!.deactivatedAt]);
    expect(states[0]).toBeNull();
    expect(states[1]).not.toBeNull();
  });
});

describe("deactivation", () => {
  it("ends every session and refuses sign-in until reactivated, audited both ways", async () => {
    const tenant = await createTestTenant();
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    const target = await person(tenant, { name: "Cible", roles: ["repairer"] });
    const meta = { ip: "203.0.113.5", userAgent: null };
    await withTenant(tenant.id, async (tx) => expect(await getSessionUser(tx, target.token)).not.toBeNull());
    expect(await withTenant(tenant.id, async (tx) => deactivatePerson(tx, staff, (await getPerson(tx, target.id))!))).toEqual({ changed: true });
    await withTenant(tenant.id, async (tx) => expect(await getSessionUser(tx, target.token)).toBeNull());
    const open = await withTenant(tenant.id, (tx) => tx.selectFrom("sessions").select("id").where("user_id", "=", target.id).where("revoked_at", "is", null).execute());
    expect(open).toEqual([]);
    const refused = await inTenant(tenant, (env) => signIn(env, { email: target.email, password: PASSWORD }, meta));
    expect(refused).toEqual({ ok: false, reason: "deactivated" });
    expect(await withTenant(tenant.id, async (tx) => deactivatePerson(tx, staff, (await getPerson(tx, target.id))!))).toEqual({ changed: false });

    expect(await withTenant(tenant.id, async (tx) => reactivatePerson(tx, staff, (await getPerson(tx, target.id))!))).toEqual({ changed: true });
    const accepted = await inTenant(tenant, (env) => signIn(env, { email: target.email, password: PASSWORD }, meta));
    expect(accepted.ok).toBe(true);
    const [deactivation] = await auditOf(tenant, "person.deactivate");
    expect(deactivation).toMatchObject({ subject_id: target.id, before: { deactivatedAt: null, openSessions: 1 }, after: { openSessions: 0 } });
    expect(await auditOf(tenant, "person.reactivate")).toHaveLength(1);
  });
});

describe("organisations", () => {
  it("creates, counts members, and refuses a name the town already uses whatever the case and accents", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    await organisation(other, "Atelier Vélo");
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    const created = await withTenant(tenant.id, (tx) => createOrganisation(tx, staff, "Atelier Vélo"));
    expect(created.ok).toBe(true);
    const id = (created as { id: string }).id;
    const duplicate = await withTenant(tenant.id, (tx) => createOrganisation(tx, staff, "atelier velo"));
    expect(duplicate).toEqual({ ok: false, errors: { name: "console-people:organisations.errors.nameTaken" } });
    await person(tenant, { name: "Membre", roles: [{ role: "association_member", organisationId: id }, { role: "association_manager", organisationId: id }] });
    const list = await withTenant(tenant.id, (tx) => listOrganisations(tx));
    expect(list.map((o) => [o.name, o.members])).toEqual([["Atelier Vélo", 1]]);
    expect(await auditOf(tenant, "organisation.create")).toEqual([expect.objectContaining({ subject_id: id, after: { name: "Atelier Vélo" } })]);
  });

  it("renames, refusing a name taken by another organisation of the town", async () => {
    const tenant = await createTestTenant();
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    const a = await organisation(tenant, "Jardin partagé");
    await organisation(tenant, "AMAP du centre");
    const rename = (name: string) => withTenant(tenant.id, (tx) => renameOrganisation(tx, staff, { id: a, name: "Jardin partagé" }, name));
    expect(await rename("amap du centre")).toEqual({ ok: false, errors: { name: "console-people:organisations.errors.nameTaken" } });
    expect(await rename("Jardin partagé")).toEqual({ ok: true, changed: false });
    expect(await rename("Jardin des Tilleuls")).toEqual({ ok: true, changed: true });
    expect((await withTenant(tenant.id, (tx) => listOrganisations(tx))).map((o) => o.name)).toEqual(["AMAP du centre", "Jardin des Tilleuls"]);
    expect(await auditOf(tenant, "organisation.rename")).toEqual([
      expect.objectContaining({ subject_id: a, before: { name: "Jardin partagé" }, after: { name: "Jardin des Tilleuls" } }),
    ]);
  });
});

describe("invitations", () => {
  const invite = (tenant: TestTenant, actor: Actor, input: { email: string; role: string; organisationId?: string; locale?: "fr" | "en" }) =>
    inTenant(tenant, (env) => inviteToTown({ ...env, tenantLocales: ["fr", "en"] }, actor, { locale: "fr", ...input }));

  const mailsTo = (tenant: TestTenant, email: string) =>
    withTenant(tenant.id, (tx) => tx.selectFrom("outbox_emails").select(["subject", "text_body"]).where("to_address", "=", email).orderBy("created_at").execute());

  const tokenIn = (text: string) => text.match(/\/invitation\?token=([A-Za-z0-9_-]{43})/)?.[1] ?? "";

  it("mails a link valid INVITATION_TTL_DAYS, in the chosen language, with the role's name (the town's own roles too)", async () => {
    const tenant = await createTestTenant();
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    const result = await invite(tenant, staff, { email: "Reparateur@Example.org", role: "repairer", locale: "en" });
    expect(result).toMatchObject({ ok: true, existingAccount: null });
    const [mail] = await mailsTo(tenant, "reparateur@example.org");
    expect(mail.subject).toBe(`${townName(tenant)}: invitation to join the cooperative platform`);
    expect(mail.text_body).toContain(`“${tFor("en", "roles")("labels.repairer")}”`);
    const token = tokenIn(mail.text_body);
    expect(await withTenant(tenant.id, (tx) => checkInvitation(tx, token))).toMatchObject({ status: "valid", invitation: { email: "reparateur@example.org", role: "repairer" } });

    await withTenant(tenant.id, (tx) =>
      tx.insertInto("roles").values({ tenant_id: tenant.id, key: "permanence", is_builtin: false, labels: JSON.stringify({ fr: "Bénévole de permanence", en: "Desk volunteer" }), rules: "{}" }).execute(),
    );
    await invite(tenant, staff, { email: "benevole@example.org", role: "permanence" });
    expect((await mailsTo(tenant, "benevole@example.org"))[0].text_body).toContain("« Bénévole de permanence »");

    const [entry] = await auditOf(tenant, "invitation.create");
    expect(entry).toMatchObject({ actor_id: staff.id, after: { email: "reparateur@example.org", role: "repairer", locale: "en", existingAccountId: null } });
    expect(JSON.stringify(entry.after)).not.toContain(token);
  });

  it("refuses what could not work: no organisation for an association role, a deactivated account, a role held, a duplicate", async () => {
    const tenant = await createTestTenant();
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    const gone = await person(tenant, { name: "Partie", deactivated: true });
    const holder = await person(tenant, { name: "Élue", roles: ["elected"] });
    expect(await invite(tenant, staff, { email: "asso@example.org", role: "association_manager" })).toEqual({
      ok: false,
      errors: { organisationId: "console-people:errors.organisationRequired" },
    });
    expect(await invite(tenant, staff, { email: gone.email, role: "repairer" })).toMatchObject({ ok: false, errors: { email: "console-people:invite.errors.accountDeactivated" }, existingAccountId: gone.id });
    expect(await invite(tenant, staff, { email: holder.email, role: "elected" })).toMatchObject({ ok: false, errors: { email: "console-people:invite.errors.alreadyHasRole" } });
    expect((await invite(tenant, staff, { email: "double@example.org", role: "elected" })).ok).toBe(true);
    expect(await invite(tenant, staff, { email: "DOUBLE@example.org", role: "elected" })).toEqual({ ok: false, errors: { email: "console-people:invite.errors.alreadyInvited" } });
    expect(await invite(tenant, staff, { email: "x@example.org", role: "resident", locale: "en" }).then((r) => r.ok)).toBe(true);
    const invitations = await withTenant(tenant.id, (tx) => tx.selectFrom("invitations").select("email").execute());
    expect(invitations.map((i) => i.email).sort()).toEqual(["double@example.org", "x@example.org"]);
  });

  it("invites an existing account, which gets the role once signed in and accepted", async () => {
    const tenant = await createTestTenant();
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    const resident = await person(tenant, { name: "Habitante", roles: ["resident"] });
    const result = await invite(tenant, staff, { email: resident.email, role: "staff" });
    expect(result).toEqual({ ok: true, id: expect.any(String), existingAccount: { id: resident.id, displayName: "Habitante" } });
    const token = tokenIn((await mailsTo(tenant, resident.email))[0].text_body);
    expect(await withTenant(tenant.id, (tx) => acceptAsSignedInUser(tx, token, resident))).toMatchObject({ ok: true, role: "staff" });
    expect(await grantsOf(tenant, resident.id)).toEqual(["resident", "staff"]);
  });

  it("revokes a pending invitation (its link stops working) and sends one again with a new link, the old one revoked", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const staff = await person(tenant, { name: "Agent", roles: ["staff"] });
    const first = await invite(tenant, staff, { email: "a@example.org", role: "repairer" });
    const second = await invite(tenant, staff, { email: "b@example.org", role: "elected" });
    if (!first.ok || !second.ok) throw new Error("invitations refused");
    const tokenA = tokenIn((await mailsTo(tenant, "a@example.org"))[0].text_body);
    const tokenB = tokenIn((await mailsTo(tenant, "b@example.org"))[0].text_body);

    expect(await withTenant(other.id, (tx) => revokeInvitation(tx, staff, first.id))).toBeNull();
    expect(await withTenant(tenant.id, (tx) => revokeInvitation(tx, staff, first.id))).toEqual({ ok: true });
    expect(await withTenant(tenant.id, (tx) => checkInvitation(tx, tokenA))).toEqual({ status: "invalid" });
    expect(await withTenant(tenant.id, (tx) => revokeInvitation(tx, staff, first.id))).toEqual({ ok: false, key: "console-people:invitations.errors.notPending" });
    expect(await inTenant(tenant, (env) => resendInvitation(env, staff, first.id))).toEqual({ ok: false, key: "console-people:invitations.errors.notResendable" });

    // Expired: it can be sent again.
    await withTenant(tenant.id, (tx) =>
      tx.updateTable("invitations").set({ created_at: new Date(Date.now() - 9 * 86_400_000), expires_at: new Date(Date.now() - 86_400_000) }).where("id", "=", second.id).execute(),
    );
    expect(await withTenant(tenant.id, (tx) => checkInvitation(tx, tokenB))).toEqual({ status: "expired" });
    const resent = await inTenant(tenant, (env) => resendInvitation({ ...env, locale: "en" }, staff, second.id));
    if (!resent?.ok) throw new Error("resend refused");
    expect(await withTenant(tenant.id, (tx) => checkInvitation(tx, tokenB))).toEqual({ status: "invalid" });
    const mails = await mailsTo(tenant, "b@example.org");
    expect(mails).toHaveLength(2);
    expect(mails[1].subject).toContain("invitation to join");
    const newToken = tokenIn(mails[1].text_body);
    expect(newToken).not.toBe(tokenB);
    expect(await withTenant(tenant.id, (tx) => checkInvitation(tx, newToken))).toMatchObject({ status: "valid", invitation: { id: resent.id, role: "elected" } });

    const [revoke] = await auditOf(tenant, "invitation.revoke");
    expect(revoke).toMatchObject({ subject_id: first.id, before: { status: "pending" }, after: { status: "revoked" } });
    const [resend] = await auditOf(tenant, "invitation.resend");
    expect(resend).toMatchObject({ subject_id: resent.id, before: { invitationId: second.id, status: "expired" }, after: { invitationId: resent.id, status: "pending", locale: "en" } });
    expect(JSON.stringify([revoke, resend])).not.toMatch(new RegExp(`${tokenA}|${tokenB}|${newToken}`));
  });
});
