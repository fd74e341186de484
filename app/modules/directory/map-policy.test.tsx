// A tenant's production base map (`mapStyleUrl`) under the CSP: through the real HTTP layer
// (server/app.ts) and Remix, its map pages and map worker allow that style's origin and no
// other, the policy keeps the response's nonce (every script carries it), and other tenants
// keep the default policy.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import * as entry from "~/entry.server";
import * as root from "~/root";
import { closeDatabase } from "~/core/db/db.server";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { createApp } from "../../../server/app";
import * as carte from "./routes/initiatives+/carte";
import * as worker from "./routes/initiatives+/carte_.worker[.]mjs";
import * as territory from "./routes/initiatives+/territoire";
import { insertInitiative } from "./test/fixtures";

const STYLE = "https://tiles.example.org:8443/styles/ville/style.json";

type RouteModule = Record<string, unknown>;
const routes: [string, string | undefined, string, RouteModule][] = [
  ["root", undefined, "", root],
  ["carte", "root", "initiatives/carte", carte],
  ["worker", "root", "initiatives/carte/worker.mjs", worker],
  ["territory", "root", "initiatives/territoire", territory],
];

const build = {
  mode: "production",
  entry: { module: entry },
  routes: Object.fromEntries(routes.map(([id, parentId, path, module]) => [id, { id, parentId, path, module }])),
  assets: {
    version: "test",
    url: "/build/manifest-test.js",
    entry: { module: "/build/entry.client-test.js", imports: [] },
    routes: Object.fromEntries(
      routes.map(([id, parentId, path, module]) => [
        id,
        { id, parentId, path, module: `/build/${id}-test.js`, hasLoader: "loader" in module, hasAction: false, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: "ErrorBoundary" in module },
      ]),
    ),
  },
  assetsBuildDirectory: "public/build",
  publicPath: "/build/",
  future: {},
  isSpaMode: false,
} as unknown as ServerBuild;

let server: http.Server;
let port: number;
let styled: TestTenant;
let plain: TestTenant;
let grouping: TestTenant;

beforeAll(async () => {
  styled = await createTestTenant({ modules: { directory: { mapStyleUrl: STYLE } } });
  plain = await createTestTenant({ modules: { directory: {} } });
  grouping = await createTestTenant({ modules: { directory: { mapStyleUrl: STYLE, memberTenants: [plain.slug] } } });
  await insertInitiative(plain.id, { name: "AMAP du village", latitude: 50.48, longitude: 3.01 });
  server = createApp({ build, production: true, quietLogs: true }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await closeDatabase();
});

function get(host: string, pathname: string): Promise<{ status: number; csp: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: pathname, headers: { host } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => {
          const raw = res.headersDistinct["content-security-policy"] ?? [];
          resolve({ status: res.statusCode ?? 0, csp: raw, body });
        });
      })
      .on("error", reject);
  });
}

function directive(policy: string, name: string): string[] {
  const found = policy.split(";").map((d) => d.trim().split(/\s+/)).find(([n]) => n === name);
  return found ? found.slice(1) : [];
}

function nonceOf(policy: string): string {
  const nonces = directive(policy, "script-src").filter((v) => v.startsWith("'nonce-"));
  expect(nonces).toHaveLength(1);
  return nonces[0].slice("'nonce-".length, -1);
}

describe("the map page's policy", () => {
  it("allows the tenant's style origin, keeps the nonce of every script and stays one policy", async () => {
    const page = await get(styled.host, "/initiatives/carte");
    expect(page.status).toBe(200);
    // One policy: a second one would be enforced too, and the stricter default would win.
    expect(page.csp).toHaveLength(1);
    const [policy] = page.csp;
    expect(directive(policy, "connect-src")).toEqual(["'self'", "https://tiles.example.org:8443"]);
    expect(directive(policy, "img-src")).toEqual(["'self'", "data:", "blob:", "https://tiles.example.org:8443"]);
    expect(directive(policy, "style-src")).toEqual(["'self'"]);
    expect(directive(policy, "frame-ancestors")).toEqual(["'none'"]);
    const nonce = nonceOf(policy);
    const scripts = page.body.match(/<script\b[^>]*>/gi) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(page.body).toContain(`"styleUrl":"${STYLE}"`);

    // Each response its own nonce.
    const again = await get(styled.host, "/initiatives/carte");
    expect(nonceOf(again.csp[0])).not.toBe(nonce);
  });

  it("serves the map worker under the same widened policy", async () => {
    const response = await get(styled.host, "/initiatives/carte/worker.mjs");
    expect(response.status).toBe(200);
    expect(response.csp).toHaveLength(1);
    expect(directive(response.csp[0], "connect-src")).toEqual(["'self'", "https://tiles.example.org:8443"]);
    expect(response.body).toContain("MapLibre");
  });

  it("applies to the grouping's map too, whose page carries the map of its members' listings", async () => {
    const page = await get(grouping.host, "/initiatives/territoire");
    expect(page.status).toBe(200);
    expect(page.csp).toHaveLength(1);
    expect(directive(page.csp[0], "connect-src")).toEqual(["'self'", "https://tiles.example.org:8443"]);
    const nonce = nonceOf(page.csp[0]);
    for (const tag of page.body.match(/<script\b[^>]*>/gi) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
    expect(page.body).toContain('aria-labelledby="territory-map-title"');
    expect(page.body).toContain("AMAP du village");
    // Without JavaScript the map points to the list of the same page.
    expect(page.body).toMatch(/class="directory-map__fallback"[^]*href="#territory-list"/);
  });

  it("keeps the default policy for a tenant with the built-in base map", async () => {
    for (const pathname of ["/initiatives/carte", "/initiatives/carte/worker.mjs"]) {
      const response = await get(plain.host, pathname);
      expect(response.status).toBe(200);
      expect(response.csp).toHaveLength(1);
      expect(directive(response.csp[0], "connect-src")).toEqual(["'self'"]);
      expect(directive(response.csp[0], "img-src")).toEqual(["'self'", "data:", "blob:"]);
      expect(response.body).not.toContain("tiles.example.org");
    }
  });
});
