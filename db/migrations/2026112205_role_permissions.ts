import { sql, type Kysely } from "kysely";
import { isolateTenantTable } from "../tenant-table.ts";

// Permission rules per role, per tenant (app/core/permissions): CASL JSON rules filed by
// module id, so that a module added later falls back to its defaults instead of granting
// nothing to a town whose roles were written before it existed. `visitor` (everyone) is not
// a role anyone holds, so its rules have their own one-row table rather than a `roles` row
// that could be granted. Users get a neighbourhood for the "in their neighbourhood" condition.
export async function up(db: Kysely<any>) {
  await sql`alter table roles add column rules jsonb not null default '{}' check (jsonb_typeof(rules) = 'object')`.execute(db);
  await sql`alter table roles add constraint roles_not_visitor check (key <> 'visitor')`.execute(db);

  await sql`
    create table visitor_permissions (
      tenant_id uuid not null references tenants(id) on delete cascade,
      rules jsonb not null default '{}' check (jsonb_typeof(rules) = 'object'),
      updated_at timestamptz not null default now(),
      primary key (tenant_id)
    )`.execute(db);
  await isolateTenantTable(db, "visitor_permissions");

  await sql`alter table users add column neighbourhood text check (length(neighbourhood) between 1 and 100)`.execute(db);
}

export async function down(db: Kysely<any>) {
  await sql`alter table users drop column if exists neighbourhood`.execute(db);
  await sql`drop table if exists visitor_permissions`.execute(db);
  await sql`alter table roles drop constraint if exists roles_not_visitor`.execute(db);
  await sql`alter table roles drop column if exists rules`.execute(db);
}
