// The embedded cluster survives what a developer's laptop does to it: a parent killed with
// SIGKILL (its postgres keeps running, orphaned) or a stale postmaster.pid.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded";

const quiet = () => undefined;

/** Running, as opposed to gone or a zombie waiting for whichever process adopted it to reap it. */
function isRunning(pid: number) {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== undefined && state !== "Z";
  } catch {
    return false;
  }
}

async function selectOne(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query("select 1 as one")).rows[0].one;
  } finally {
    await client.end();
  }
}

function clusterDir() {
  // Beside the test clusters (EMBEDDED_PG_DIR's parent when set): a place the postgres OS user can reach.
  const base = process.env.EMBEDDED_PG_DIR ? path.dirname(process.env.EMBEDDED_PG_DIR) : ".data";
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, "pg-recovery-"));
  fs.chmodSync(dir, 0o755); // mkdtemp makes it 0700, which the postgres OS user could not traverse
  return path.join(dir, "pg");
}

describe("embedded PostgreSQL recovery", () => {
  it("restarts after its parent was killed with SIGKILL, stopping the orphaned server", async () => {
    const dataDir = clusterDir();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "-e", `import("./db/embedded.ts").then((m) => m.startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, fast: true, log: () => {} })).then(() => console.log("started"))`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d) => String(d).includes("started") && resolve());
      child.once("exit", (code) => reject(new Error(`child exited ${code}`)));
    });
    const orphanPid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(isRunning(orphanPid)).toBe(true); // still running, orphaned

    const server = await startEmbeddedPostgres({ dataDir, fast: true, log: quiet });
    try {
      expect(await selectOne(server.superuserUrl)).toBe(1);
      expect(isRunning(orphanPid)).toBe(false); // the orphan was stopped, not reused
    } finally {
      await server.stop();
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  }, 90_000);

  it("starts over a stale postmaster.pid whose process is gone", async () => {
    const dataDir = clusterDir();
    const first = await startEmbeddedPostgres({ dataDir, fast: true, log: quiet });
    await first.stop();
    fs.writeFileSync(path.join(dataDir, "postmaster.pid"), `${2 ** 22 - 3}\n${dataDir}\n0\n5432\n`);
    const second = await startEmbeddedPostgres({ dataDir, fast: true, log: quiet });
    try {
      expect(await selectOne(second.superuserUrl)).toBe(1);
    } finally {
      await second.stop();
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  }, 90_000);
});

