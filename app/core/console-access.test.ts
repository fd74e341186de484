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
      if (response.status !== 403) reached.push(`${h.kind} ${h.route.url}: ${response.status}`);
    }
    expect(reached).toEqual([]);
  });

  it("treats a staff session of another town as nobody: every console loader and action sends to sign in", async () => {
    const reached: string[] = [];
    for (const h of handlers) {
      const response = await call(h, town, staffOfOther);
      const location = response.headers.get("location") ?? "";
      if (response.status !== 302 || !location.startsWith("/connexion?retour=")) reached.push(`${h.kind} ${h.route.url}: ${response.status} ${location}`);
    }
    expect(reached).toEqual([]);
  });
});
