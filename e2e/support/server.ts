// The real app as a child process, exactly as `npm start` runs it, on its own fresh embedded
// PostgreSQL cluster (removed at the end) and a random free port.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export type AppServer = {
  port: number;
  dataDir: string;
  logFile: string;
  stop: () => Promise<void>;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 40) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server output)";
  }
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The app exited (${child.exitCode ?? child.signalCode}) before answering ${url}. Its last output:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The app did not answer ${url} within ${timeoutMs / 1000} s. Its last output:\n${tail(logFile)}`);
}

export async function startAppServer(options: { smtpUrl: string; artifactsDir: string; startTimeoutMs?: number }): Promise<AppServer> {
  const port = await freePort();
  // Beside the cluster the developer (or .ci/run) chose, so that a checkout the `postgres`
  // user cannot traverse still works when EMBEDDED_PG_DIR points elsewhere.
  const clusterParent = process.env.EMBEDDED_PG_DIR ? path.dirname(path.resolve(process.env.EMBEDDED_PG_DIR)) : path.resolve(".data");
  const dataDir = path.join(clusterParent, `pg-e2e-${process.pid}`);
  const logFile = path.join(options.artifactsDir, "server.log");
  fs.mkdirSync(options.artifactsDir, { recursive: true });
  const log = fs.openSync(logFile, "w");

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: "test",
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: "0",
    SMTP_URL: options.smtpUrl,
    SESSION_SECRET: crypto.randomBytes(32).toString("base64url"),
  };
  // Journeys create accounts: never against the developer's own database.
  delete env.DATABASE_URL;
  delete env.APP_DATABASE_URL;
  delete env.SYNC_TENANTS_ON_START;

  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { env, stdio: ["ignore", log, log] });
  fs.closeSync(log);

  // A runner that dies without its teardown must not leave a server holding the port.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  process.on("exit", onExit);

  const removeCluster = () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(dataDir + ".superuser-password", { force: true });
  };

  const stop = async () => {
    process.off("exit", onExit);
    if (!(await exited(child, 0))) {
      // The server stops its embedded PostgreSQL on SIGTERM.
      child.kill("SIGTERM");
      if (!(await exited(child, 30_000))) {
        process.stderr.write(`e2e: the app did not stop within 30 s of SIGTERM; killing it (pid ${child.pid}).\n`);
        child.kill("SIGKILL");
        await exited(child, 5_000);
      }
    }
    // Only a killed server leaves its postmaster behind; stop that one process before
    // removing the directory under it.
    const pid = postmasterPid(dataDir);
    if (pid && alive(pid)) {
      process.kill(pid, "SIGINT");
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    removeCluster();
  };

  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, child, logFile, options.startTimeoutMs ?? 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, dataDir, logFile, stop };
}
