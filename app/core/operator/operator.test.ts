// The operator console: sign-in, its separation from the towns' hosts and sessions, CSRF,
// and reading one town's outbox without seeing another's. Loaders and actions are called
// directly with Requests, as Remix calls them.
import { saveTenantOverrides } from "~/core/tenant/settings.server";
import crypto from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { createSession } from "~/core/auth/session.server";
import { closeDatabase, withPlatform, withTenant } from "~/core/db/db.server";
import { csrfTokenFor } from "~/core/http/csrf.server";
import { recordEvent } from "~/core/events.server";
import { hashPassword } from "~/core/auth/password.server";
import { loader as rootLoader } from "~/root";
import { loader as tenantsLoader } from "~/routes/operateur+/_index";
import { action as signInAction, loader as signInLoader } from "~/routes/operateur+/connexion";
import { action as signOutAction } from "~/routes/operateur+/deconnexion";
import { loader as outboxLoader } from "~/routes/operateur+/communes.$slug.courriels._index";
import { loader as emailLoader } from "~/routes/operateur+/communes.$slug.courriels.$id";
import { createOperator } from "../../../db/operators";
import { createTestTenant, ownerDb, type TestTenant } from "../../../db/test/helpers";
import { createOperatorSession } from "./session.server";
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from "./sign-in.server";

const OPERATOR_HOST = "admin.localhost";
const PASSWORD = "Un-mot-de-passe-solide-42";

afterAll(async () => {
  await closeDatabase();
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A browser: its own CSRF seed and client address, and the cookies it was given. */
function browser() {
  const csrfSeed = crypto.randomBytes(24).toString("base64url");
  const clientIp = `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;
  const context = { requestId: "test", nonce: "nonce", csrfSeed, clientIp, log: silent } as AppLoadContext;
  return { context, csrf: csrfTokenFor(csrfSeed), cookies: new Map<string, string>() };
}
type Browser = ReturnType<typeof browser>;

function cookieHeader(b: Browser) {
  return [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

function keepCookies(b: Browser, response: Response) {
  const set = response.headers.get("set-cookie");
  if (!set) return;
  const [pair] = set.split(";");
  const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
  if (value) b.cookies.set(name, value);
  else b.cookies.delete(name);
}

function get(b: Browser, host: string, path: string) {
  return new Request(`http://${host}${path}`, { headers: { host, cookie: cookieHeader(b) } });
}

function post(b: Browser, host: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return new Request(`http://${host}${path}`, {
    method: "POST",
    headers: { host, cookie: cookieHeader(b), "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Remix answers a thrown Response like a returned one. */
async function settle(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    if (value instanceof Response) return value;
    throw new Error("expected a Response");
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

async function newOperator(options: { deactivated?: boolean } = {}) {
  const email = `op-${crypto.randomBytes(4).toString("hex")}@communa.test`;
  const id = await createOperator(process.env.TEST_OWNER_DATABASE_URL!, { email, displayName: "Opé Test", password: PASSWORD });
  if (options.deactivated) await ownerDb().updateTable("platform_operators").set({ deactivated_at: new Date() }).where("id", "=", id).execute();
  return { id, email };
}

function signIn(b: Browser, email: string, password: string, extra: Record<string, string> = {}) {
  return settle(async () => {
    const response = await signInAction({
      request: post(b, OPERATOR_HOST, "/operateur/connexion", { csrf: b.csrf, email, password, ...extra }),
      params: {},
      context: b.context,
    });
    if (response instanceof Response) keepCookies(b, response);
    return response;
  });
}

async function signedInBrowser() {
  const b = browser();
  const { id, email } = await newOperator();
  const response = await signIn(b, email, PASSWORD);
  expect(response.status).toBe(302);
  return { b, operatorId: id, email };
}

async function addUser(tenant: TestTenant, email: string) {
  return withTenant(tenant.id, async (tx) => {
    const user = await tx
      .insertInto("users")
      .values({ tenant_id: tenant.id, email, password_hash: await hashPassword(PASSWORD), display_name: "Habitante" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const cookie = await createSession(tx, tenant.id, user.id, {});
    return { id: user.id, token: cookie.split(";")[0].split("=")[1] };
  });
}

async function addEmail(tenant: TestTenant, subject: string, minutesAgo = 0) {
  return withTenant(tenant.id, async (tx) => {
    const row = await tx
      .insertInto("outbox_emails")
      .values({
        tenant_id: tenant.id,
        to_address: `habitant@${tenant.slug}.test`,
        subject,
        text_body: `Bonjour,\n\n${subject} : texte complet.`,
        html_body: `<p>${subject}</p>`,
        status: "kept",
        created_at: new Date(Date.now() - minutesAgo * 60_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

describe("operator sign-in", () => {
  it("signs in with the right password: a fresh HttpOnly, SameSite=Lax cookie of its own, then the console opens", async () => {
    const b = browser();
    const { email } = await newOperator();
    const response = await signIn(b, email.toUpperCase(), PASSWORD);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/operateur");
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^communa_operator=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const page = await settle(() => tenantsLoader({ request: get(b, OPERATOR_HOST, "/operateur"), params: {}, context: b.context }));
    expect(page.status).toBe(200);
    const stored = await ownerDb()
      .selectFrom("platform_operator_sessions")
      .select("id")
      .where("id", "=", crypto.createHash("sha256").update(b.cookies.get("communa_operator")!).digest("hex"))
      .execute();
    expect(stored).toHaveLength(1);
  });

  it("refuses a wrong password with a translated message and no cookie", async () => {
    const b = browser();
    const { email } = await newOperator();
    const response = await signIn(b, email, "pas-le-bon-mot-de-passe");
    expect(response.status).toBe(400);
    expect(response.headers.get("set-cookie")).toBeNull();
    const body = await response.json();
    expect(body.message).toBe("Adresse e-mail ou mot de passe incorrect.");
    expect(body.values.email).toBe(email);
    expect(JSON.stringify(body)).not.toContain("pas-le-bon");
  });

  it("returns field errors (400) for empty fields, without counting a failure", async () => {
    const b = browser();
    const response = await signIn(b, "", "");
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ email: "operator:signIn.errors.emailRequired", password: "operator:signIn.errors.passwordRequired" });
  });

  it(`locks an account after ${MAX_FAILURES_PER_ACCOUNT} failures, even for the right password`, async () => {
    const { email } = await newOperator();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // From several addresses: the account limit must not depend on the address.
      expect((await signIn(browser(), email, `faux-${i}`)).status).toBe(400);
    }
    const b = browser();
    const locked = await signIn(b, email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("set-cookie")).toBeNull();
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await locked.json()).message).toMatch(/Trop de tentatives/);
  });

  it(`limits one address to ${MAX_FAILURES_PER_ADDRESS} failures across accounts`, async () => {
    const b = browser();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      expect((await signIn(b, `inconnu-${i}-${crypto.randomBytes(3).toString("hex")}@communa.test`, "x")).status).toBe(400);
    }
    const { email } = await newOperator();
    expect((await signIn(b, email, PASSWORD)).status).toBe(429);
    // Another address is not affected.
    expect((await signIn(browser(), email, PASSWORD)).status).toBe(302);
  });

  it("refuses a deactivated operator, and a deactivated operator's session stops working", async () => {
    const gone = await newOperator({ deactivated: true });
    const refused = await signIn(browser(), gone.email, PASSWORD);
    expect(refused.status).toBe(400);
    expect((await refused.json()).message).toBe("Adresse e-mail ou mot de passe incorrect.");

    const { b, operatorId } = await signedInBrowser();
    await ownerDb().updateTable("platform_operators").set({ deactivated_at: new Date() }).where("id", "=", operatorId).execute();
    const page = await settle(() => tenantsLoader({ request: get(b, OPERATOR_HOST, "/operateur"), params: {}, context: b.context }));
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/operateur/connexion?retour=%2Foperateur");
  });

  it("goes back to the page asked for, but never off the console", async () => {
    const b = browser();
    const { email } = await newOperator();
    const response = await signIn(b, email, PASSWORD, { retour: "/operateur/communes/x/courriels" });
    expect(response.headers.get("location")).toBe("/operateur/communes/x/courriels");
    const evil = await signIn(browser(), email, PASSWORD, { retour: "//evil.example/operateur" });
    expect(evil.headers.get("location")).toBe("/operateur");
  });

  it("signs out: the session is revoked in the database and the cookie cleared", async () => {
    const { b } = await signedInBrowser();
    const token = b.cookies.get("communa_operator")!;
    const response = await settle(() =>
      signOutAction({ request: post(b, OPERATOR_HOST, "/operateur/deconnexion", { csrf: b.csrf }), params: {}, context: b.context }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toMatch(/^communa_operator=;/);
    const b2 = browser();
    b2.cookies.set("communa_operator", token);
    const page = await settle(() => tenantsLoader({ request: get(b2, OPERATOR_HOST, "/operateur"), params: {}, context: b2.context }));
    expect(page.status).toBe(302);
  });
});

describe("operator cookie in production", () => {
  it("is __Host- prefixed and Secure, so no sibling host can set or read it", async () => {
    // Production as app/core/http/cookies.server.ts tells it.
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("COMMUNA_PRODUCTION", "1");
    try {
      const { id } = await newOperator();
      const cookie = await withPlatform((tx) => createOperatorSession(tx, id, {}));
      expect(cookie).toMatch(/^__Host-communa_operator=[A-Za-z0-9_-]{43}; Path=\/;/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).not.toMatch(/Domain=/i);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("separation from the towns", () => {
  it("answers 404 on a town's host, for loaders and actions, signed in or not", async () => {
    const tenant = await createTestTenant();
    const { b } = await signedInBrowser();
    const calls: Array<() => Promise<unknown>> = [
      () => tenantsLoader({ request: get(b, tenant.host, "/operateur"), params: {}, context: b.context }),
      () => signInLoader({ request: get(b, tenant.host, "/operateur/connexion"), params: {}, context: b.context }),
      () => outboxLoader({ request: get(b, tenant.host, `/operateur/communes/${tenant.slug}/courriels`), params: { slug: tenant.slug }, context: b.context }),
      () => signInAction({ request: post(b, tenant.host, "/operateur/connexion", { csrf: b.csrf, email: "a@b.fr", password: PASSWORD }), params: {}, context: b.context }),
      () => signOutAction({ request: post(b, tenant.host, "/operateur/deconnexion", { csrf: b.csrf }), params: {}, context: b.context }),
      () => tenantsLoader({ request: get(b, "inconnu.localhost", "/operateur"), params: {}, context: b.context }),
    ];
    for (const call of calls) {
      const response = await settle(call);
      expect(response.status).toBe(404);
    }
  });

  it("gives no operator access to a town user's session cookie, under either cookie name", async () => {
    const tenant = await createTestTenant();
    const user = await addUser(tenant, `agent-${tenant.slug}@ville.test`);
    await withTenant(tenant.id, (tx) => tx.insertInto("user_roles").values({ tenant_id: tenant.id, user_id: user.id, role: "staff" }).execute());
    const b = browser();
    b.cookies.set("communa_session", user.token);
    b.cookies.set("communa_operator", user.token);
    const page = await settle(() => tenantsLoader({ request: get(b, OPERATOR_HOST, "/operateur"), params: {}, context: b.context }));
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toMatch(/^\/operateur\/connexion/);
  });

  it("keeps operator tables out of reach of a town's transaction", async () => {
    await newOperator();
    const tenant = await createTestTenant();
    const fromTenant = await withTenant(tenant.id, (tx) => tx.selectFrom("platform_operators").select("email").execute());
    expect(fromTenant).toEqual([]);
    const fromPlatform = await withPlatform((tx) => tx.selectFrom("platform_operators").select("email").execute());
    expect(fromPlatform.length).toBeGreaterThan(0);
  });
});

describe("CSRF on operator actions", () => {
  it("refuses sign-in without a token, with a wrong token, or from another origin", async () => {
    const { email } = await newOperator();
    const b = browser();
    const attempts = [
      post(b, OPERATOR_HOST, "/operateur/connexion", { email, password: PASSWORD }),
      post(b, OPERATOR_HOST, "/operateur/connexion", { csrf: browser().csrf, email, password: PASSWORD }),
      post(b, OPERATOR_HOST, "/operateur/connexion", { csrf: b.csrf, email, password: PASSWORD }, { origin: "http://evil.example" }),
    ];
    for (const request of attempts) {
      const response = await settle(() => signInAction({ request, params: {}, context: b.context }));
      expect(response.status).toBe(403);
      expect((await response.json()).reason).toBe("csrf");
      expect(response.headers.get("set-cookie")).toBeNull();
    }
  });

  it("refuses sign-out without a token: the session stays valid", async () => {
    const { b } = await signedInBrowser();
    const refused = await settle(() => signOutAction({ request: post(b, OPERATOR_HOST, "/operateur/deconnexion", {}), params: {}, context: b.context }));
    expect(refused.status).toBe(403);
    const page = await settle(() => tenantsLoader({ request: get(b, OPERATOR_HOST, "/operateur"), params: {}, context: b.context }));
    expect(page.status).toBe(200);
  });
});

describe("the console's pages", () => {
  it("lists the towns with hosts, status, modules, active accounts and last activity", async () => {
    const tenant = await createTestTenant({ modules: { directory: {} } });
    await addUser(tenant, `a-${tenant.slug}@ville.test`);
    const gone = await addUser(tenant, `b-${tenant.slug}@ville.test`);
    await withTenant(tenant.id, (tx) => tx.updateTable("users").set({ deactivated_at: new Date() }).where("id", "=", gone.id).execute());
    const eventAt = new Date(Date.now() + 3_600_000);
    await withTenant(tenant.id, (tx) => recordEvent(tx, { module: "directory", kind: "test", occurredAt: eventAt }));
    const idle = await createTestTenant();

    const { b } = await signedInBrowser();
    const page = await settle(() => tenantsLoader({ request: get(b, OPERATOR_HOST, "/operateur"), params: {}, context: b.context }));
    const { tenants } = await page.json();
    const row = tenants.find((t: { slug: string }) => t.slug === tenant.slug);
    expect(row).toMatchObject({
      name: `Ville ${tenant.slug}`,
      hosts: [tenant.host],
      status: "active",
      enabledModules: ["directory"],
      activeAccounts: 1,
      lastActivityAt: eventAt.toISOString(),
    });
    const idleRow = tenants.find((t: { slug: string }) => t.slug === idle.slug);
    expect(idleRow).toMatchObject({ enabledModules: [], activeAccounts: 0, lastActivityAt: null });
  });

  it("shows a town under the name its staff gave it, and a change in its console as activity", async () => {
    const tenant = await createTestTenant();
    const changedAt = new Date(Date.now() + 7_200_000);
    await withTenant(tenant.id, async (tx) => {
      await saveTenantOverrides(tx, tenant.id, { name: "Nom choisi par la mairie", timeZone: "America/Cayenne" });
      await tx
        .insertInto("audit_log")
        .values({ tenant_id: tenant.id, actor_kind: "staff", actor_id: null, actor_label: "Agent", action: "town.identity", subject_type: "town", occurred_at: changedAt })
        .execute();
    });
    const { b } = await signedInBrowser();
    const page = await settle(() => tenantsLoader({ request: get(b, OPERATOR_HOST, "/operateur"), params: {}, context: b.context }));
    const row = (await page.json()).tenants.find((t: { slug: string }) => t.slug === tenant.slug);
    expect(row).toMatchObject({ name: "Nom choisi par la mairie", timeZone: "America/Cayenne", lastActivityAt: changedAt.toISOString() });
  });

  it("shows tenant A's outbox, newest first, and none of tenant B's mail", async () => {
    const a = await createTestTenant();
    const bTenant = await createTestTenant();
    await addEmail(a, "Confirmez votre adresse (A, ancien)", 30);
    const newest = await addEmail(a, "Réinitialisation du mot de passe (A, récent)", 1);
    const secret = await addEmail(bTenant, "Courriel secret de B", 0);

    const { b } = await signedInBrowser();
    const page = await settle(() =>
      outboxLoader({ request: get(b, OPERATOR_HOST, `/operateur/communes/${a.slug}/courriels`), params: { slug: a.slug }, context: b.context }),
    );
    expect(page.status).toBe(200);
    const body = await page.json();
    expect(body.hasMore).toBe(false);
    expect(body.emails.map((e: { subject: string }) => e.subject)).toEqual([
      "Réinitialisation du mot de passe (A, récent)",
      "Confirmez votre adresse (A, ancien)",
    ]);
    expect(JSON.stringify(body)).not.toContain("secret de B");

    const detail = await settle(() =>
      emailLoader({ request: get(b, OPERATOR_HOST, `/operateur/communes/${a.slug}/courriels/${newest}`), params: { slug: a.slug, id: newest }, context: b.context }),
    );
    expect(detail.status).toBe(200);
    expect((await detail.json()).email.text_body).toContain("texte complet");

    // B's email asked for under A's address: not found, not shown.
    const crossed = await settle(() =>
      emailLoader({ request: get(b, OPERATOR_HOST, `/operateur/communes/${a.slug}/courriels/${secret}`), params: { slug: a.slug, id: secret }, context: b.context }),
    );
    expect(crossed.status).toBe(404);
  });

  it("answers 404 for an unknown town, and sends a visitor who is not signed in to the sign-in page", async () => {
    const { b } = await signedInBrowser();
    const unknown = await settle(() =>
      outboxLoader({ request: get(b, OPERATOR_HOST, "/operateur/communes/nulle-part/courriels"), params: { slug: "nulle-part" }, context: b.context }),
    );
    expect(unknown.status).toBe(404);
    const tenant = await createTestTenant();
    const anonymous = browser();
    const redirected = await settle(() =>
      outboxLoader({
        request: get(anonymous, OPERATOR_HOST, `/operateur/communes/${tenant.slug}/courriels`),
        params: { slug: tenant.slug },
        context: anonymous.context,
      }),
    );
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("location")).toBe(`/operateur/connexion?retour=${encodeURIComponent(`/operateur/communes/${tenant.slug}/courriels`)}`);
  });
});

describe("the root shell on each kind of host", () => {
  it("gives operator-shell data (no town) on an operator host and redirects / to the console", async () => {
    const { b } = await signedInBrowser();
    const shell = await settle(() => rootLoader({ request: get(b, OPERATOR_HOST, "/operateur"), params: {}, context: b.context }));
    const data = await shell.json();
    expect(data).toMatchObject({ shell: "operator", locale: "fr", csrfToken: b.csrf, operator: { displayName: "Opé Test" } });
    expect(data.tenant).toBeUndefined();
    const home = await settle(() => rootLoader({ request: get(b, OPERATOR_HOST, "/"), params: {}, context: b.context }));
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("/operateur");
  });

  it("keeps the town's shell on a town's host", async () => {
    const tenant = await createTestTenant();
    const b = browser();
    const shell = await settle(() => rootLoader({ request: get(b, tenant.host, "/"), params: {}, context: b.context }));
    const data = await shell.json();
    expect(data).toMatchObject({ shell: "tenant", tenant: { slug: tenant.slug } });
  });
});
