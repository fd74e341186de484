// Brings a database to the state the app needs: roles, schema, grants.
// Runs as the *owner* role; the web app itself connects as the restricted app role.
import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
import { installJobQueue } from "./jobs.ts";
import { migrateToLatest } from "./migrate.ts";

export type DatabaseUrls = {
  /** Owns the schema and runs migrations. */
  ownerUrl: string;
  /** NOSUPERUSER, NOBYPASSRLS, owns nothing: the only role the web app uses. */
  appUrl: string;
  embedded?: EmbeddedServer;
};

const EMBEDDED_DB = "communa";
const EMBEDDED_OWNER = "communa_owner";

function withCredentials(url: string, user: string, password: string, database?: string) {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  if (database) u.pathname = "/" + database;
  return u.toString();
}

/** Derived, not stored: every instance given the same owner URL computes the same secret. */
function derivedPassword(secretSource: string, purpose: string) {
  return crypto.createHmac("sha256", secretSource).update(purpose).digest("base64url");
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => '"' + name.replace(/"/g, '""') + '"';
const literal = (value: string) => "'" + value.replace(/'/g, "''") + "'";

/** On the embedded cluster we are superuser: create the owner role and its database. */
async function prepareEmbeddedOwner(superuserUrl: string, database: string): Promise<string> {
  const password = derivedPassword(superuserUrl, "communa-owner-role");
  await withClient(superuserUrl, async (c) => {
    const role = await c.query("select 1 from pg_roles where rolname = $1", [EMBEDDED_OWNER]);
    const verb = role.rowCount ? "alter" : "create";
    // createdb: a tenant export is re-imported into a fresh database of the same cluster
    // (the round-trip test, a restore rehearsal), which the owner creates and then owns.
    await c.query(`${verb} role ${ident(EMBEDDED_OWNER)} login createrole createdb nosuperuser nobypassrls password ${literal(password)}`);
    const db = await c.query("select 1 from pg_database where datname = $1", [database]);
    if (!db.rowCount) await c.query(`create database ${ident(database)} owner ${ident(EMBEDDED_OWNER)}`);
  });
  return withCredentials(superuserUrl, EMBEDDED_OWNER, password, database);
}

/**
 * Makes sure the restricted app role exists. Works when the owner is not a superuser (a
 * managed PostgreSQL where the given role owns its database and may create roles).
 */
async function ensureAppRole(ownerUrl: string): Promise<{ appUrl: string; appRole: string }> {
  return withClient(ownerUrl, async (c) => {
    const { rows } = await c.query("select current_database() as db, current_user as me");
    const appRole = `${rows[0].db}_app`;
    const password = derivedPassword(ownerUrl, "communa-app-role");
    const existing = await c.query("select rolsuper, rolbypassrls from pg_roles where rolname = $1", [appRole]);
    if (existing.rowCount) {
      await c.query(`alter role ${ident(appRole)} login password ${literal(password)}`);
    } else {
      await c.query(
        `create role ${ident(appRole)} login nosuperuser nobypassrls nocreatedb nocreaterole noinherit password ${literal(password)}`,
      );
    }
    const check = await c.query("select rolsuper, rolbypassrls from pg_roles where rolname = $1", [appRole]);
    if (check.rows[0].rolsuper || check.rows[0].rolbypassrls) {
      throw new Error(`Role ${appRole} is a superuser or bypasses row-level security: refusing to run the app as it.`);
    }
    await c.query(`grant connect on database ${ident(rows[0].db)} to ${ident(appRole)}`);
    return { appUrl: withCredentials(ownerUrl, appRole, password), appRole };
  });
}

/** Table privileges of the app role, applied after every migration run. */
export async function applyAppGrants(ownerUrl: string, appRole: string) {
  await withClient(ownerUrl, async (c) => {
    await c.query(`grant usage on schema public to ${ident(appRole)}`);
    await c.query(`grant select, insert, update, delete on all tables in schema public to ${ident(appRole)}`);
    await c.query(`grant usage, select on all sequences in schema public to ${ident(appRole)}`);
    await c.query(`grant execute on all functions in schema public to ${ident(appRole)}`);
    // Migrations are the owner's business.
    await c.query(`revoke all on kysely_migration, kysely_migration_lock from ${ident(appRole)}`);
    // The event log is append-only; the platform table of tenants is read-only for the app.
    await c.query(`revoke update, delete, truncate on core_events from ${ident(appRole)}`);
    await c.query(`revoke insert, update, delete, truncate on tenants from ${ident(appRole)}`);
  });
}

function roleFromUrl(url: string) {
  return decodeURIComponent(new URL(url).username);
}

export async function prepareDatabase(options: {
  env?: NodeJS.ProcessEnv;
  /** Embedded cluster location; ignored when DATABASE_URL is set. */
  dataDir?: string;
  fast?: boolean;
  log?: (m: string) => void;
}): Promise<DatabaseUrls> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((m: string) => console.log(m));
  let embedded: EmbeddedServer | undefined;
  let ownerUrl = env.DATABASE_URL;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: options.dataDir ?? env.EMBEDDED_PG_DIR ?? path.join(".data", "pg"),
      port: env.EMBEDDED_PG_PORT ? Number(env.EMBEDDED_PG_PORT) : 54329,
      fast: options.fast,
      log,
    });
    ownerUrl = await prepareEmbeddedOwner(embedded.superuserUrl, EMBEDDED_DB);
  }
  try {
    await assertServerVersion(ownerUrl);
    let appUrl: string;
    let appRole: string;
    if (env.APP_DATABASE_URL) {
      appUrl = env.APP_DATABASE_URL;
      appRole = roleFromUrl(appUrl);
    } else {
      ({ appUrl, appRole } = await ensureAppRole(ownerUrl));
    }
    await migrateToLatest(ownerUrl, log);
    await applyAppGrants(ownerUrl, appRole);
    await installJobQueue(ownerUrl, log);
    return { ownerUrl, appUrl, embedded };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function assertServerVersion(url: string) {
  await withClient(url, async (c) => {
    const { rows } = await c.query("select current_setting('server_version_num')::int as v");
    if (rows[0].v < 150000) throw new Error("Communa needs PostgreSQL 15 or newer.");
  });
}
