// Password re-confirmation, two-factor sign-in and the town's security settings, through the
// routes as Remix calls them, on a real database. The clock (Date only) is faked so that each
// TOTP code can come from a new time step: a code is refused once used.
import { json } from "@remix-run/node";
import { createTestTenant, type TestTenant } from "../../db/test/helpers";
import { requestPasswordReset, resetPassword } from "~/core/auth/accounts.server";
import { getSessionUser } from "~/core/auth/session.server";
import { cookieFrom, getArgs, inTenant, postArgs, respond } from "~/core/auth/testing";
import { currentTotpCode, pendingSignIn, RECOVERY_CODE_COUNT } from "~/core/auth/totp.server";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { REAUTH_WINDOW_MS, tenantLoader } from "~/core/route.server";
import { action as signUpAction } from "./inscription";
import { action as signInAction } from "./connexion";
import { action as codeAction, loader as codeLoader } from "./connexion_.code";
import { action as accountAction, loader as accountLoader } from "./compte";
import { action as twoFactorAction, loader as twoFactorLoader } from "./compte_.double-authentification";
import { action as confirmAction, loader as confirmLoader } from "./admin+/confirmer";
import { action as securityAction, loader as securityLoader } from "./admin+/securite";

const PASSWORD = "correct horse battery";
const STEP_MS = 30_000;
let ipCounter = 0;
// Each test signs in from its own addresses, so the per-address limit never leaks between tests.
const freshIp = () => `192.0.2.${++ipCounter}`;

beforeAll(() => {
  delete process.env.SMTP_URL;
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now());
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await closeDatabase();
});

/** The authenticator app's next code: a new time step, so not a replay of the last one. */
async function nextCode(secret: string) {
  vi.setSystemTime(Date.now() + STEP_MS);
  return currentTotpCode(secret);
}

type Account = { email: string; cookie: string; id: string };

async function account(tenant: TestTenant, options: { staff?: boolean; email?: string } = {}): Promise<Account> {
  const email = options.email ?? `p${Math.random().toString(36).slice(2, 9)}@example.org`;
  const response = await respond(() =>
    signUpAction(postArgs(tenant, "/inscription", { email, displayName: `Agent ${email}`, password: PASSWORD, confirmPassword: PASSWORD })),
  );
  const id = await withTenant(tenant.id, async (tx) => {
    const user = await tx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    if (options.staff) await tx.insertInto("user_roles").values({ tenant_id: tenant.id, user_id: user.id, role: "staff" }).execute();
    return user.id;
  });
  return { email, cookie: cookieFrom(response), id };
}

const TWO_FACTOR = "/compte/double-authentification";

/** Turns two-factor sign-in on through the enrolment page; returns the secret and recovery codes. */
async function enableTotp(tenant: TestTenant, who: Account) {
  const started = await respond(() => twoFactorAction(postArgs(tenant, TWO_FACTOR, { intent: "start" }, { cookie: who.cookie })));
  expect(started.status).toBe(302);
  const page = await (await respond(() => twoFactorLoader(getArgs(tenant, TWO_FACTOR, { cookie: who.cookie })))).json();
  const secret = String(page.enrolment.secret).replace(/ /g, "");
  const enrolCode = await currentTotpCode(secret);
  const enrolled = await respond(() => twoFactorAction(postArgs(tenant, TWO_FACTOR, { intent: "enrol", password: PASSWORD, enrolCode }, { cookie: who.cookie })));
  expect(enrolled.status).toBe(200);
  const body = await enrolled.json();
  return { secret, recoveryCodes: body.recoveryCodes as string[] };
}

async function signIn(tenant: TestTenant, email: string, options: { password?: string; retour?: string; ip?: string } = {}) {
  const fields: Record<string, string> = { email, password: options.password ?? PASSWORD };
  if (options.retour) fields.retour = options.retour;
  return respond(() => signInAction(postArgs(tenant, "/connexion", fields, { clientIp: options.ip ?? freshIp() })));
}

/** The token of a Cookie header ("name=token") or of a Set-Cookie header ("name=token; Path=…"). */
const tokenOf = (cookie: string) => /=([^;]*)/.exec(cookie)![1];
const sessionUser = (tenant: TestTenant, cookie: string) => withTenant(tenant.id, (tx) => getSessionUser(tx, tokenOf(cookie)));

async function provenAgo(tenant: TestTenant, cookie: string, ms: number) {
  const user = await sessionUser(tenant, cookie);
  await withTenant(tenant.id, (tx) => tx.updateTable("sessions").set({ reauthenticated_at: new Date(Date.now() - ms) }).where("id", "=", user!.sessionId).execute());
}

const storedOverrides = (tenant: TestTenant) =>
  withTenant(tenant.id, (tx) => tx.selectFrom("tenant_settings").select("overrides").executeTakeFirst()).then((r) => r?.overrides ?? null);

const auditOf = (tenant: TestTenant) =>
  withTenant(tenant.id, (tx) => tx.selectFrom("audit_log").select(["action", "actor_id", "subject_type", "subject_id", "before", "after"]).orderBy("occurred_at").execute());

const SETTINGS = "/admin/securite";
const saveSettings = (tenant: TestTenant, cookie: string, fields: Record<string, string>) =>
  respond(() => securityAction(postArgs(tenant, SETTINGS, fields, { cookie })));

describe("/admin/confirmer and sensitive pages", () => {
  it("sends staff whose password proof is 16 minutes old to confirm it, then back, and lets them in", async () => {
    const town = await createTestTenant();
    const staff = await account(town, { staff: true });
    await provenAgo(town, staff.cookie, 16 * 60 * 1000);

    const sent = await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: staff.cookie })));
    expect(sent.status).toBe(302);
    expect(sent.headers.get("location")).toBe("/admin/confirmer?retour=%2Fadmin%2Fsecurite");
    // The action is guarded as well, and writes nothing.
    const post = await saveSettings(town, staff.cookie, { auditRetentionDays: "400" });
    expect(post.headers.get("location")).toBe("/admin/confirmer?retour=%2Fadmin%2Fsecurite");
    expect(await storedOverrides(town)).toBeNull();

    const page = await (await respond(() => confirmLoader(getArgs(town, "/admin/confirmer?retour=%2Fadmin%2Fsecurite", { cookie: staff.cookie })))).json();
    expect(page).toMatchObject({ retour: "/admin/securite", withCode: false, minutes: REAUTH_WINDOW_MS / 60_000 });

    const wrong = await respond(() => confirmAction(postArgs(town, "/admin/confirmer", { password: "not my password", retour: "/admin/securite" }, { cookie: staff.cookie })));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errors).toEqual({ password: "security:errors.passwordWrong" });
    const attempts = await withTenant(town.id, (tx) => tx.selectFrom("auth_attempts").select("scope").execute());
    expect(attempts.map((a) => a.scope).sort()).toEqual(["account", "address"]);

    const right = await respond(() => confirmAction(postArgs(town, "/admin/confirmer", { password: PASSWORD, retour: "/admin/securite" }, { cookie: staff.cookie })));
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe("/admin/securite");
    expect((await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: staff.cookie })))).status).toBe(200);
  });

  it("returns only to a path of this site: anything else leads to /admin", async () => {
    const town = await createTestTenant();
    const staff = await account(town, { staff: true });
    const offSite = ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "admin", "/\nevil", "/\u0000x"];
    for (const retour of offSite) {
      const response = await respond(() => confirmAction(postArgs(town, "/admin/confirmer", { password: PASSWORD, retour }, { cookie: staff.cookie })));
      expect.soft(response.headers.get("location"), retour).toBe("/admin");
      const page = await (await respond(() => confirmLoader(getArgs(town, `/admin/confirmer?retour=${encodeURIComponent(retour)}`, { cookie: staff.cookie })))).json();
      expect.soft(page.retour, retour).toBe("/admin");
    }
    const inside = await respond(() => confirmAction(postArgs(town, "/admin/confirmer", { password: PASSWORD, retour: "/admin/roles?page=2" }, { cookie: staff.cookie })));
    expect(inside.headers.get("location")).toBe("/admin/roles?page=2");
  });

  it("counts wrong passwords against the sign-in limits: the sixth try is refused, even right", async () => {
    const town = await createTestTenant();
    const staff = await account(town, { staff: true });
    await provenAgo(town, staff.cookie, REAUTH_WINDOW_MS + 1000);
    for (let i = 0; i < 5; i++) {
      const wrong = await respond(() => confirmAction(postArgs(town, "/admin/confirmer", { password: `wrong ${i}` }, { cookie: staff.cookie, clientIp: freshIp() })));
      expect(wrong.status).toBe(400);
    }
    const locked = await respond(() => confirmAction(postArgs(town, "/admin/confirmer", { password: PASSWORD }, { cookie: staff.cookie, clientIp: freshIp() })));
    expect(locked.status).toBe(429);
    expect((await locked.json()).message).toMatch(/réessayez à partir du/);
    expect((await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: staff.cookie })))).status).toBe(302);
  });

  it("asks an account with two-factor sign-in for a code too", async () => {
    const town = await createTestTenant();
    const staff = await account(town, { staff: true });
    const { secret } = await enableTotp(town, staff);
    await provenAgo(town, staff.cookie, REAUTH_WINDOW_MS + 1000);
    expect((await (await respond(() => confirmLoader(getArgs(town, "/admin/confirmer", { cookie: staff.cookie })))).json()).withCode).toBe(true);

    const noCode = await respond(() => confirmAction(postArgs(town, "/admin/confirmer", { password: PASSWORD }, { cookie: staff.cookie })));
    expect(noCode.status).toBe(400);
    expect((await noCode.json()).errors).toEqual({ code: "security:errors.codeRequired" });
    const wrongCode = await respond(() => confirmAction(postArgs(town, "/admin/confirmer", { password: PASSWORD, code: "000000" }, { cookie: staff.cookie })));
    expect((await wrongCode.json()).errors).toEqual({ code: "security:errors.codeWrong" });
    expect((await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: staff.cookie })))).status).toBe(302);

    const right = await respond(() =>
      nextCode(secret).then((code) => confirmAction(postArgs(town, "/admin/confirmer", { password: PASSWORD, code, retour: SETTINGS }, { cookie: staff.cookie }))),
    );
    expect(right.headers.get("location")).toBe(SETTINGS);
    expect((await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: staff.cookie })))).status).toBe(200);
  });
});

describe("signing in with two-factor sign-in", () => {
  it("opens a session that grants nothing until the code, then sends the person where they were going", async () => {
    const town = await createTestTenant();
    const staff = await account(town, { staff: true });
    const { secret } = await enableTotp(town, staff);

    const step1 = await signIn(town, staff.email, { retour: SETTINGS });
    expect(step1.status).toBe(302);
    expect(step1.headers.get("location")).toBe("/connexion/code?retour=%2Fadmin%2Fsecurite");
    const pending = cookieFrom(step1);
    expect(await sessionUser(town, pending)).toBeNull();
    // Nothing anywhere: account page, console page, an account action.
    expect((await respond(() => accountLoader(getArgs(town, "/compte", { cookie: pending })))).headers.get("location")).toBe("/connexion?retour=%2Fcompte");
    expect((await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: pending })))).headers.get("location")).toBe("/connexion?retour=%2Fadmin%2Fsecurite");
    const rename = await respond(() => accountAction(postArgs(town, "/compte", { intent: "name", displayName: "Intrus" }, { cookie: pending })));
    expect(rename.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    expect((await respond(() => confirmAction(postArgs(town, "/admin/confirmer", { password: PASSWORD }, { cookie: pending })))).headers.get("location")).toMatch(/^\/connexion/);
    expect((await respond(() => twoFactorLoader(getArgs(town, TWO_FACTOR, { cookie: pending })))).headers.get("location")).toMatch(/^\/connexion/);

    const page = await (await respond(() => codeLoader(getArgs(town, "/connexion/code?retour=%2Fadmin%2Fsecurite", { cookie: pending })))).json();
    expect(page).toMatchObject({ expired: false, retour: SETTINGS });
    const wrong = await respond(() => codeAction(postArgs(town, "/connexion/code", { code: "123456", retour: SETTINGS }, { cookie: pending })));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errors).toEqual({ code: "security:errors.codeWrong" });
    expect(await sessionUser(town, pending)).toBeNull();

    const done = await respond(() => nextCode(secret).then((code) => codeAction(postArgs(town, "/connexion/code", { code, retour: SETTINGS }, { cookie: pending }))));
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(SETTINGS);
    const user = await sessionUser(town, pending);
    expect(user?.id).toBe(staff.id);
    expect(user?.twoFactorEnabled).toBe(true);
    expect(Date.now() - (user?.reauthenticatedAt?.getTime() ?? 0)).toBeLessThan(5000);
    expect((await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: pending })))).status).toBe(200);
    // Signed in now: the code page sends on.
    expect((await respond(() => codeLoader(getArgs(town, "/connexion/code", { cookie: pending })))).headers.get("location")).toBe("/");
  });

  it("takes a recovery code instead, once", async () => {
    const town = await createTestTenant();
    const person = await account(town);
    const { recoveryCodes } = await enableTotp(town, person);
    expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);

    const first = cookieFrom(await signIn(town, person.email));
    const used = await respond(() => codeAction(postArgs(town, "/connexion/code", { code: recoveryCodes[3] }, { cookie: first })));
    expect(used.headers.get("location")).toBe("/");
    expect((await sessionUser(town, first))?.id).toBe(person.id);

    const second = cookieFrom(await signIn(town, person.email));
    const again = await respond(() => codeAction(postArgs(town, "/connexion/code", { code: recoveryCodes[3] }, { cookie: second })));
    expect(again.status).toBe(400);
    expect(await sessionUser(town, second)).toBeNull();
    expect((await (await respond(() => twoFactorLoader(getArgs(town, TWO_FACTOR, { cookie: first })))).json()).recoveryCodesLeft).toBe(RECOVERY_CODE_COUNT - 1);
  });

  it("lets a pending sign-in expire after 10 minutes", async () => {
    const town = await createTestTenant();
    const person = await account(town);
    const { secret } = await enableTotp(town, person);
    const pending = cookieFrom(await signIn(town, person.email, { retour: "/compte" }));
    await withTenant(town.id, (tx) => tx.updateTable("sessions").set({ created_at: new Date(Date.now() - 11 * 60 * 1000) }).where("awaiting_second_factor", "=", true).execute());

    const page = await (await respond(() => codeLoader(getArgs(town, "/connexion/code?retour=%2Fcompte", { cookie: pending })))).json();
    expect(page).toMatchObject({ expired: true, restart: "/connexion?retour=%2Fcompte" });
    const late = await respond(() => nextCode(secret).then((code) => codeAction(postArgs(town, "/connexion/code", { code }, { cookie: pending }))));
    expect(late.status).toBe(400);
    expect((await late.json()).expired).toBe(true);
    expect(await sessionUser(town, pending)).toBeNull();
  });

  it("locks after 5 wrong codes, and signing in again with the password does not reset the count", async () => {
    const town = await createTestTenant();
    const person = await account(town);
    const { secret } = await enableTotp(town, person);
    const wrongCodes = async (cookie: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const response = await respond(() => codeAction(postArgs(town, "/connexion/code", { code: "000000" }, { cookie, clientIp: freshIp() })));
        expect(response.status).toBe(400);
      }
    };
    await wrongCodes(cookieFrom(await signIn(town, person.email)), 3);
    const again = cookieFrom(await signIn(town, person.email));
    await wrongCodes(again, 2);
    const locked = await respond(() => nextCode(secret).then((code) => codeAction(postArgs(town, "/connexion/code", { code }, { cookie: again, clientIp: freshIp() }))));
    expect(locked.status).toBe(429);
    expect(await sessionUser(town, again)).toBeNull();
  });

  it("opens a full session at once for an account without two-factor sign-in", async () => {
    const town = await createTestTenant();
    const person = await account(town);
    const response = await signIn(town, person.email, { retour: "/compte" });
    expect(response.headers.get("location")).toBe("/compte");
    expect((await sessionUser(town, cookieFrom(response)))?.id).toBe(person.id);
  });

  it("does not let a password reset link skip the code", async () => {
    const town = await createTestTenant();
    const person = await account(town);
    await enableTotp(town, person);
    await inTenant(town, (env) => requestPasswordReset(env, person.email));
    const mail = await withTenant(town.id, (tx) => tx.selectFrom("outbox_emails").select("text_body").where("to_address", "=", person.email).orderBy("created_at", "desc").executeTakeFirstOrThrow());
    const token = /reinitialiser-mot-de-passe\?token=([A-Za-z0-9_-]{43})/.exec(mail.text_body)![1];
    const reset = await inTenant(town, (env) => resetPassword(env, token, "a brand new password", { ip: freshIp(), userAgent: "test" }));
    if (!reset.ok) throw new Error("reset failed");
    // The reset page sends the person to the code step (app/routes/reinitialiser-mot-de-passe.tsx).
    expect(reset.awaitingSecondFactor).toBe(true);
    expect(await sessionUser(town, reset.cookie)).toBeNull();
    expect(await withTenant(town.id, (tx) => pendingSignIn(tx, tokenOf(reset.cookie)))).toMatchObject({ userId: person.id });
  });
});

describe(TWO_FACTOR, () => {
  it("shows the QR code and the key in groups of four, wants the password and a right code, then shows the recovery codes once", async () => {
    const town = await createTestTenant();
    const person = await account(town);
    const before = await (await respond(() => twoFactorLoader(getArgs(town, TWO_FACTOR, { cookie: person.cookie })))).json();
    expect(before).toMatchObject({ enabledAt: null, enrolment: null, staffMustUseIt: false, issuer: `Communa – Ville ${town.slug}` });

    await respond(() => twoFactorAction(postArgs(town, TWO_FACTOR, { intent: "start" }, { cookie: person.cookie })));
    const page = await (await respond(() => twoFactorLoader(getArgs(town, TWO_FACTOR, { cookie: person.cookie })))).json();
    expect(page.enrolment.secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(page.enrolment.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = page.enrolment.secret.replace(/ /g, "");

    const badPassword = await respond(() => twoFactorAction(postArgs(town, TWO_FACTOR, { intent: "enrol", password: "wrong one", enrolCode: "123456" }, { cookie: person.cookie })));
    expect(badPassword.status).toBe(400);
    expect((await badPassword.json()).errors).toEqual({ password: "security:errors.passwordWrong" });
    const badFormat = await respond(() => twoFactorAction(postArgs(town, TWO_FACTOR, { intent: "enrol", password: PASSWORD, enrolCode: "12a456" }, { cookie: person.cookie })));
    expect((await badFormat.json()).errors).toEqual({ enrolCode: "security:errors.codeFormat" });
    const current = await currentTotpCode(secret);
    const badCode = await respond(() =>
      twoFactorAction(postArgs(town, TWO_FACTOR, { intent: "enrol", password: PASSWORD, enrolCode: current === "000000" ? "000001" : "000000" }, { cookie: person.cookie })),
    );
    expect((await badCode.json()).errors).toEqual({ enrolCode: "security:errors.codeWrong" });
    expect((await withTenant(town.id, (tx) => tx.selectFrom("users").select("totp_enabled_at").where("id", "=", person.id).executeTakeFirstOrThrow())).totp_enabled_at).toBeNull();

    const ok = await respond(() => twoFactorAction(postArgs(town, TWO_FACTOR, { intent: "enrol", password: PASSWORD, enrolCode: current }, { cookie: person.cookie })));
    expect(ok.status).toBe(200);
    const shown = await ok.json();
    expect(shown.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    const after = await (await respond(() => twoFactorLoader(getArgs(town, TWO_FACTOR, { cookie: person.cookie })))).json();
    expect(after.enabledAt).not.toBeNull();
    expect(after.enrolment).toBeNull();
    expect(JSON.stringify(after)).not.toContain(shown.recoveryCodes[0]);
    // A resident's change of their own account is not a console change: no audit entry.
    expect(await auditOf(town)).toEqual([]);
  });

  it("turns it off with the password and a code, audited for staff", async () => {
    const town = await createTestTenant();
    const staff = await account(town, { staff: true });
    const { secret } = await enableTotp(town, staff);
    const noCode = await respond(() => twoFactorAction(postArgs(town, TWO_FACTOR, { intent: "disable", password: PASSWORD }, { cookie: staff.cookie })));
    expect((await noCode.json()).errors).toEqual({ disableCode: "security:errors.codeRequired" });
    const wrongCode = await respond(() => twoFactorAction(postArgs(town, TWO_FACTOR, { intent: "disable", password: PASSWORD, disableCode: "000000" }, { cookie: staff.cookie })));
    expect((await wrongCode.json()).errors).toEqual({ disableCode: "security:errors.codeWrong" });

    const off = await respond(() =>
      nextCode(secret).then((code) => twoFactorAction(postArgs(town, TWO_FACTOR, { intent: "disable", password: PASSWORD, disableCode: code }, { cookie: staff.cookie }))),
    );
    expect(off.headers.get("location")).toBe(`${TWO_FACTOR}?ok=desactivee`);
    const row = await withTenant(town.id, (tx) => tx.selectFrom("users").select(["totp_secret", "totp_enabled_at"]).where("id", "=", staff.id).executeTakeFirstOrThrow());
    expect(row).toEqual({ totp_secret: null, totp_enabled_at: null });
    expect(await withTenant(town.id, (tx) => tx.selectFrom("user_recovery_codes").select("code_hash").execute())).toEqual([]);
    expect((await auditOf(town)).map((e) => [e.action, e.actor_id, e.subject_type, e.subject_id])).toEqual([
      ["security.totp.enable", staff.id, "user", staff.id],
      ["security.totp.disable", staff.id, "user", staff.id],
    ]);
  });
});

describe("mandatory two-factor sign-in for staff", () => {
  const staffOnly = tenantLoader(async ({ user }) => json({ roles: user?.roles.map((r) => r.role) }), { roles: ["staff"] });

  it("sends staff without it to set it up, takes their staff powers meanwhile, and lets them back in after", async () => {
    const town = await createTestTenant();
    const first = await account(town, { staff: true });
    const other = await account(town, { staff: true });
    await enableTotp(town, first);

    const refused = await saveSettings(town, other.cookie, { staffTwoFactorRequired: "on", auditRetentionDays: "365" });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors).toEqual({ staffTwoFactorRequired: "security:errors.enableOwnFirst" });
    expect(await storedOverrides(town)).toBeNull();

    const saved = await saveSettings(town, first.cookie, { staffTwoFactorRequired: "on", auditRetentionDays: "365" });
    expect(saved.headers.get("location")).toBe("/admin/securite?ok=saved");
    const audit = await auditOf(town);
    expect(audit.at(-1)).toMatchObject({
      action: "town.security",
      actor_id: first.id,
      before: { staffTwoFactorRequired: false, auditRetentionDays: 365 },
      after: { staffTwoFactorRequired: true, auditRetentionDays: 365 },
    });

    const sent = await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: other.cookie })));
    expect(sent.headers.get("location")).toBe(`${TWO_FACTOR}?retour=%2Fadmin%2Fsecurite`);
    expect((await respond(() => staffOnly(getArgs(town, "/outils", { cookie: other.cookie })))).status).toBe(403);
    const page = await (await respond(() => twoFactorLoader(getArgs(town, `${TWO_FACTOR}?retour=%2Fadmin%2Fsecurite`, { cookie: other.cookie })))).json();
    expect(page).toMatchObject({ staffMustUseIt: true, retour: SETTINGS });

    const list = await (await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: first.cookie })))).json();
    expect(list.settings).toEqual({ staffTwoFactorRequired: true, auditRetentionDays: 365 });
    expect(list.staff.map((s: { id: string; twoFactorSince: string | null }) => [s.id, s.twoFactorSince !== null]).sort()).toEqual(
      [
        [first.id, true],
        [other.id, false],
      ].sort(),
    );

    await enableTotp(town, other);
    expect((await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: other.cookie })))).status).toBe(200);
    expect((await (await respond(() => staffOnly(getArgs(town, "/outils", { cookie: other.cookie })))).json()).roles).toContain("staff");

    // Staff cannot turn it off for themselves while the rule applies.
    const disable = await respond(() => twoFactorAction(postArgs(town, TWO_FACTOR, { intent: "disable", password: PASSWORD, disableCode: "000000" }, { cookie: other.cookie })));
    expect(disable.status).toBe(400);
    expect((await disable.json()).message).toMatch(/exige la double authentification/);
    expect((await withTenant(town.id, (tx) => tx.selectFrom("users").select("totp_enabled_at").where("id", "=", other.id).executeTakeFirstOrThrow())).totp_enabled_at).not.toBeNull();
  });

  it("validates the retention period within its bounds and keeps what was typed", async () => {
    const town = await createTestTenant();
    const staff = await account(town, { staff: true });
    for (const days of ["89", "3651", "abc", "12.5", ""]) {
      const response = await saveSettings(town, staff.cookie, { auditRetentionDays: days });
      expect.soft(response.status, days).toBe(400);
      const body = await response.json();
      expect.soft(body.errors.auditRetentionDays, days).toMatch(/^security:errors\.retention/);
    }
    expect(await storedOverrides(town)).toBeNull();
    const ok = await saveSettings(town, staff.cookie, { auditRetentionDays: "730" });
    expect(ok.status).toBe(302);
    expect(await storedOverrides(town)).toEqual({ security: { staffTwoFactorRequired: false }, audit: { retentionDays: 730 } });
    // Saving the same values again changes nothing and logs nothing.
    await saveSettings(town, staff.cookie, { auditRetentionDays: "730" });
    expect((await auditOf(town)).filter((e) => e.action === "town.security")).toHaveLength(1);
  });

  it("answers 403 to a resident, on the page and its action", async () => {
    const town = await createTestTenant();
    const resident = await account(town);
    expect((await respond(() => securityLoader(getArgs(town, SETTINGS, { cookie: resident.cookie })))).status).toBe(403);
    expect((await saveSettings(town, resident.cookie, { auditRetentionDays: "730" })).status).toBe(403);
    expect(await storedOverrides(town)).toBeNull();
  });

  it("changes the settings of the staff member's own town only", async () => {
    const [a, b] = [await createTestTenant(), await createTestTenant()];
    const staffOfA = await account(a, { staff: true });
    const staffOfB = await account(b, { staff: true });
    const onB = await saveSettings(b, staffOfA.cookie, { auditRetentionDays: "730" });
    expect(onB.status).toBe(302);
    expect(onB.headers.get("location")).toMatch(/^\/connexion\?retour=/);
    expect(await storedOverrides(b)).toBeNull();

    expect((await saveSettings(a, staffOfA.cookie, { auditRetentionDays: "730" })).status).toBe(302);
    expect(await storedOverrides(a)).toMatchObject({ audit: { retentionDays: 730 } });
    expect(await storedOverrides(b)).toBeNull();
    expect(await auditOf(b)).toEqual([]);
    const pageOfB = await (await respond(() => securityLoader(getArgs(b, SETTINGS, { cookie: staffOfB.cookie })))).json();
    expect(pageOfB.settings.auditRetentionDays).toBe(365);
    expect(pageOfB.staff.map((s: { email: string }) => s.email)).toEqual([staffOfB.email]);
  });
});
