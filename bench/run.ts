// `npm run bench`: throughput and latency of the portal home against two baselines measured
// in the same run on the same machine (bare node:http, a trivial Remix page), since only
// the ratios carry over from one machine, or one moment, to another. See bench/README.md.
import crypto from "node:crypto";
import { fork, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RequestListener } from "node:http";
import type { LoadProgress, LoadReply, LoadRequest, LoadResult } from "./load.ts";
import { close, HOST, listen, positiveNumber, ROOT, trivialRemixApp } from "./support.ts";

// React picks its development or production build when first loaded, which happens below
// through dynamic imports only: measure what a deployment runs.
process.env.NODE_ENV = "production";

const PG_DIR = path.join(ROOT, ".data", "pg-bench");
const PORTS = { nodeHttp: 3401, trivial: 3402, portal: 3403, postgres: 3450 };
const PORTAL_HOST = "hellemmes.localhost";
const TARGET_RATIO = 0.6;

const settings = {
  seconds: positiveNumber("BENCH_SECONDS", 10),
  warmupSeconds: positiveNumber("BENCH_WARMUP_SECONDS", 3),
  connections: Math.round(positiveNumber("BENCH_CONNECTIONS", 10)),
};

const say = (line: string) => process.stdout.write(`bench: ${line}\n`);

type Target = {
  name: string;
  port: number;
  headers: Record<string, string>;
  /** Text the page must contain: a 200 that is not the expected page is a failure too. */
  marker: string;
  handler: RequestListener;
  /** The PostgreSQL cluster the target queries, whose CPU time is counted too. */
  postmasterPidFile?: string;
};

type Measured = LoadResult & { name: string; bodyBytes: number; cpuMsPerRequest: number; dbCpuMsPerRequest: number | null };

/** USER_HZ, the unit of /proc/<pid>/stat times on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time of a PostgreSQL cluster: its postmaster, its live children and its reaped ones. */
function postgresCpuMs(pidFile: string): number | null {
  try {
    const postmaster = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    let ticks = 0;
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue;
      }
      // Fields after the command name: state, ppid, ... utime (14th), stime, cutime, cstime.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
      if (Number(entry) === postmaster) ticks += f[11] + f[12] + f[13] + f[14];
      else if (f[1] === postmaster) ticks += f[11] + f[12];
    }
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

type CpuReading = { node: number; db: number | null };

function readCpu(target: Target): CpuReading {
  const { user, system } = process.cpuUsage();
  return { node: (user + system) / 1000, db: target.postmasterPidFile ? postgresCpuMs(target.postmasterPidFile) : null };
}

function fetchOnce(port: number, headers: Record<string, string>): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: "/", headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body }));
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("sanity request timed out")));
  });
}

function runLoad(request: LoadRequest, onMeasuring: () => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./load.ts", import.meta.url)), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let reply: LoadReply | undefined;
    child.on("message", (message: LoadProgress | LoadReply) => {
      if ("measuring" in message) onMeasuring();
      else reply = message;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (reply?.ok) resolve(reply.result);
      else reject(new Error(reply ? reply.error : `load generator exited with code ${code} without a result`));
    });
    child.send(request);
  });
}

async function measure(target: Target): Promise<Measured> {
  const server = await listen(target.handler, target.port);
  try {
    const page = await fetchOnce(target.port, target.headers);
    if (page.status !== 200 || !page.type.startsWith("text/html") || !page.body.includes(target.marker)) {
      throw new Error(
        `${target.name}: expected a 200 HTML page containing ${JSON.stringify(target.marker)}, got ${page.status} ${page.type}:\n${page.body.slice(0, 500)}`,
      );
    }
    say(`${target.name}: ${settings.warmupSeconds}s warm-up, then ${settings.seconds}s with ${settings.connections} connections`);
    let before: CpuReading | undefined;
    const result = await runLoad(
      {
        url: `http://${HOST}:${target.port}/`,
        headers: target.headers,
        connections: settings.connections,
        warmupSeconds: settings.warmupSeconds,
        seconds: settings.seconds,
      },
      () => (before = readCpu(target)),
    );
    const after = readCpu(target);
    const perRequest = (spent: number) => spent / Math.max(1, result.requests);
    return {
      ...result,
      name: target.name,
      bodyBytes: Buffer.byteLength(page.body),
      cpuMsPerRequest: before ? perRequest(after.node - before.node) : Number.NaN,
      dbCpuMsPerRequest: before?.db != null && after.db != null ? perRequest(after.db - before.db) : null,
    };
  } finally {
    await close(server);
  }
}

function nodeHttpTarget(): Target {
  const html = '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Bench</title></head><body><h1>Bonjour</h1></body></html>';
  return {
    name: "node:http",
    port: PORTS.nodeHttp,
    headers: {},
    marker: "<h1>Bonjour</h1>",
    handler: (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(html) });
      res.end(html);
    },
  };
}

async function trivialRemixTarget(): Promise<Target> {
  say("building the trivial Remix app (bench/trivial)");
  const app = await trivialRemixApp();
  return { name: "Remix trivial page", port: PORTS.trivial, headers: {}, marker: "<h1>Bonjour</h1>", handler: app };
}

type Database = { superuserUrl?: string; appRole: string; stop: () => Promise<void> };

async function portalTarget(): Promise<{ target: Target; database: Database }> {
  const { prepareDatabase } = await import("../db/setup.ts");
  const { syncTenants } = await import("../db/tenants-sync.ts");
  say(`starting a dedicated PostgreSQL in ${path.relative(ROOT, PG_DIR)}, migrating, loading the demo tenants`);
  const quiet = () => undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_PORT: String(PORTS.postgres) };
  delete env.DATABASE_URL;
  delete env.APP_DATABASE_URL;
  const db = await prepareDatabase({ env, dataDir: PG_DIR, fast: true, log: quiet });
  const database: Database = {
    superuserUrl: db.embedded?.superuserUrl,
    appRole: decodeURIComponent(new URL(db.appUrl).username),
    stop: async () => {
      await db.embedded?.stop();
    },
  };
  try {
    await syncTenants({ ownerUrl: db.ownerUrl, log: quiet });
    process.env.APP_DATABASE_URL = db.appUrl;
    process.env.SESSION_SECRET = crypto.randomBytes(32).toString("base64url");
    const { createApp, loadBuild } = await import("../server/app.ts");
    const build = await loadBuild(path.join(ROOT, "build", "index.js"));
    const app = createApp({ build, production: true, quietLogs: true });
    const tenant = JSON.parse(fs.readFileSync(path.join(ROOT, "tenants", "hellemmes", "tenant.json"), "utf8")) as { name: string };
    return {
      target: {
        name: "Portal home (hellemmes)",
        port: PORTS.portal,
        headers: { Host: PORTAL_HOST },
        marker: tenant.name,
        handler: app,
        postmasterPidFile: path.join(PG_DIR, "postmaster.pid"),
      },
      database,
    };
  } catch (error) {
    await database.stop();
    throw error;
  }
}

/**
 * The app's pool keeps idle connections for 10 s; stopping PostgreSQL under them makes the
 * pool log a (harmless) error line. Wait, bounded, for them to go.
 */
async function waitForAppConnectionsToClose(database: Database) {
  if (!database.superuserUrl) return;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: database.superuserUrl });
  await client.connect();
  try {
    for (let i = 0; i < 30; i++) {
      const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where usename = $1", [database.appRole]);
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await client.end();
  }
}

function removeCluster() {
  fs.rmSync(PG_DIR, { recursive: true, force: true });
  fs.rmSync(`${PG_DIR}.superuser-password`, { force: true });
  fs.rmSync(`${PG_DIR}.owner-pid`, { force: true });
}

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

function report(results: Measured[]): { failures: string[] } {
  const rows = [
    ["target", "req/s", "p50 ms", "p95 ms", "p99 ms", "requests", "errors", "non-2xx", "page KiB", "CPU ms/req", "db CPU ms/req"],
    ...results.map((r) => [
      r.name,
      fmt(r.requestsPerSecond, 0),
      fmt(r.p50Ms, 2),
      fmt(r.p95Ms, 2),
      fmt(r.p99Ms, 2),
      String(r.requests),
      String(r.errors + r.timeouts + r.warmup.errors + r.warmup.timeouts),
      String(r.non2xx + r.warmup.non2xx),
      fmt(r.bodyBytes / 1024, 1),
      fmt(r.cpuMsPerRequest, 3),
      r.dbCpuMsPerRequest === null ? "-" : fmt(r.dbCpuMsPerRequest, 3),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  console.log("");
  console.log(line(rows[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows.slice(1)) console.log(line(row));

  const [bare, trivial, portal, uncached] = results;
  const trivialRatio = trivial.requestsPerSecond / bare.requestsPerSecond;
  const portalRatio = portal.requestsPerSecond / trivial.requestsPerSecond;
  console.log("");
  console.log(`Remix trivial / node:http     ${fmt(trivialRatio, 3)}`);
  console.log(
    `Portal home / Remix trivial   ${fmt(portalRatio, 3)}   target >= ${TARGET_RATIO}: ${portalRatio >= TARGET_RATIO ? "PASS" : "FAIL"}`,
  );
  console.log(`Uncached render / Remix trivial ${fmt(uncached.requestsPerSecond / trivial.requestsPerSecond, 3)}   (every request rendered: no page cache)`);
  // The same ratio from CPU time per request, which other load on the machine disturbs less
  // than it does throughput.
  const cpuRatio = trivial.cpuMsPerRequest / (portal.cpuMsPerRequest + (portal.dbCpuMsPerRequest ?? 0));
  console.log(`  by CPU time per request (Node + PostgreSQL): ${fmt(cpuRatio, 3)}`);
  console.log(
    `(${settings.seconds}s per target after ${settings.warmupSeconds}s warm-up, ${settings.connections} connections, ` +
      `load generator in its own process on this machine: ${os.cpus().length} cores, Node ${process.version})`,
  );

  const failures: string[] = [];
  for (const r of results) {
    const phases = [
      ["warm-up", r.warmup],
      ["measured", r],
    ] as const;
    for (const [label, p] of phases) {
      if (p.errors || p.timeouts || p.non2xx) {
        failures.push(`${r.name} (${label}): ${p.errors} errors, ${p.timeouts} timeouts, ${p.non2xx} non-2xx (status codes ${JSON.stringify(p.statusCodes)})`);
      }
    }
  }
  return { failures };
}

async function main(): Promise<number> {
  const results: Measured[] = [];
  let database: Database | undefined;
  const cleanup = async () => {
    if (database) {
      await waitForAppConnectionsToClose(database).catch(() => undefined);
      await database.stop().catch(() => undefined);
    }
    removeCluster();
  };
  process.once("SIGINT", () => {
    void cleanup().finally(() => process.exit(130));
  });
  try {
    const trivial = await trivialRemixTarget();
    const portal = await portalTarget();
    database = portal.database;
    // The same page rendered for every request: a cookie (not a valid session) keeps it out of
    // the anonymous page cache, so this row shows the cost of Remix + React + loaders alone.
    const uncached: Target = {
      ...portal.target,
      name: "Portal home, uncached render",
      port: portal.target.port + 10,
      headers: { ...portal.target.headers, Cookie: "communa_session=bench-no-session" },
    };
    for (const target of [nodeHttpTarget(), trivial, portal.target, uncached]) results.push(await measure(target));
  } finally {
    await cleanup();
  }
  const { failures } = report(results);
  if (failures.length) {
    console.error(`\nbench: FAILED, server errors during the run:\n${failures.map((f) => "  - " + f).join("\n")}`);
    return 1;
  }
  // The directory at scale (100,000 listings): map data by viewport, list search, first map
  // frame in Chromium, each beside its own trivial-page baseline (bench/directory.ts). In its
  // own process: the app's build, once loaded here, keeps its pool on this run's database.
  if (process.env.BENCH_SKIP_DIRECTORY !== "1") {
    console.log("");
    const directory = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", "directory.ts")], { stdio: "inherit", cwd: ROOT });
    if (directory.status !== 0) return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
