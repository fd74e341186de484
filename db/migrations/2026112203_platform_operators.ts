import { sql, type Kysely } from "kysely";

// The platform operator: people who run Communa itself, outside every tenant. Platform
// tables (no tenant_id). They are still locked down with row-level security, the other way
// round from tenant tables: visible only to a transaction that has NO tenant set, so that a
// statement running in a town's transaction (a module's query gone wrong) can never read an
// operator's password hash or session.
const PLATFORM_ONLY = sql`nullif(current_setting('app.tenant_id', true), '') is null`;

async function platformOnly(db: Kysely<any>, table: string) {
  await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  await sql`alter table ${sql.table(table)} force row level security`.execute(db);
  await sql`create policy platform_only on ${sql.table(table)} using (${PLATFORM_ONLY}) with check (${PLATFORM_ONLY})`.execute(db);
}

export async function up(db: Kysely<any>) {
  await sql`
    create table platform_operators (
      id uuid primary key default gen_random_uuid(),
      email citext not null unique check (length(email) between 3 and 254),
      password_hash text not null, -- argon2id
      display_name text not null check (length(display_name) between 1 and 100),
      created_at timestamptz not null default now(),
      deactivated_at timestamptz
    )`.execute(db);

  await sql`
    create table platform_operator_sessions (
      id text primary key, -- sha256 of the cookie token: a database leak yields no usable session
      operator_id uuid not null references platform_operators (id) on delete cascade,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`create index platform_operator_sessions_operator_idx on platform_operator_sessions (operator_id)`.execute(db);

  // Failed operator sign-ins, for rate limiting: in the database rather than in memory so
  // that the limit holds across restarts and across several app instances.
  await sql`
    create table platform_operator_sign_in_failures (
      id bigint generated always as identity primary key,
      scope text not null check (scope in ('account', 'address')),
      key text not null,
      attempted_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index platform_operator_sign_in_failures_lookup_idx
            on platform_operator_sign_in_failures (scope, key, attempted_at)`.execute(db);

  for (const table of ["platform_operators", "platform_operator_sessions", "platform_operator_sign_in_failures"]) {
    await platformOnly(db, table);
  }
}

export async function down(db: Kysely<any>) {
  await sql`drop table if exists platform_operator_sign_in_failures`.execute(db);
  await sql`drop table if exists platform_operator_sessions`.execute(db);
  await sql`drop table if exists platform_operators`.execute(db);
}
