// `npm start`: database (embedded unless DATABASE_URL), migrations, demo tenants on first
// run, then the web server.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { startJobRunner } from "../db/jobs.ts";
import { ensureDemoOperator } from "../db/operators.ts";
import { prepareDatabase } from "../db/setup.ts";
import { syncTenants, tenantCount } from "../db/tenants-sync.ts";
import { createApp, jsonLogger, loadBuild } from "./app.ts";

const log = jsonLogger({ component: "server" });
// A deployment says NODE_ENV=production: Secure and __Host- cookies, HSTS, a required secret.
const production = process.env.NODE_ENV === "production";
// Read by the app at run time (the build has NODE_ENV compiled in as "production").
process.env.COMMUNA_PRODUCTION = production ? "1" : "0";
// The build is always a production build: without this, React and Remix would load their
// development code on the server, several times slower (measured), just because NODE_ENV
// was left unset by `npm start`.
process.env.NODE_ENV ??= "production";

function ensureSecret() {
  if (process.env.SESSION_SECRET) return;
  if (production) throw new Error("SESSION_SECRET is required in production (32+ random characters).");
  const file = path.join(".data", "session-secret");
  fs.mkdirSync(".data", { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.SESSION_SECRET = fs.readFileSync(file, "utf8").trim();
}

async function main() {
  ensureSecret();
  const db = await prepareDatabase({ log: (m) => log.info(m) });
  process.env.APP_DATABASE_URL = db.appUrl;
  if ((await tenantCount(db.ownerUrl)) === 0 || process.env.SYNC_TENANTS_ON_START === "1") {
    log.info("loading tenant definitions from tenants/");
    await syncTenants({ ownerUrl: db.ownerUrl, log: (m) => log.info(m) });
    if (!production) await ensureDemoOperator(db.ownerUrl, (m) => log.info(m));
  }
  // Scheduled jobs (freshness reminders, purges) run in this process, from the queue in PostgreSQL.
  const jobs = await startJobRunner(db.ownerUrl, jsonLogger({ component: "jobs" }));
  const build = await loadBuild();
  const app = createApp({ build, production });
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? (production ? "0.0.0.0" : "127.0.0.1");
  const server = app.listen(port, host, () => {
    log.info(`Communa listening on http://${host}:${port}`, { port });
    if (!production) log.info(`demo portals: http://hellemmes.localhost:${port} · http://lomme.localhost:${port} · http://libercourt.localhost:${port} · operator console: http://${(process.env.OPERATOR_HOSTS ?? "admin.localhost").split(",")[0].trim()}:${port}/operateur`);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`stopping on ${signal}`);
    server.close();
    await jobs.stop().catch((error) => log.error("job runner did not stop cleanly", { error: String(error) }));
    await db.embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  log.error("failed to start", { error: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exit(1);
});
