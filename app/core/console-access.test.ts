// Every console route, found from the app's real route table (remix.config.js): the staff
// console (/admin/...) and the staff tools modules list in their `adminNavigation`. For each
// one, loader and action: a resident is refused, and a staff session of another town is
// nobody here. A route added tomorrow is covered without editing this file.
import crypto from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { defineRoutes } from "@remix-run/dev/dist/config/routes.js";
import config from "../../remix.config.js";
import { closeDatabase } from "~/core/db/db.server";
import { createTestTenant, type TestTenant } from "../../db/test/helpers";
import { getArgs, postArgs, respond } from "./auth/testing";
import { sessionCookieName } from "./auth/session.server";
import { listModules } from "./modules/registry.server";
import { signedInUser } from "./permissions/testing";

afterAll(async () => {
  await closeDatabase();
});

type RouteEntry = { id: string; file: string; url: string; paramNames: string[] };

async function appRoutes(): Promise<RouteEntry[]> {
  const manifest = await (config.routes as (d: typeof defineRoutes) => Promise<Record<string, { id: string; file: string; path?: string; parentId?: string }>>)(defineRoutes);
  const fullPath = (id: string): string => {
    const r = manifest[id];
    const parent = r.parentId && manifest[r.parentId] ? fullPath(r.parentId) : "";
    return [parent, r.path ?? ""].filter(Boolean).join("/");
  };
  return Object.values(manifest).map((r) => {
    const url = "/" + fullPath(r.id);
    return { id: r.id, file: r.file, url, paramNames: [...url.matchAll(/:(\w+)/g)].map((m) => m[1]) };
  });
}

function isConsoleRoute(url: string, adminPrefixes: string[]) {
  return url === "/admin" || url.startsWith("/admin/") || adminPrefixes.some((p) => url === p || url.startsWith(p + "/"));
}

/** A concrete URL for a route pattern: unknown ids, since the refusal must come before any lookup. */
function concrete(route: RouteEntry) {
  const params: Record<string, string> = {};
  for (const name of route.paramNames) params[name] = crypto.randomUUID();
  const url = route.url.replace(/:(\w+)/g, (_, n: string) => params[n]).replace(/\/\*$/, "/x");
  return { url, params };
}

const cookie = (token: string) => `${sessionCookieName()}=${token}`;

type Handler = (args: ReturnType<typeof getArgs>) => Promise<unknown>;

describe("console routes", async () => {
  const adminPrefixes = listModules().flatMap((m) => (m.adminNavigation ?? []).map((e) => e.to));
  const all = await appRoutes();
  const consoleRoutes = all.filter((r) => isConsoleRoute(r.url, adminPrefixes));
  const modules = Object.fromEntries(
    await Promise.all(consoleRoutes.map(async (r) => [r.id, (await import(pathToFileURL(path.resolve("app", r.file)).href)) as { loader?: Handler; action?: Handler }] as const)),
  );
  const handlers = consoleRoutes.flatMap((r) =>
    (["loader", "action"] as const).filter((kind) => modules[r.id][kind]).map((kind) => ({ route: r, kind, run: modules[r.id][kind]! })),
  );

  let town: TestTenant;
  let other: TestTenant;
  let resident: string;
  let staff: string;
  let staffOfOther: string;
  beforeAll(async () => {
    const everyModule = Object.fromEntries(listModules().map((m) => [m.id, {}]));
    [town, other] = [await createTestTenant({ modules: everyModule }), await createTestTenant({ modules: everyModule })];
    resident = cookie((await signedInUser(town, [{ role: "resident" }])).token);
    staff = cookie((await signedInUser(town, [{ role: "staff" }])).token);
    staffOfOther = cookie((await signedInUser(other, [{ role: "staff" }])).token);
  });

  const call = (h: (typeof handlers)[number], tenant: TestTenant, sessionCookie: string) => {
    const { url, params } = concrete(h.route);
    const args = h.kind === "loader" ? getArgs(tenant, url, { cookie: sessionCookie, params }) : { ...postArgs(tenant, url, { intent: "save" }, { cookie: sessionCookie }), params };
    return respond(() => h.run(args));
  };

  it("finds the console's pages and the modules' staff tools", () => {
    const urls = consoleRoutes.map((r) => r.url);
    expect(urls).toEqual(expect.arrayContaining(["/admin", "/admin/outbox", ...adminPrefixes]));
    expect(handlers.filter((h) => h.kind === "action").length).toBeGreaterThan(0);
  });

  it("lets staff of the town reach every console page that needs no record", async () => {
    const pages = handlers.filter((h) => h.kind === "loader" && h.route.paramNames.length === 0);
    const refused: string[] = [];
    for (const h of pages) {
      const response = await call(h, town, staff);
      // 200, or a redirect to confirm the password (sensitive pages): never refused.
      if (response.status >= 400) refused.push(`${h.route.url}: ${response.status}`);
    }
    expect(refused).toEqual([]);
  });

  it("refuses a resident on every console loader and action", async () => {
    const reached: string[] = [];
    for (const h of handlers) {
      const response = await call(h, town, resident);
      // 403, or 404 for a record the resident may not even know exists.
      if (response.status !== 403 && response.status !== 404) reached.push(`${h.kind} ${h.route.url}: ${response.status}`);
    }
    expect(reached).toEqual([]);
  });

  it("treats a staff session of another town as nobody: every console loader and action sends to sign in (or does not exist)", async () => {
    const reached: string[] = [];
    for (const h of handlers) {
      const response = await call(h, town, staffOfOther);
      const location = response.headers.get("location") ?? "";
      const toSignIn = response.status === 302 && location.startsWith("/connexion?retour=");
      if (!toSignIn && response.status !== 404) reached.push(`${h.kind} ${h.route.url}: ${response.status} ${location}`);
    }
    expect(reached).toEqual([]);
  });
});

/**
 * Staff of town A, on A's host, naming records of town B in the URL: every console loader
 * answers 404 and every action, whatever intent it is sent, changes nothing in B. Each
 * route parameter needs a record of B here; a new parameterised console route without one
 * fails the first test, so it cannot be forgotten.
 */
describe("console routes given another town's records", async () => {
  const fs = await import("node:fs/promises");
  const { withTenant } = await import("~/core/db/db.server");
  const { sql } = await import("kysely");
  const { ownerDb, tenantTables } = await import("../../db/test/helpers");
  const { addListing } = await import("~/modules/directory/test-fixtures");
  const { createOrganisation } = await import("./permissions/testing");

  const adminPrefixes = listModules().flatMap((m) => (m.adminNavigation ?? []).map((e) => e.to));
  const withParams = (await appRoutes()).filter((r) => isConsoleRoute(r.url, adminPrefixes) && r.paramNames.length > 0);

  let a: TestTenant;
  let b: TestTenant;
  let staffOfA: string;
  /** For each parameter of each route, the id of one of B's records. */
  let recordsOfB: Record<string, string>;

  /** Which record of B a route's parameter names, by the route's URL pattern. */
  const recordFor = (route: RouteEntry, param: string): string | undefined => {
    const key = `${route.url.replace(/\/:\w+.*$/, "")}:${param}`;
    return recordsOfB[key];
  };

  /** Routes whose parameter names something of the platform, found in every town. */
  const SHARED_PARAMS = new Set(["/admin/modules/:id"]);

  beforeAll(async () => {
    const everyModule = Object.fromEntries(listModules().map((m) => [m.id, {}]));
    [a, b] = [await createTestTenant({ modules: everyModule }), await createTestTenant({ modules: everyModule })];
    staffOfA = cookie((await signedInUser(a, [{ role: "staff" }])).token);
    const personOfB = await signedInUser(b, [{ role: "resident" }]);
    const organisationOfB = await createOrganisation(b, "Association de B");
    const listingOfB = await addListing(b, { status: "pending" });
    const { roleKey, emailId, photoId } = await withTenant(b.id, async (tx) => {
      await tx.insertInto("roles").values({ tenant_id: b.id, key: "role_de_b", is_builtin: false, labels: JSON.stringify({ fr: "Rôle de B", en: "B's role" }), rules: "{}" }).execute();
      const email = await tx
        .insertInto("outbox_emails")
        .values({ tenant_id: b.id, to_address: "x@b.example.org", subject: "B", text_body: "B", html_body: "<p>B</p>", status: "kept" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const photo = await sql<{ id: string }>`
        insert into directory_photos (tenant_id, initiative_id, content_type, bytes, width, height, alt)
        values (${b.id}, ${listingOfB}, 'image/png', ${Buffer.from([1, 2, 3])}, 1, 1, 'B') returning id`.execute(tx);
      return { roleKey: "role_de_b", emailId: email.id, photoId: photo.rows[0].id };
    });
    recordsOfB = {
      // Modules are the platform's, not a town's: what A does to one is checked below not to touch B.
      "/admin/modules:id": listModules()[0].id,
      "/admin/personnes:id": personOfB.id,
      "/admin/organisations:id": organisationOfB,
      "/admin/roles:key": roleKey,
      "/admin/outbox:id": emailId,
      "/initiatives/gestion/moderation:id": listingOfB,
      "/initiatives/gestion/moderation/photos:photoId": photoId,
    };
  });

  /** Every row of town B, as the owner sees it. */
  async function snapshotOfB() {
    const out: Record<string, unknown[]> = {};
    for (const table of await tenantTables()) {
      out[table] = await ownerDb()
        .transaction()
        .execute(async (tx) => {
          await sql`select set_config('app.tenant_id', ${b.id}, true)`.execute(tx);
          const { rows } = await sql<{ row: unknown }>`select to_jsonb(t) as row from ${sql.table(table)} t order by 1`.execute(tx);
          return rows.map((r) => r.row).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
        });
    }
    // Sessions' last-seen times move with any request of B's own users; not a change made by A.
    return out;
  }

  it("has a record of the other town for every parameter of every console route", () => {
    const missing = withParams.flatMap((r) => r.paramNames.filter((p) => !recordFor(r, p)).map((p) => `${r.url} (${p})`));
    expect(missing).toEqual([]);
  });

  it("answers 404 on every loader and changes nothing of the other town on any action", async () => {
    const before = await snapshotOfB();
    const reached: string[] = [];
    for (const route of withParams) {
      const mod = (await import(pathToFileURL(path.resolve("app", route.file)).href)) as { loader?: Handler; action?: Handler };
      const params = Object.fromEntries(route.paramNames.map((p) => [p, recordFor(route, p)!]));
      const url = route.url.replace(/:(\w+)/g, (_, n: string) => params[n]);
      if (mod.loader && !SHARED_PARAMS.has(route.url)) {
        const response = await respond(() => mod.loader!(getArgs(a, url, { cookie: staffOfA, params })));
        if (response.status !== 404) reached.push(`loader ${route.url}: ${response.status}`);
      }
      if (mod.action) {
        // Every intent the page's forms can send, and none.
        const source = await fs.readFile(path.resolve("app", route.file), "utf8");
        const intents = new Set([...source.matchAll(/name="intent"\s+value="([\w-]+)"/g)].map((m) => m[1]));
        for (const intent of [undefined, ...intents]) {
          const fields: Record<string, string> = {
            ...(intent ? { intent } : {}),
            role: "staff",
            organisationId: recordsOfB["/admin/organisations:id"],
            name: "Changé par A",
            confirm: "yes",
          };
          const response = await respond(() => mod.action!({ ...postArgs(a, url, fields, { cookie: staffOfA }), params }));
          // On a platform-wide parameter the action may succeed, for A: the snapshot shows B untouched.
          if (response.status < 400 && !SHARED_PARAMS.has(route.url)) reached.push(`action ${route.url} (${intent ?? "no intent"}): ${response.status}`);
        }
      }
    }
    expect(reached).toEqual([]);
    expect(await snapshotOfB()).toEqual(before);
  });
});
