// The directory at scale: a town with 100,000 published listings. Measures, beside a trivial
// Remix page served in the same run (only ratios carry over between machines):
//   - the map data endpoint for several viewports and zooms (target: p95 < 30 ms),
//   - the list with a text search (target: p95 < 50 ms),
//   - the browser's time to the first clustered frame of the map,
//   - what the cache check costs against the `max(updated_at)` + `count(*)` alternative.
// Latency is measured with one connection (the time a visitor waits), throughput with
// several (what the process sustains). Run alone with `npm run bench:directory`, or call
// `runDirectoryBench()` from another script.
import crypto from "node:crypto";
import { fork } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { RequestListener } from "node:http";
import type { LoadProgress, LoadReply, LoadRequest, LoadResult } from "./load.ts";
import { close, HOST, listen, positiveNumber, ROOT, trivialRemixApp } from "./support.ts";

const PG_DIR = path.join(ROOT, ".data", "pg-bench-directory");
const PORTS = { trivial: 3610, app: 3611, postgres: 3652 };
const TOWN = "hellemmes";
const TARGETS = { mapP95Ms: 30, listP95Ms: 50 };

export type DirectoryBenchOptions = {
  listings?: number;
  seconds?: number;
  warmupSeconds?: number;
  connections?: number;
  /** Browser runs for the time to first clustered frame. */
  browserRuns?: number;
  log?: (line: string) => void;
};

type Run = LoadResult & { cpuMsPerRequest: number };
export type Measured = { name: string; path: string; latency: Run; load: Run; bodyBytes: number };

export type DirectoryBenchResult = {
  listings: number;
  seedSeconds: number;
  firstMapRequestMs: number;
  measured: Measured[];
  firstFrameMs: number[];
  cacheCheck: { versionRowMs: number; maxAndCountMs: number };
  failures: string[];
};

/**
 * One load run in a child process; also the CPU time this process (the servers) spent per
 * request while measured, a figure that other work on the machine disturbs less than latency.
 */
function runLoad(request: LoadRequest): Promise<LoadResult & { cpuMsPerRequest: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./load.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let reply: LoadReply | undefined;
    let cpuAtStart: NodeJS.CpuUsage | undefined;
    let cpuMs = Number.NaN;
    child.on("message", (message: LoadReply | LoadProgress) => {
      if ("measuring" in message) cpuAtStart = process.cpuUsage();
      else {
        if (cpuAtStart) {
          const used = process.cpuUsage(cpuAtStart);
          cpuMs = (used.user + used.system) / 1000;
        }
        reply = message;
      }
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (reply?.ok) resolve({ ...reply.result, cpuMsPerRequest: cpuMs / reply.result.requests });
      else reject(new Error(reply ? reply.error : `load generator exited with code ${code} without a result`));
    });
    child.send(request);
  });
}

function get(port: number, pathname: string, host?: string): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: pathname, headers: host ? { host } : {}, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }));
    });
    req.on("error", reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`GET ${pathname} timed out`)));
  });
}

/**
 * 100,000 listings spread over the town's bounds, in one statement through the owner
 * connection (as tenants:sync writes), with the tenant set for row-level security. Names,
 * streets and kinds vary so that a text search matches a realistic share of them.
 */
async function seed(ownerUrl: string, count: number, bounds: [[number, number], [number, number]]) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("begin");
    const { rows } = await client.query<{ id: string }>("select id from tenants where slug = $1", [TOWN]);
    if (!rows[0]) throw new Error(`tenant ${TOWN} is missing after tenants:sync`);
    await client.query("select set_config('app.tenant_id', $1, true)", [rows[0].id]);
    await client.query("select setseed(0.42)");
    const [[west, south], [east, north]] = bounds;
    await client.query(
      `insert into directory_initiatives
         (tenant_id, name, kind, stage, layers, description, address, neighbourhood, latitude, longitude,
          status, languages, opening_hours, confirmed_at)
       select $1::uuid,
              (array['Épicerie solidaire', 'Groupement d''achat', 'AMAP', 'Repair café', 'Jardin partagé',
                     'Boîte à dons', 'Outilthèque', 'Atelier vélo'])[1 + g % 8]
                || ' ' || (array['des Tilleuls', 'du Marais', 'de la Gare', 'des Écoles', 'du Parc', 'Pasteur',
                     'Jean Jaurès', 'de l''Église', 'des Peupliers', 'Victor Hugo'])[1 + (g / 8) % 10] || ' n°' || g,
              (array['buying_group', 'cooperative_supermarket', 'amap', 'repair_cafe', 'shared_garden',
                     'give_box', 'tool_library', 'repair_cafe'])[1 + g % 8],
              case when g % 3 = 0 then null
                   else (array['gestation', 'selling_a_little', 'test_grocery', 'cooperative_shop'])[1 + g % 4] end,
              array[(array['se_nourrir', 'echanger', 'se_deplacer', 'bidouiller', 'se_loger', 'travailler'])[1 + g % 6]],
              'Initiative de démonstration pour la mesure de charge, numéro ' || g || '.',
              g || ' rue ' || (array['des Tilleuls', 'du Marais', 'de la Gare', 'des Écoles', 'du Parc'])[1 + g % 5],
              (array['Centre', 'Guinguettes', 'Semard', 'Dombrowski', 'Barrière'])[1 + g % 5],
              $2::float8 + random() * ($3::float8 - $2::float8), $4::float8 + random() * ($5::float8 - $4::float8),
              'published',
              case when g % 10 = 0 then array['fr', 'ar'] else array['fr'] end,
              jsonb_build_array(jsonb_build_object('day', 1 + g % 7, 'opens', '09:00', 'closes', '18:00')),
              now() - (g % 365) * interval '1 day'
       from generate_series(1, $6::int) g`,
      [rows[0].id, south, north, west, east, count],
    );
    await client.query("commit");
    await client.query("vacuum analyze directory_initiatives");
    return rows[0].id;
  } finally {
    await client.end();
  }
}

/** The cache check the map uses, against the obvious alternative, as the app role sees them. */
async function cacheCheckCost(appUrl: string, tenantId: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  const time = async (query: string) => {
    const samples: number[] = [];
    for (let i = 0; i < 60; i++) {
      await client.query("begin");
      await client.query("select set_config('app.tenant_id', $1, true)", [tenantId]);
      const started = performance.now();
      await client.query(query);
      samples.push(performance.now() - started);
      await client.query("commit");
    }
    return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  };
  try {
    return {
      versionRowMs: await time("select version from directory_versions"),
      maxAndCountMs: await time("select max(updated_at), count(*) from directory_initiatives where status = 'published' and freshness <> 'hidden'"),
    };
  } finally {
    await client.end();
  }
}

async function firstClusteredFrame(url: string, runs: number): Promise<number[]> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A fresh context each time: nothing cached, as a first visit.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      page.on("response", (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(url, { waitUntil: "load" });
      try {
        await page.locator('.directory-map[data-state="ready"]').waitFor({ timeout: 60_000 });
      } catch (error) {
        const state = await page.locator(".directory-map").getAttribute("data-state");
        throw new Error(`the map was not ready after 60 s (data-state=${state}); the page reported: ${problems.join("; ") || "nothing"}`, { cause: error });
      }
      const clusters = Number(await page.locator(".directory-map").getAttribute("data-clusters"));
      if (!(clusters > 0)) throw new Error(`the map showed no cluster (data-clusters=${clusters})`);
      times.push(await page.evaluate(() => performance.getEntriesByName("directory-map-ready")[0]?.startTime ?? Number.NaN));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}

/**
 * The server build keeps its own pool, whose idle connections close after 10 s; stopping
 * PostgreSQL under them would log errors. Wait for them, bounded.
 */
async function waitForAppConnectionsToClose(superuserUrl: string | undefined, appRole: string) {
  if (!superuserUrl) return;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    for (let i = 0; i < 30; i++) {
      const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where usename = $1", [appRole]);
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await client.end();
  }
}

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

function report(result: DirectoryBenchResult, say: (line: string) => void, settings: { seconds: number; connections: number }) {
  const rows = [
    ["target", "p50 ms", "p95 ms", "p99 ms", "CPU ms/req", `req/s (${settings.connections} conn.)`, `p95 ms (${settings.connections} conn.)`, "KiB"],
    ...result.measured.map((m) => [
      m.name,
      fmt(m.latency.p50Ms, 2),
      fmt(m.latency.p95Ms, 2),
      fmt(m.latency.p99Ms, 2),
      fmt(m.latency.cpuMsPerRequest, 2),
      fmt(m.load.requestsPerSecond, 0),
      fmt(m.load.p95Ms, 2),
      fmt(m.bodyBytes / 1024, 1),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  say("");
  say(line(rows[0]));
  say(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows.slice(1)) say(line(row));
  say("");
  const trivial = result.measured[0];
  for (const m of result.measured.slice(1)) {
    const target = m.path.includes("/donnees") ? TARGETS.mapP95Ms : m.path.includes("q=") ? TARGETS.listP95Ms : null;
    const verdict = target === null ? "" : `   target p95 < ${target} ms: ${m.latency.p95Ms < target ? "PASS" : "FAIL"}`;
    say(`${m.name.padEnd(widths[0])}  ${fmt(m.load.requestsPerSecond / trivial.load.requestsPerSecond, 2)}× the trivial page's req/s${verdict}`);
  }
  say("");
  say(`listings seeded: ${result.listings} in ${fmt(result.seedSeconds, 1)} s; first map request after the change (snapshot + cluster index built): ${fmt(result.firstMapRequestMs, 0)} ms`);
  say(`browser, first clustered frame (fresh context, from navigation start): ${result.firstFrameMs.map((ms) => `${fmt(ms, 0)} ms`).join(", ")}`);
  say(`cache check, median: version row ${fmt(result.cacheCheck.versionRowMs, 3)} ms, max(updated_at)+count(*) ${fmt(result.cacheCheck.maxAndCountMs, 3)} ms`);
  say(
    `(latency and CPU: 1 connection, ${settings.seconds} s per target; CPU of the server process only, not PostgreSQL's; ` +
      `load generator in its own process; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}, Node ${process.version})`,
  );
}

export async function runDirectoryBench(options: DirectoryBenchOptions = {}): Promise<DirectoryBenchResult> {
  const say = options.log ?? ((line: string) => process.stdout.write(`bench:directory: ${line}\n`));
  const listings = options.listings ?? positiveNumber("BENCH_DIRECTORY_LISTINGS", 100_000);
  const seconds = options.seconds ?? positiveNumber("BENCH_SECONDS", 5);
  const warmupSeconds = options.warmupSeconds ?? positiveNumber("BENCH_WARMUP_SECONDS", 2);
  const connections = options.connections ?? Math.round(positiveNumber("BENCH_CONNECTIONS", 10));
  const browserRuns = options.browserRuns ?? 3;
  const failures: string[] = [];

  const definition = JSON.parse(fs.readFileSync(path.join(ROOT, "tenants", TOWN, "tenant.json"), "utf8")) as {
    hosts: string[];
    map: { bounds: [[number, number], [number, number]] };
  };
  const host = definition.hosts.find((h) => h.endsWith(".localhost")) ?? definition.hosts[0];
  const [[west, south], [east, north]] = definition.map.bounds;
  const w = east - west;
  const h = north - south;
  const cx = west + w / 2;
  const cy = south + h / 2;
  const bbox = (fx: number, fy: number) => [cx - (w * fx) / 2, cy - (h * fy) / 2, cx + (w * fx) / 2, cy + (h * fy) / 2].map((n) => n.toFixed(5)).join(",");
  const targets = [
    { name: "trivial Remix page", port: PORTS.trivial, path: "/", host: undefined as string | undefined },
    { name: "map data, zoom 12, whole town", port: PORTS.app, path: `/initiatives/carte/donnees?bbox=${bbox(1.6, 1.6)}&zoom=12`, host },
    { name: "map data, zoom 14, a quarter", port: PORTS.app, path: `/initiatives/carte/donnees?bbox=${bbox(0.5, 0.5)}&zoom=14`, host },
    { name: "map data, zoom 16, a street", port: PORTS.app, path: `/initiatives/carte/donnees?bbox=${bbox(0.12, 0.08)}&zoom=16`, host },
    { name: "map data, zoom 18, single points", port: PORTS.app, path: `/initiatives/carte/donnees?bbox=${bbox(0.06, 0.03)}&zoom=18`, host },
    { name: "map data, zoom 14, filtered", port: PORTS.app, path: `/initiatives/carte/donnees?bbox=${bbox(0.5, 0.5)}&zoom=14&type=amap&calque=se_nourrir`, host },
    { name: "list, text search", port: PORTS.app, path: "/initiatives?q=epicerie+tilleuls", host },
    { name: "list, text search, page 5", port: PORTS.app, path: "/initiatives?q=%C3%A9picerie&page=5", host },
    { name: "list, no filter", port: PORTS.app, path: "/initiatives", host },
  ];

  process.env.NODE_ENV = "production";
  // Entering the module graph at the translations, as server/index.ts does: some directory
  // modules import them, and entering at the module registry instead (through tenants-sync)
  // meets the registry before it is initialised.
  await import("../app/core/i18n/resources.server.ts");
  const { prepareDatabase } = await import("../db/setup.ts");
  const { syncTenants } = await import("../db/tenants-sync.ts");
  const removeCluster = () => {
    fs.rmSync(PG_DIR, { recursive: true, force: true });
    fs.rmSync(`${PG_DIR}.superuser-password`, { force: true });
  };
  removeCluster();
  say(`starting a dedicated PostgreSQL in ${path.relative(ROOT, PG_DIR)} and loading the demo tenants`);
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_PORT: String(PORTS.postgres) };
  delete env.DATABASE_URL;
  delete env.APP_DATABASE_URL;
  const db = await prepareDatabase({ env, dataDir: PG_DIR, fast: true, log: () => undefined });
  const servers: http.Server[] = [];
  try {
    await syncTenants({ ownerUrl: db.ownerUrl, log: () => undefined });
    say(`seeding ${listings} published listings into ${TOWN}`);
    const seedStarted = performance.now();
    const tenantId = await seed(db.ownerUrl, listings, definition.map.bounds);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    process.env.APP_DATABASE_URL = db.appUrl;
    process.env.SESSION_SECRET ??= crypto.randomBytes(32).toString("base64url");
    say("building the trivial Remix app (bench/trivial)");
    servers.push(await listen(await trivialRemixApp(), PORTS.trivial));
    const { createApp, loadBuild } = await import("../server/app.ts");
    const build = await loadBuild(path.join(ROOT, "build", "index.js"));
    servers.push(await listen(createApp({ build, production: true, quietLogs: true }) as unknown as RequestListener, PORTS.app));

    const first = await get(PORTS.app, targets[1].path, host);
    if (first.status !== 200) throw new Error(`map data answered ${first.status}: ${first.body.slice(0, 300)}`);
    const firstMapRequestMs = first.ms;

    const measured: Measured[] = [];
    for (const target of targets) {
      const sample = await get(target.port, target.path, target.host);
      if (sample.status !== 200) throw new Error(`${target.name}: ${target.path} answered ${sample.status}: ${sample.body.slice(0, 300)}`);
      const request = (n: number): LoadRequest => ({
        url: `http://${HOST}:${target.port}${target.path}`,
        headers: target.host ? { host: target.host } : {},
        connections: n,
        warmupSeconds,
        seconds,
      });
      say(`${target.name}: ${seconds} s with 1 connection, then ${seconds} s with ${connections}`);
      const latency = await runLoad(request(1));
      const load = await runLoad(request(connections));
      for (const [label, r] of [["1 connection", latency], [`${connections} connections`, load]] as const) {
        for (const p of [r, r.warmup]) {
          if (p.errors || p.timeouts || p.non2xx) failures.push(`${target.name} (${label}): ${p.errors} errors, ${p.timeouts} timeouts, ${p.non2xx} non-2xx`);
        }
      }
      measured.push({ name: target.name, path: target.path, latency, load, bodyBytes: Buffer.byteLength(sample.body) });
    }

    say(`browser: time to the first clustered frame, ${browserRuns} runs`);
    const firstFrameMs = await firstClusteredFrame(`http://${host}:${PORTS.app}/initiatives/carte`, browserRuns);
    const cacheCheck = await cacheCheckCost(db.appUrl, tenantId);
    const result: DirectoryBenchResult = { listings, seedSeconds, firstMapRequestMs, measured, firstFrameMs, cacheCheck, failures };
    report(result, say, { seconds, connections });
    if (failures.length) say(`FAILED, server errors during the run:\n${failures.map((f) => "  - " + f).join("\n")}`);
    return result;
  } finally {
    for (const server of servers) await close(server);
    await waitForAppConnectionsToClose(db.embedded?.superuserUrl, decodeURIComponent(new URL(db.appUrl).username));
    await db.embedded?.stop();
    removeCluster();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runDirectoryBench().then(
    (result) => process.exit(result.failures.length ? 1 : 0),
    (error: unknown) => {
      console.error(`bench:directory: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
