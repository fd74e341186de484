// The only door to the database. No handle is exported: tenant data is reached through
// `withTenant`, which sets the tenant for the transaction so that row-level security
// filters every statement. The connection role owns nothing and cannot bypass RLS.
import pg from "pg";
import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import type { DB } from "./schema";

export type Tx = Transaction<DB>;

let database: Kysely<DB> | undefined;

function connect(): Kysely<DB> {
  if (!database) {
    const connectionString = process.env.APP_DATABASE_URL;
    if (!connectionString) throw new Error("APP_DATABASE_URL is not set: start the app through server/index.ts");
    const pool = new pg.Pool({ connectionString, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    pool.on("error", (error) => console.error(JSON.stringify({ level: "error", msg: "idle database client error", error: String(error) })));
    database = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  }
  return database;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A consistent snapshot for reads that span many tables (a whole tenant's export). */
export type TenantTransactionOptions = { snapshot?: boolean };

/** Runs `fn` in one transaction scoped to `tenantId`; RLS hides and refuses every other tenant's rows. */
export async function withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>, options: TenantTransactionOptions = {}): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`withTenant: invalid tenant id ${JSON.stringify(tenantId)}`);
  const builder = connect().transaction();
  return (options.snapshot ? builder.setIsolationLevel("repeatable read").setAccessMode("read only") : builder)
    .execute(async (tx) => {
      await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(tx);
      return fn(tx);
    });
}

/**
 * A transaction with no tenant set: platform tables only (tenants). Every tenant table
 * reads as empty here, by the RLS policies.
 */
export async function withPlatform<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return connect().transaction().execute(fn);
}

export async function pingDatabase(): Promise<boolean> {
  await sql`select 1`.execute(connect());
  return true;
}

export async function closeDatabase() {
  await database?.destroy();
  database = undefined;
}
