// Invitations, from the email to the account: the link works once, for 7 days, for the
// address it was sent to; a new account gets the role, an existing one gets it after
// signing in; a refused form writes nothing.
import crypto from "node:crypto";
import { loader as adminLoader } from "~/routes/admin+/_index";
import { action as invitationAction, loader as invitationLoader } from "~/routes/invitation";
import { closeDatabase, withTenant } from "../db/db.server";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { createInvitation, INVITATION_TTL_DAYS } from "./invitations.server";
import { verifyPassword } from "./password.server";
import { createSession } from "./session.server";
import { cookieFrom, getArgs, inTenant, postArgs, respond } from "./testing";

afterAll(async () => {
  await closeDatabase();
});

const PASSWORD = "Une-phrase-de-passe-solide";

/** Invites `email` as `role` the way the consoles do; returns the token from the email sent. */
async function invite(tenant: TestTenant, email: string, role = "staff") {
  await inTenant(tenant, (env) => createInvitation(env, { email, role, invitedBy: { kind: "operator", label: "Opé <op@communa.test>" } }));
  const mail = await withTenant(tenant.id, (tx) =>
    tx.selectFrom("outbox_emails").select(["subject", "text_body"]).where("to_address", "=", email.toLowerCase()).orderBy("created_at", "desc").executeTakeFirstOrThrow(),
  );
  const token = mail.text_body.match(/\/invitation\?token=([A-Za-z0-9_-]{43})/)?.[1];
  if (!token) throw new Error(`no invitation link in ${mail.text_body}`);
  return { token, mail };
}

async function account(tenant: TestTenant, email: string) {
  return withTenant(tenant.id, async (tx) => {
    const user = await tx.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
    const roles = user ? await tx.selectFrom("user_roles").select("role").where("user_id", "=", user.id).execute() : [];
    return { user, roles: roles.map((r) => r.role) };
  });
}

async function existingUser(tenant: TestTenant, email: string) {
  return withTenant(tenant.id, async (tx) => {
    const user = await tx
      .insertInto("users")
      .values({ tenant_id: tenant.id, email, password_hash: "not-used", display_name: "Déjà là", email_verified_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx.insertInto("user_roles").values({ tenant_id: tenant.id, user_id: user.id, role: "resident" }).execute();
    const cookie = (await createSession(tx, tenant.id, user.id, {})).split(";")[0];
    return { id: user.id, cookie };
  });
}

const email = (label: string) => `${label}-${crypto.randomBytes(3).toString("hex")}@ville.test`;

describe("the invitation email", () => {
  it("is translated, names the town and the role, and carries a single link valid 7 days", async () => {
    const tenant = await createTestTenant();
    const to = email("agent");
    const { mail } = await invite(tenant, to);
    expect(mail.subject).toBe(`Ville ${tenant.slug} : invitation à rejoindre la plateforme coopérative`);
    expect(mail.text_body).toContain("avec le rôle « Agent·e de la ville »");
    expect(mail.text_body).toContain(`http://${tenant.host}/invitation?token=`);
    expect(mail.text_body).toContain("valable 7 jours");
    const row = await withTenant(tenant.id, (tx) => tx.selectFrom("invitations").selectAll().where("email", "=", to).executeTakeFirstOrThrow());
    expect((row.expires_at.getTime() - row.created_at.getTime()) / 86_400_000).toBeCloseTo(INVITATION_TTL_DAYS, 3);
  });
});

describe("accepting with a new account", () => {
  it("shows the form, creates the account with a verified address, gives the role and signs in", async () => {
    const tenant = await createTestTenant();
    const to = email("agent");
    const { token } = await invite(tenant, to);
    const page = await respond(() => invitationLoader(getArgs(tenant, `/invitation?token=${token}`)));
    expect(await page.json()).toMatchObject({ mode: "new", token, email: to, role: "Agent·e de la ville" });

    const response = await respond(() =>
      invitationAction(postArgs(tenant, "/invitation", { token, displayName: "Claude Agent", password: PASSWORD, confirmPassword: PASSWORD })),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin");
    const { user, roles } = await account(tenant, to);
    expect(user).toMatchObject({ display_name: "Claude Agent", deactivated_at: null });
    expect(user!.email_verified_at).not.toBeNull();
    expect(user!.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user!.password_hash, PASSWORD)).toBe(true);
    expect(roles).toEqual(["staff"]);
    const invitation = await withTenant(tenant.id, (tx) => tx.selectFrom("invitations").selectAll().where("email", "=", to).executeTakeFirstOrThrow());
    expect(invitation.accepted_at).not.toBeNull();
    expect(invitation.accepted_user_id).toBe(user!.id);
    // The session opened is a staff member's: the staff console opens.
    const admin = await respond(() => adminLoader(getArgs(tenant, "/admin", { cookie: cookieFrom(response) })));
    expect(admin.status).toBe(200);

    // The link works once.
    const again = await respond(() => invitationLoader(getArgs(tenant, `/invitation?token=${token}`)));
    expect((await again.json()).mode).toBe("used");
    const reused = await respond(() =>
      invitationAction(postArgs(tenant, "/invitation", { token, displayName: "Intrus", password: PASSWORD, confirmPassword: PASSWORD })),
    );
    expect(reused.status).toBe(400);
    expect((await reused.json()).problem).toBe("used");
  });

  it("refuses a bad form with field errors and writes nothing; the link still works afterwards", async () => {
    const tenant = await createTestTenant();
    const to = email("agent");
    const { token } = await invite(tenant, to);
    const response = await respond(() =>
      invitationAction(postArgs(tenant, "/invitation", { token, displayName: "", password: "court", confirmPassword: "autre" })),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toMatchObject({ displayName: "auth:errors.displayNameRequired", password: "auth:errors.passwordTooShort" });
    expect(JSON.stringify(body)).not.toContain("court");
    const mismatch = await respond(() =>
      invitationAction(postArgs(tenant, "/invitation", { token, displayName: "Claude", password: PASSWORD, confirmPassword: `${PASSWORD}!` })),
    );
    expect(mismatch.status).toBe(400);
    const mismatchBody = await mismatch.json();
    expect(mismatchBody.errors).toEqual({ confirmPassword: "auth:errors.passwordMismatch" });
    expect(mismatchBody.values.displayName).toBe("Claude");
    expect((await account(tenant, to)).user).toBeUndefined();
    expect((await respond(() => invitationLoader(getArgs(tenant, `/invitation?token=${token}`))).then((r) => r.json())).mode).toBe("new");
  });

  it("says when the link has expired, is unknown or belongs to another town", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const to = email("agent");
    const { token } = await invite(tenant, to);
    const elsewhere = await respond(() => invitationLoader(getArgs(other, `/invitation?token=${token}`)));
    expect((await elsewhere.json()).mode).toBe("invalid");
    const garbage = await respond(() => invitationLoader(getArgs(tenant, "/invitation?token=nimportequoi")));
    expect((await garbage.json()).mode).toBe("invalid");
    await withTenant(tenant.id, (tx) => tx.updateTable("invitations").set({ created_at: new Date(Date.now() - 8 * 86_400_000), expires_at: new Date(Date.now() - 1000) }).where("email", "=", to).execute());
    expect((await respond(() => invitationLoader(getArgs(tenant, `/invitation?token=${token}`))).then((r) => r.json())).mode).toBe("expired");
    const late = await respond(() =>
      invitationAction(postArgs(tenant, "/invitation", { token, displayName: "En retard", password: PASSWORD, confirmPassword: PASSWORD })),
    );
    expect((await late.json()).problem).toBe("expired");
    expect((await account(tenant, to)).user).toBeUndefined();
  });
});

describe("accepting with an existing account", () => {
  it("asks to sign in first, then adds the role to that account only", async () => {
    const tenant = await createTestTenant();
    const to = email("habitant");
    const existing = await existingUser(tenant, to);
    const { token } = await invite(tenant, to, "elected");

    const anonymous = await respond(() => invitationLoader(getArgs(tenant, `/invitation?token=${token}`)));
    expect((await anonymous.json()).mode).toBe("signInFirst");
    // Creating a second account for the address is refused, and writes nothing.
    const duplicate = await respond(() =>
      invitationAction(postArgs(tenant, "/invitation", { token, displayName: "Doublon", password: PASSWORD, confirmPassword: PASSWORD })),
    );
    expect((await duplicate.json()).problem).toBe("signInFirst");

    const someoneElse = await existingUser(tenant, email("autre"));
    const wrongAccount = await respond(() => invitationLoader(getArgs(tenant, `/invitation?token=${token}`, { cookie: someoneElse.cookie })));
    expect((await wrongAccount.json()).mode).toBe("otherAccount");
    const wrongAccept = await respond(() => invitationAction(postArgs(tenant, "/invitation", { token, intent: "accept" }, { cookie: someoneElse.cookie })));
    expect((await wrongAccept.json()).problem).toBe("otherAccount");
    expect((await account(tenant, email("personne"))).user).toBeUndefined();

    const signedIn = await respond(() => invitationLoader(getArgs(tenant, `/invitation?token=${token}`, { cookie: existing.cookie })));
    expect(await signedIn.json()).toMatchObject({ mode: "signedIn", role: "Élu·e" });
    const accepted = await respond(() => invitationAction(postArgs(tenant, "/invitation", { token, intent: "accept" }, { cookie: existing.cookie })));
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe("/");
    expect((await account(tenant, to)).roles.sort()).toEqual(["elected", "resident"]);
    const otherRoles = await withTenant(tenant.id, (tx) => tx.selectFrom("user_roles").select("role").where("user_id", "=", someoneElse.id).execute());
    expect(otherRoles.map((r) => r.role)).toEqual(["resident"]);
  });
});
