// The account routes called as Remix calls them: a Request on a test town's host, a load
// context with a CSRF seed. Bad input must answer 400 with translated field errors and
// write nothing; good input must redirect and set (or clear) the session cookie.
import { createTestTenant, type TestTenant } from "../../db/test/helpers";
import { getSessionUser } from "~/core/auth/session.server";
import { cookieFrom, getArgs, postArgs, respond } from "~/core/auth/testing";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { action as signUpAction } from "./inscription";
import { action as signInAction } from "./connexion";
import { action as signOutAction } from "./deconnexion";
import { action as forgotAction } from "./mot-de-passe-oublie";
import { action as resetAction, loader as resetLoader } from "./reinitialiser-mot-de-passe";
import { action as accountAction, loader as accountLoader } from "./compte";
import { loader as verifyLoader } from "./verifier-email";
import { loader as outboxLoader } from "./admin+/outbox._index";
import { loader as outboxEmailLoader } from "./admin+/outbox.$id";

const PASSWORD = "correct horse battery";

beforeAll(() => {
  delete process.env.SMTP_URL;
});
afterAll(async () => {
  await closeDatabase();
});

const counts = (tenant: TestTenant) =>
  withTenant(tenant.id, async (tx) => ({
    users: (await tx.selectFrom("users").select("id").execute()).length,
    mails: (await tx.selectFrom("outbox_emails").select("id").execute()).length,
    sessions: (await tx.selectFrom("sessions").select("id").execute()).length,
    tokens: (await tx.selectFrom("auth_tokens").select("id").execute()).length,
  }));

const lastMail = (tenant: TestTenant, to: string) =>
  withTenant(tenant.id, (tx) =>
    tx.selectFrom("outbox_emails").selectAll().where("to_address", "=", to).orderBy("created_at", "desc").executeTakeFirstOrThrow(),
  );

async function signUp(tenant: TestTenant, email: string, password = PASSWORD) {
  const response = await respond(() =>
    signUpAction(postArgs(tenant, "/inscription", { email, displayName: "Camille", password, confirmPassword: password })),
  );
  expect(response.status).toBe(302);
  return response;
}

async function signIn(tenant: TestTenant, email: string, password = PASSWORD, options: { clientIp?: string; retour?: string } = {}) {
  const fields: Record<string, string> = { email, password };
  if (options.retour) fields.retour = options.retour;
  return respond(() => signInAction(postArgs(tenant, "/connexion", fields, { clientIp: options.clientIp })));
}

describe("/inscription", () => {
  it("answers 400 with translated field errors, keeps what was typed but not the password, and writes nothing", async () => {
    const tenant = await createTestTenant();
    const before = await counts(tenant);
    const response = await respond(() =>
      signUpAction(postArgs(tenant, "/inscription", { email: "pas-une-adresse", displayName: "  ", password: "court", confirmPassword: "autre" })),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({
      email: "auth:errors.emailInvalid",
      displayName: "auth:errors.displayNameRequired",
      password: "auth:errors.passwordTooShort",
      confirmPassword: "auth:errors.passwordMismatch",
    });
    expect(body.values).toEqual({ email: "pas-une-adresse", displayName: "  " });
    expect(await counts(tenant)).toEqual(before);
  });

  it("refuses a password over 128 characters and missing fields", async () => {
    const tenant = await createTestTenant();
    const long = "x".repeat(129);
    const response = await respond(() => signUpAction(postArgs(tenant, "/inscription", { password: long, confirmPassword: long })));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({
      email: "auth:errors.emailRequired",
      displayName: "auth:errors.displayNameRequired",
      password: "auth:errors.passwordTooLong",
    });
    expect((await counts(tenant)).users).toBe(0);
  });

  it("creates the account, signs the person in and sends them to check their mailbox", async () => {
    const tenant = await createTestTenant();
    const response = await signUp(tenant, "nouveau@example.org");
    expect(response.headers.get("location")).toBe("/verifier-email");
    const cookie = cookieFrom(response);
    const user = await withTenant(tenant.id, (tx) => getSessionUser(tx, cookie.split("=")[1]));
    expect(user?.email).toBe("nouveau@example.org");
    expect(user?.emailVerified).toBe(false);
    expect((await lastMail(tenant, "nouveau@example.org")).text_body).toContain(`http://${tenant.host}/verifier-email?token=`);
  });

  it("answers an address that already has an account with the same page, and mails that address", async () => {
    const tenant = await createTestTenant();
    await signUp(tenant, "deja@example.org");
    const again = await signUp(tenant, "deja@example.org", "another password");
    expect(again.headers.get("location")).toBe("/verifier-email");
    expect(again.headers.get("set-cookie")).toBeNull();
    expect((await counts(tenant)).users).toBe(1);
    expect((await lastMail(tenant, "deja@example.org")).subject).toContain("vous avez déjà un compte");
  });

  it("refuses a form without a valid CSRF token (403) and writes nothing", async () => {
    const tenant = await createTestTenant();
    const fields = { email: "x@example.org", displayName: "X", password: PASSWORD, confirmPassword: PASSWORD };
    for (const csrf of [null, "forged"]) {
      const response = await respond(() => signUpAction(postArgs(tenant, "/inscription", fields, { csrf })));
      expect(response.status).toBe(403);
    }
    expect((await counts(tenant)).users).toBe(0);
  });
});

describe("/verifier-email", () => {
  it("confirms the address from the mailed link, then says the link was used", async () => {
    const tenant = await createTestTenant();
    await signUp(tenant, "verif@example.org");
    const link = new URL((await lastMail(tenant, "verif@example.org")).text_body.match(/http:\/\/\S+verifier-email\?token=\S+/)![0]);
    const first = await respond(() => verifyLoader(getArgs(tenant, link.pathname + link.search)));
    expect(first.headers.get("location")).toBe("/verifier-email?etat=confirmee");
    const second = await respond(() => verifyLoader(getArgs(tenant, link.pathname + link.search)));
    expect(second.headers.get("location")).toBe("/verifier-email?etat=deja-utilise");
    const page = await respond(() => verifyLoader(getArgs(tenant, "/verifier-email?etat=deja-utilise")));
    expect((await page.json()).title).toBe("Lien déjà utilisé");
  });
});

describe("/connexion", () => {
  it("signs in and goes back to a same-site path only", async () => {
    const tenant = await createTestTenant();
    await signUp(tenant, "retour@example.org");
    const local = await signIn(tenant, "retour@example.org", PASSWORD, { retour: "/compte?x=1" });
    expect(local.status).toBe(302);
    expect(local.headers.get("location")).toBe("/compte?x=1");
    cookieFrom(local);
    for (const retour of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const response = await signIn(tenant, "retour@example.org", PASSWORD, { retour });
      expect(response.headers.get("location")).toBe("/");
    }
  });

  it("rotates the session id: the session the browser held before signing in is revoked", async () => {
    const tenant = await createTestTenant();
    const before = cookieFrom(await signUp(tenant, "rotation@example.org"));
    const response = await respond(() =>
      signInAction(postArgs(tenant, "/connexion", { email: "rotation@example.org", password: PASSWORD }, { cookie: before })),
    );
    const after = cookieFrom(response);
    expect(after).not.toBe(before);
    expect(await withTenant(tenant.id, (tx) => getSessionUser(tx, before.split("=")[1]))).toBeNull();
    expect((await withTenant(tenant.id, (tx) => getSessionUser(tx, after.split("=")[1])))?.email).toBe("rotation@example.org");
  });

  it("gives one generic message for a wrong password or an unknown address, and sets no cookie", async () => {
    const tenant = await createTestTenant();
    await signUp(tenant, "generique@example.org");
    const wrong = await signIn(tenant, "generique@example.org", "wrong password");
    const unknown = await signIn(tenant, "inconnu@example.org", "wrong password");
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(400);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(await response.json()).toMatchObject({ message: "Adresse e-mail ou mot de passe incorrect.", values: { email: expect.any(String) } });
    }
  });

  it("answers 400 with field errors for an empty form", async () => {
    const tenant = await createTestTenant();
    const response = await signIn(tenant, "", "");
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ email: "auth:errors.emailRequired", password: "auth:errors.passwordRequired" });
  });

  it("after 5 failures says, in French and the town's time, when to try again", async () => {
    const tenant = await createTestTenant();
    await signUp(tenant, "bloque@example.org");
    for (let i = 0; i < 5; i++) expect((await signIn(tenant, "bloque@example.org", `wrong ${i}`, { clientIp: `192.0.2.${i}` })).status).toBe(400);
    const locked = await signIn(tenant, "bloque@example.org", PASSWORD, { clientIp: "192.0.2.99" });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
    const { message } = await locked.json();
    expect(message).toMatch(/^Trop de tentatives de connexion\. Par sécurité, réessayez à partir du \d{1,2} \S+ \d{4} à \d{2}:\d{2}\.$/);
    expect(locked.headers.get("set-cookie")).toBeNull();
  });

  it("does not sign an account of town A in on town B", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    await signUp(a, "habitant-a@example.org");
    const onB = await signIn(b, "habitant-a@example.org");
    expect(onB.status).toBe(400);
    expect(onB.headers.get("set-cookie")).toBeNull();
    expect((await signIn(a, "habitant-a@example.org")).status).toBe(302);
  });
});

describe("/deconnexion", () => {
  it("revokes the session and clears the cookie", async () => {
    const tenant = await createTestTenant();
    const cookie = cookieFrom(await signUp(tenant, "sortie@example.org"));
    const response = await respond(() => signOutAction(postArgs(tenant, "/deconnexion", {}, { cookie })));
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toMatch(/communa_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(await withTenant(tenant.id, (tx) => getSessionUser(tx, cookie.split("=")[1]))).toBeNull();
  });

  it("refuses a sign-out without the CSRF token", async () => {
    const tenant = await createTestTenant();
    const cookie = cookieFrom(await signUp(tenant, "csrf@example.org"));
    const response = await respond(() => signOutAction(postArgs(tenant, "/deconnexion", {}, { cookie, csrf: null })));
    expect(response.status).toBe(403);
    expect(await withTenant(tenant.id, (tx) => getSessionUser(tx, cookie.split("=")[1]))).not.toBeNull();
  });
});

describe("password reset routes", () => {
  it("answers the same for a known and an unknown address", async () => {
    const tenant = await createTestTenant();
    await signUp(tenant, "connu@example.org");
    const known = await respond(() => forgotAction(postArgs(tenant, "/mot-de-passe-oublie", { email: "connu@example.org" })));
    const unknown = await respond(() => forgotAction(postArgs(tenant, "/mot-de-passe-oublie", { email: "inconnu@example.org" })));
    expect([known.status, known.headers.get("location")]).toEqual([302, "/mot-de-passe-oublie?envoye=1"]);
    expect([unknown.status, unknown.headers.get("location")]).toEqual([302, "/mot-de-passe-oublie?envoye=1"]);
  });

  it("refuses mismatched passwords with 400 and leaves the link usable", async () => {
    const tenant = await createTestTenant();
    await signUp(tenant, "reset@example.org");
    await respond(() => forgotAction(postArgs(tenant, "/mot-de-passe-oublie", { email: "reset@example.org" })));
    const link = new URL((await lastMail(tenant, "reset@example.org")).text_body.match(/http:\/\/\S+reinitialiser-mot-de-passe\?token=\S+/)![0]);
    const token = link.searchParams.get("token")!;
    const bad = await respond(() =>
      resetAction(postArgs(tenant, link.pathname + link.search, { token, password: "new password 1", confirmPassword: "new password 2" })),
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual({ confirmPassword: "auth:errors.passwordMismatch" });
    const form = await respond(() => resetLoader(getArgs(tenant, link.pathname + link.search)));
    expect((await form.json()).linkProblem).toBeNull();

    const good = await respond(() =>
      resetAction(postArgs(tenant, link.pathname + link.search, { token, password: "new password 1", confirmPassword: "new password 1" })),
    );
    expect(good.headers.get("location")).toBe("/compte?ok=mot-de-passe-reinitialise");
    cookieFrom(good);
    const spent = await respond(() => resetLoader(getArgs(tenant, link.pathname + link.search)));
    expect((await spent.json()).linkProblem).toBe("used");
  });
});

describe("/compte", () => {
  it("sends visitors to sign in, and back here afterwards", async () => {
    const tenant = await createTestTenant();
    const response = await respond(() => accountLoader(getArgs(tenant, "/compte")));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/connexion?retour=%2Fcompte");
  });

  it("lists the active sessions with browser and address", async () => {
    const tenant = await createTestTenant();
    const cookie = cookieFrom(await signUp(tenant, "sessions@example.org"));
    await signIn(tenant, "sessions@example.org", PASSWORD, { clientIp: "192.0.2.44" });
    const page = await (await respond(() => accountLoader(getArgs(tenant, "/compte", { cookie })))).json();
    expect(page.sessions).toHaveLength(2);
    expect(page.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(page.sessions.map((s: { ip: string }) => s.ip).sort()).toEqual(["192.0.2.44", "203.0.113.10"]);
    expect(page.sessions[0]).toMatchObject({ browser: "Firefox", os: "Linux" });
  });

  it("rejects an invalid password change with 400 and changes nothing", async () => {
    const tenant = await createTestTenant();
    const cookie = cookieFrom(await signUp(tenant, "change@example.org"));
    const before = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("password_hash").executeTakeFirstOrThrow());
    const response = await respond(() =>
      accountAction(
        postArgs(tenant, "/compte", { intent: "password", currentPassword: PASSWORD, newPassword: "short", confirmPassword: "short" }, { cookie }),
      ),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ intent: "password", errors: { newPassword: "auth:errors.passwordTooShort" } });
    const after = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("password_hash").executeTakeFirstOrThrow());
    expect(after.password_hash).toBe(before.password_hash);
  });

  it("revokes another session, and refuses to touch a session that is not the user's", async () => {
    const tenant = await createTestTenant();
    const cookie = cookieFrom(await signUp(tenant, "moi@example.org"));
    await signIn(tenant, "moi@example.org");
    const otherCookie = cookieFrom(await signUp(tenant, "autre@example.org"));
    const mine = await (await respond(() => accountLoader(getArgs(tenant, "/compte", { cookie })))).json();
    const elsewhere = mine.sessions.find((s: { current: boolean }) => !s.current);
    const theirs = (await (await respond(() => accountLoader(getArgs(tenant, "/compte", { cookie: otherCookie })))).json()).sessions[0];

    const foreign = await respond(() => accountAction(postArgs(tenant, "/compte", { intent: "revoke", session: theirs.id }, { cookie })));
    expect(foreign.status).toBe(404);
    expect(await withTenant(tenant.id, (tx) => getSessionUser(tx, otherCookie.split("=")[1]))).not.toBeNull();

    const ok = await respond(() => accountAction(postArgs(tenant, "/compte", { intent: "revoke", session: elsewhere.id }, { cookie })));
    expect(ok.headers.get("location")).toBe("/compte?ok=session-fermee");
    const after = await (await respond(() => accountLoader(getArgs(tenant, "/compte", { cookie })))).json();
    expect(after.sessions).toHaveLength(1);
    expect(after.notice).toBeNull();
  });

  it("rejects a change of display name that is too long, with 400", async () => {
    const tenant = await createTestTenant();
    const cookie = cookieFrom(await signUp(tenant, "nom@example.org"));
    const response = await respond(() => accountAction(postArgs(tenant, "/compte", { intent: "name", displayName: "n".repeat(101) }, { cookie })));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ displayName: "auth:errors.displayNameTooLong" });
    const user = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("display_name").executeTakeFirstOrThrow());
    expect(user.display_name).toBe("Camille");
  });
});

async function makeStaff(tenant: TestTenant, email: string) {
  await withTenant(tenant.id, async (tx) => {
    const user = await tx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    await tx.insertInto("user_roles").values({ tenant_id: tenant.id, user_id: user.id, role: "staff" }).execute();
  });
}

describe("/admin/outbox", () => {
  it("is for staff only, and shows the town's mail with its text", async () => {
    const tenant = await createTestTenant();
    const cookie = cookieFrom(await signUp(tenant, "agent@example.org"));
    const forbidden = await respond(() => outboxLoader(getArgs(tenant, "/admin/outbox", { cookie })));
    expect(forbidden.status).toBe(403);

    await makeStaff(tenant, "agent@example.org");
    const list = await (await respond(() => outboxLoader(getArgs(tenant, "/admin/outbox", { cookie })))).json();
    expect(list.emails).toHaveLength(1);
    expect(list.emails[0]).toMatchObject({ to_address: "agent@example.org", status: "kept" });
    const detail = await (await respond(() => outboxEmailLoader(getArgs(tenant, `/admin/outbox/${list.emails[0].id}`, { cookie, params: { id: list.emails[0].id } })))).json();
    expect(detail.email.text_body).toContain("/verifier-email?token=");

    // Staff of another town: that email does not exist for them.
    const other = await createTestTenant();
    const otherCookie = cookieFrom(await signUp(other, "agent@example.org"));
    await makeStaff(other, "agent@example.org");
    const id = list.emails[0].id;
    const missing = await respond(() => outboxEmailLoader(getArgs(other, `/admin/outbox/${id}`, { cookie: otherCookie, params: { id } })));
    expect(missing.status).toBe(404);
  });
});
