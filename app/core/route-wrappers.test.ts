// Every loader and action must come from a request wrapper (tenantLoader/tenantAction, or
// another built with markWrapped): that is where the tenant, the module gate, the tenant-
// scoped transaction and CSRF are enforced. A bare `export async function loader` skips all
// of it, so this test walks every route file and fails on one.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { closeDatabase } from "~/core/db/db.server";
import { WRAPPED } from "./route.server";

afterAll(async () => {
  await closeDatabase();
});

const app = path.resolve("app");

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function routeFiles(): string[] {
  const moduleRouteDirs = fs
    .readdirSync(path.join(app, "modules"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(app, "modules", d.name, "routes"));
  return [path.join(app, "root.tsx"), ...walk(path.join(app, "routes")), ...moduleRouteDirs.flatMap(walk)];
}

function unwrappedExports(mod: Record<string, unknown>): string[] {
  return ["loader", "action"].filter((name) => {
    const fn = mod[name];
    return fn !== undefined && !(typeof fn === "function" && (fn as unknown as Record<symbol, unknown>)[WRAPPED]);
  });
}

describe("route wrappers", () => {
  const files = routeFiles();

  it("finds the shell's and the modules' routes", () => {
    const relative = files.map((f) => path.relative(app, f));
    expect(relative).toEqual(expect.arrayContaining(["root.tsx", "routes/_index.tsx", "routes/mentions-legales.tsx", "modules/directory/routes/initiatives+/_index.tsx"]));
  });

  it("tells a bare loader from a wrapped one", async () => {
    const { tenantLoader } = await import("./route.server");
    expect(unwrappedExports({ loader: async () => null, action: tenantLoader(async () => null) })).toEqual(["loader"]);
    expect(unwrappedExports({ default: () => null })).toEqual([]);
  });

  it("has no loader or action that bypasses the wrapper", async () => {
    const offenders: string[] = [];
    for (const file of files) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const name of unwrappedExports(mod)) offenders.push(`${path.relative(app, file)}: export "${name}" is not wrapped`);
    }
    expect(offenders).toEqual([]);
  });
});
