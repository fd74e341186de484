import { sql, type Kysely } from "kysely";
import { isolateTenantTable } from "../tenant-table.ts";

// What the staff console needs from the core schema.
export async function up(db: Kysely<any>) {
  // Sensitive console actions ask for the password again when the last proof is older than
  // 15 minutes; signing in counts as a proof.
  await sql`alter table sessions add column reauthenticated_at timestamptz`.execute(db);
  // A session opened by a correct password for an account with two-factor sign-in is not a
  // session yet: it waits for the code and is worth nothing until then.
  await sql`alter table sessions add column awaiting_second_factor boolean not null default false`.execute(db);

  // TOTP two-factor sign-in. The secret is needed in clear to compute codes (RFC 6238);
  // the last accepted time step refuses a replay of the same code.
  await sql`alter table users add column totp_secret text`.execute(db);
  await sql`alter table users add column totp_enabled_at timestamptz`.execute(db);
  await sql`alter table users add column totp_last_step bigint`.execute(db);
  await sql`alter table users add constraint users_totp_enabled_has_secret check (totp_enabled_at is null or totp_secret is not null)`.execute(db);

  // `npm run tenants:sync` applies tenant.json on every start; once staff have changed a
  // module in the console, the console is the source of truth for that module.
  await sql`alter table tenant_modules add column managed_by text not null default 'file' check (managed_by in ('file', 'console'))`.execute(db);

  // The town's settings changed by its staff, over the operator's tenant.json (which lives in
  // the platform table `tenants`, read-only to the app). Validated by app/core/tenant/settings.server.ts.
  await sql`
    create table tenant_settings (
      tenant_id uuid not null references tenants(id) on delete cascade,
      overrides jsonb not null default '{}',
      updated_at timestamptz not null default now(),
      primary key (tenant_id)
    )`.execute(db);
  await isolateTenantTable(db, "tenant_settings");
}

export async function down(db: Kysely<any>) {
  await sql`drop table tenant_settings`.execute(db);
  await sql`alter table tenant_modules drop column managed_by`.execute(db);
  await sql`alter table users drop constraint users_totp_enabled_has_secret`.execute(db);
  await sql`alter table users drop column totp_last_step, drop column totp_enabled_at, drop column totp_secret`.execute(db);
  await sql`alter table sessions drop column awaiting_second_factor, drop column reauthenticated_at`.execute(db);
}
