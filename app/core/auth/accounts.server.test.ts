// Accounts at the data level: what is written, what a token is worth, what the limits allow.
// Runs against the real database as the app role, mail kept in the outbox (no SMTP_URL).
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { closeDatabase, withTenant } from "../db/db.server";
import {
  applyEmailLink,
  changePassword,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  signIn,
  signUp,
} from "./accounts.server";
import { ATTEMPT_WINDOW_MS } from "./rate-limit.server";
import { getSessionUser, hashToken } from "./session.server";
import { inTenant } from "./testing";

const PASSWORD = "correct horse battery";
let ipCounter = 0;
// Each test gets its own client address, so the per-address limit of one test never leaks into another.
const freshIp = () => `198.51.100.${++ipCounter}`;

beforeAll(() => {
  delete process.env.SMTP_URL;
});
afterAll(async () => {
  await closeDatabase();
});

async function outbox(tenant: TestTenant, to?: string) {
  return withTenant(tenant.id, (tx) => {
    let q = tx.selectFrom("outbox_emails").selectAll().orderBy("created_at", "asc");
    if (to) q = q.where("to_address", "=", to);
    return q.execute();
  });
}

function tokenIn(text: string, path: string): string {
  const match = text.match(new RegExp(`${path.replace("?", "\\?")}\\?token=([A-Za-z0-9_-]{43})`));
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[1];
}

async function newAccount(tenant: TestTenant, email = `p${Math.random().toString(36).slice(2, 8)}@example.org`) {
  const result = await inTenant(tenant, (env) => signUp(env, { email, displayName: "Camille", password: PASSWORD }));
  if (!result.created) throw new Error("account not created");
  return { email, userId: result.userId };
}

async function signInAs(tenant: TestTenant, email: string, password = PASSWORD, ip = freshIp(), previousToken?: string) {
  return inTenant(tenant, (env) => signIn(env, { email, password }, { ip, userAgent: "test", previousToken }));
}

const tokenOfCookie = (cookie: string) => cookie.match(/=([^;]*)/)![1];

describe("sign-up", () => {
  it("creates an unverified resident and mails a verification link whose token is stored hashed", async () => {
    const tenant = await createTestTenant();
    const { email, userId } = await newAccount(tenant, "Camille@Example.org");
    const user = await withTenant(tenant.id, (tx) => tx.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow());
    expect(user.email).toBe(email.toLowerCase());
    expect(user.email_verified_at).toBeNull();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const roles = await withTenant(tenant.id, (tx) => tx.selectFrom("user_roles").select("role").where("user_id", "=", userId).execute());
    expect(roles.map((r) => r.role)).toEqual(["resident"]);

    const [mail] = await outbox(tenant, "camille@example.org");
    expect(mail.status).toBe("kept");
    expect(mail.subject).toContain(`Ville ${tenant.slug}`);
    const token = tokenIn(mail.text_body, `http://${tenant.host}/verifier-email`);
    const stored = await withTenant(tenant.id, (tx) => tx.selectFrom("auth_tokens").select(["token_hash", "purpose", "expires_at"]).where("user_id", "=", userId).execute());
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toBe(hashToken(token));
    expect(stored[0].token_hash).not.toContain(token);
    expect(stored[0].purpose).toBe("verify_email");
    // Valid 48 hours.
    expect(Math.abs(stored[0].expires_at.getTime() - Date.now() - 48 * 3600 * 1000)).toBeLessThan(60_000);
  });

  it("does not create a second account for a known address, and mails that address instead", async () => {
    const tenant = await createTestTenant();
    const { email } = await newAccount(tenant);
    const again = await inTenant(tenant, (env) => signUp(env, { email: email.toUpperCase(), displayName: "Intrus", password: "another password" }));
    expect(again).toEqual({ created: false });
    const users = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("display_name").execute());
    expect(users.map((u) => u.display_name)).toEqual(["Camille"]);
    const mails = await outbox(tenant, email);
    expect(mails.map((m) => m.subject)).toEqual([`Ville ${tenant.slug} : confirmez votre adresse e-mail`, `Ville ${tenant.slug} : vous avez déjà un compte`]);
    expect(mails[1].text_body).toContain(`http://${tenant.host}/mot-de-passe-oublie`);
  });

  it("lets the same address sign up separately on another town", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    const { email } = await newAccount(a, "voisin@example.org");
    const onB = await inTenant(b, (env) => signUp(env, { email, displayName: "Voisin à B", password: "password on B" }));
    expect(onB.created).toBe(true);
    expect((await signInAs(b, email, "password on B")).ok).toBe(true);
    expect((await signInAs(a, email, "password on B")).ok).toBe(false);
  });
});

describe("email verification", () => {
  it("confirms the address once; the same link is then refused as used", async () => {
    const tenant = await createTestTenant();
    const { email, userId } = await newAccount(tenant);
    const token = tokenIn((await outbox(tenant, email))[0].text_body, `http://${tenant.host}/verifier-email`);
    expect(await inTenant(tenant, (env) => applyEmailLink(env, token))).toBe("verified");
    const verifiedAt = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("email_verified_at").where("id", "=", userId).executeTakeFirstOrThrow());
    expect(verifiedAt.email_verified_at).toBeInstanceOf(Date);
    expect(await inTenant(tenant, (env) => applyEmailLink(env, token))).toBe("used");
  });

  it("refuses an expired link and leaves the address unverified", async () => {
    const tenant = await createTestTenant();
    const { email, userId } = await newAccount(tenant);
    const token = tokenIn((await outbox(tenant, email))[0].text_body, `http://${tenant.host}/verifier-email`);
    await withTenant(tenant.id, (tx) => tx.updateTable("auth_tokens").set({ expires_at: new Date(Date.now() - 1000) }).where("user_id", "=", userId).execute());
    expect(await inTenant(tenant, (env) => applyEmailLink(env, token))).toBe("expired");
    const user = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("email_verified_at").where("id", "=", userId).executeTakeFirstOrThrow());
    expect(user.email_verified_at).toBeNull();
  });

  it("refuses made-up tokens and another town's tokens", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    const { email } = await newAccount(a);
    const token = tokenIn((await outbox(a, email))[0].text_body, `http://${a.host}/verifier-email`);
    expect(await inTenant(a, (env) => applyEmailLink(env, "x".repeat(43)))).toBe("invalid");
    expect(await inTenant(a, (env) => applyEmailLink(env, "'; drop table users; --"))).toBe("invalid");
    expect(await inTenant(b, (env) => applyEmailLink(env, token))).toBe("invalid");
  });
});

describe("sign-in", () => {
  it("opens a session for the right password and refuses a wrong one or an unknown address alike", async () => {
    const tenant = await createTestTenant();
    const { email, userId } = await newAccount(tenant);
    const ok = await signInAs(tenant, email);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const user = await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(ok.cookie)));
    expect(user?.id).toBe(userId);
    expect(await signInAs(tenant, email, "wrong password!")).toEqual({ ok: false, reason: "invalid" });
    expect(await signInAs(tenant, "nobody@example.org")).toEqual({ ok: false, reason: "invalid" });
  });

  it("locks an account after 5 failures in 15 minutes, even for the right password, and says until when", async () => {
    const tenant = await createTestTenant();
    const { email } = await newAccount(tenant);
    const before = Date.now();
    for (let i = 0; i < 5; i++) {
      // Different addresses: the account limit, not the address limit, is what stops the 6th.
      expect((await signInAs(tenant, email, `wrong ${i}`, freshIp())).ok).toBe(false);
    }
    const locked = await signInAs(tenant, email, PASSWORD, freshIp());
    expect(locked.ok).toBe(false);
    if (locked.ok || locked.reason !== "rateLimited") throw new Error("expected a lock-out");
    expect(locked.retryAt.getTime()).toBeGreaterThanOrEqual(before + ATTEMPT_WINDOW_MS - 5000);
    expect(locked.retryAt.getTime()).toBeLessThanOrEqual(Date.now() + ATTEMPT_WINDOW_MS);

    // Once the failures are older than the window, the right password works again.
    await withTenant(tenant.id, (tx) => tx.updateTable("auth_attempts").set({ attempted_at: new Date(Date.now() - ATTEMPT_WINDOW_MS - 1000) }).execute());
    expect((await signInAs(tenant, email)).ok).toBe(true);
  });

  it("locks a client address after 20 failures across accounts, not other addresses", async () => {
    const tenant = await createTestTenant();
    const { email } = await newAccount(tenant);
    const ip = freshIp();
    for (let i = 0; i < 20; i++) await signInAs(tenant, `guess${i}@example.org`, "whatever12", ip);
    const fromThatAddress = await signInAs(tenant, email, PASSWORD, ip);
    expect(fromThatAddress.ok === false && fromThatAddress.reason).toBe("rateLimited");
    expect((await signInAs(tenant, email, PASSWORD, freshIp())).ok).toBe(true);
  });

  it("records failures in auth_attempts and clears the account's on success", async () => {
    const tenant = await createTestTenant();
    const { email } = await newAccount(tenant);
    const ip = freshIp();
    await signInAs(tenant, email, "wrong password", ip);
    const count = () => withTenant(tenant.id, (tx) => tx.selectFrom("auth_attempts").select(["scope", "key"]).orderBy("scope").execute());
    expect(await count()).toEqual([
      { scope: "account", key: email },
      { scope: "address", key: ip },
    ]);
    await signInAs(tenant, email, PASSWORD, ip);
    expect(await count()).toEqual([{ scope: "address", key: ip }]);
  });

  it("rotates the session: the one the browser had is revoked", async () => {
    const tenant = await createTestTenant();
    const { email } = await newAccount(tenant);
    const first = await signInAs(tenant, email);
    if (!first.ok) throw new Error("sign-in failed");
    const oldToken = tokenOfCookie(first.cookie);
    const second = await signInAs(tenant, email, PASSWORD, freshIp(), oldToken);
    if (!second.ok) throw new Error("sign-in failed");
    const newToken = tokenOfCookie(second.cookie);
    expect(newToken).not.toBe(oldToken);
    expect(await withTenant(tenant.id, (tx) => getSessionUser(tx, oldToken))).toBeNull();
    expect((await withTenant(tenant.id, (tx) => getSessionUser(tx, newToken)))?.email).toBe(email);
  });

  it("refuses a deactivated account, and its sessions stop working", async () => {
    const tenant = await createTestTenant();
    const { email, userId } = await newAccount(tenant);
    const before = await signInAs(tenant, email);
    if (!before.ok) throw new Error("sign-in failed");
    await withTenant(tenant.id, (tx) => tx.updateTable("users").set({ deactivated_at: new Date() }).where("id", "=", userId).execute());
    expect(await signInAs(tenant, email)).toEqual({ ok: false, reason: "deactivated" });
    expect(await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(before.cookie)))).toBeNull();
  });

  it("never signs an account of town A in on town B", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    const { email } = await newAccount(a);
    expect(await signInAs(b, email)).toEqual({ ok: false, reason: "invalid" });
    const onA = await signInAs(a, email);
    if (!onA.ok) throw new Error("sign-in failed");
    // A session of A is nothing on B either.
    expect(await withTenant(b.id, (tx) => getSessionUser(tx, tokenOfCookie(onA.cookie)))).toBeNull();
  });
});

describe("password reset", () => {
  it("mails nothing for an unknown address", async () => {
    const tenant = await createTestTenant();
    await inTenant(tenant, (env) => requestPasswordReset(env, "nobody@example.org"));
    expect(await outbox(tenant)).toEqual([]);
  });

  it("sets the new password once, ends every session and opens a fresh one", async () => {
    const tenant = await createTestTenant();
    const { email, userId } = await newAccount(tenant);
    const sessionA = await signInAs(tenant, email);
    const sessionB = await signInAs(tenant, email);
    if (!sessionA.ok || !sessionB.ok) throw new Error("sign-in failed");
    await inTenant(tenant, (env) => requestPasswordReset(env, email.toUpperCase()));
    const mail = (await outbox(tenant, email)).at(-1)!;
    expect(mail.subject).toContain("nouveau mot de passe");
    const token = tokenIn(mail.text_body, `http://${tenant.host}/reinitialiser-mot-de-passe`);
    const expires = await withTenant(tenant.id, (tx) => tx.selectFrom("auth_tokens").select("expires_at").where("purpose", "=", "reset_password").executeTakeFirstOrThrow());
    expect(Math.abs(expires.expires_at.getTime() - Date.now() - 3600 * 1000)).toBeLessThan(60_000);

    const meta = { ip: freshIp(), userAgent: "test" };
    const reset = await inTenant(tenant, (env) => resetPassword(env, token, "a brand new password", meta));
    if (!reset.ok) throw new Error(`reset failed: ${reset.reason}`);
    for (const old of [sessionA, sessionB]) {
      expect(await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(old.cookie)))).toBeNull();
    }
    expect((await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(reset.cookie))))?.id).toBe(userId);
    expect((await signInAs(tenant, email, PASSWORD)).ok).toBe(false);
    expect((await signInAs(tenant, email, "a brand new password")).ok).toBe(true);

    expect(await inTenant(tenant, (env) => resetPassword(env, token, "yet another password", meta))).toEqual({ ok: false, reason: "used" });
  });

  it("refuses a link older than one hour", async () => {
    const tenant = await createTestTenant();
    const { email } = await newAccount(tenant);
    await inTenant(tenant, (env) => requestPasswordReset(env, email));
    const token = tokenIn((await outbox(tenant, email)).at(-1)!.text_body, `http://${tenant.host}/reinitialiser-mot-de-passe`);
    await withTenant(tenant.id, (tx) =>
      tx.updateTable("auth_tokens").set({ expires_at: new Date(Date.now() - 1) }).where("purpose", "=", "reset_password").execute(),
    );
    expect(await inTenant(tenant, (env) => resetPassword(env, token, "a brand new password", { ip: freshIp(), userAgent: null }))).toEqual({
      ok: false,
      reason: "expired",
    });
    expect((await signInAs(tenant, email)).ok).toBe(true);
  });
});

describe("change of email address", () => {
  it("applies the new address only when the link sent to it is opened, and tells the old one", async () => {
    const tenant = await createTestTenant();
    const { email, userId } = await newAccount(tenant);
    const session = await signInAs(tenant, email);
    if (!session.ok) throw new Error("sign-in failed");
    const actor = (await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(session.cookie))))!;

    const asked = await inTenant(tenant, (env) => requestEmailChange(env, actor, { newEmail: "nouvelle@example.org", password: PASSWORD }, freshIp()));
    expect(asked).toEqual({ ok: true });
    const current = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("email").where("id", "=", userId).executeTakeFirstOrThrow());
    expect(current.email).toBe(email);
    const [mail] = await outbox(tenant, "nouvelle@example.org");
    const token = tokenIn(mail.text_body, `http://${tenant.host}/verifier-email`);

    expect(await inTenant(tenant, (env) => applyEmailLink(env, token))).toBe("emailChanged");
    const changed = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select(["email", "email_verified_at"]).where("id", "=", userId).executeTakeFirstOrThrow());
    expect(changed.email).toBe("nouvelle@example.org");
    expect(changed.email_verified_at).toBeInstanceOf(Date);
    expect((await outbox(tenant, email)).at(-1)!.subject).toContain("a changé");
    expect((await signInAs(tenant, "nouvelle@example.org")).ok).toBe(true);
    expect((await signInAs(tenant, email)).ok).toBe(false);
    expect(await inTenant(tenant, (env) => applyEmailLink(env, token))).toBe("used");
  });

  it("refuses a wrong password and an address already used in the town", async () => {
    const tenant = await createTestTenant();
    const { email } = await newAccount(tenant);
    const other = await newAccount(tenant);
    const session = await signInAs(tenant, email);
    if (!session.ok) throw new Error("sign-in failed");
    const actor = (await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(session.cookie))))!;
    const mailsBefore = (await outbox(tenant)).length;
    expect(await inTenant(tenant, (env) => requestEmailChange(env, actor, { newEmail: "x@example.org", password: "not my password" }, freshIp()))).toEqual({
      ok: false,
      errors: { password: "auth:errors.currentPasswordWrong" },
    });
    expect(await inTenant(tenant, (env) => requestEmailChange(env, actor, { newEmail: other.email, password: PASSWORD }, freshIp()))).toEqual({
      ok: false,
      errors: { newEmail: "auth:errors.emailTaken" },
    });
    expect((await outbox(tenant)).length).toBe(mailsBefore);
  });

  it("refuses to apply a link if another account took the address in the meantime", async () => {
    const tenant = await createTestTenant();
    const { email, userId } = await newAccount(tenant);
    const session = await signInAs(tenant, email);
    if (!session.ok) throw new Error("sign-in failed");
    const actor = (await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(session.cookie))))!;
    await inTenant(tenant, (env) => requestEmailChange(env, actor, { newEmail: "disputee@example.org", password: PASSWORD }, freshIp()));
    const token = tokenIn((await outbox(tenant, "disputee@example.org"))[0].text_body, `http://${tenant.host}/verifier-email`);
    await newAccount(tenant, "disputee@example.org");
    expect(await inTenant(tenant, (env) => applyEmailLink(env, token))).toBe("emailTaken");
    const user = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("email").where("id", "=", userId).executeTakeFirstOrThrow());
    expect(user.email).toBe(email);
  });
});

describe("change of password", () => {
  it("needs the current password and ends every other session, not this one", async () => {
    const tenant = await createTestTenant();
    const { email } = await newAccount(tenant);
    const here = await signInAs(tenant, email);
    const elsewhere = await signInAs(tenant, email);
    if (!here.ok || !elsewhere.ok) throw new Error("sign-in failed");
    const actor = (await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(here.cookie))))!;
    expect(await inTenant(tenant, (env) => changePassword(env, actor, { currentPassword: "not it at all", newPassword: "new password 123" }, freshIp()))).toEqual({
      ok: false,
      errors: { currentPassword: "auth:errors.currentPasswordWrong" },
    });
    expect((await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(elsewhere.cookie))))?.email).toBe(email);

    expect(await inTenant(tenant, (env) => changePassword(env, actor, { currentPassword: PASSWORD, newPassword: "new password 123" }, freshIp()))).toEqual({ ok: true });
    expect(await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(elsewhere.cookie)))).toBeNull();
    expect((await withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOfCookie(here.cookie))))?.email).toBe(email);
    expect((await signInAs(tenant, email, "new password 123")).ok).toBe(true);
  });
});
