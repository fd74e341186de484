import { sql, type Kysely } from "kysely";
import { isolateTenantTable } from "../tenant-table.ts";

// Directory: a per-tenant change counter of the initiatives, bumped by a statement trigger.
// The map keeps an in-process cluster index per tenant and filter set; before answering it
// reads this one row (a primary-key lookup) to know whether its index is still current.
// Reading it costs ~0.1 ms; `max(updated_at)` + `count(*)` costs ~40 ms on 100,000 listings
// (bench/directory.ts prints both) and misses updates that leave updated_at alone. The
// trigger catches every write, whoever makes it.
export async function up(db: Kysely<any>) {
  await sql`
    create table directory_versions (
      tenant_id uuid not null references tenants(id) on delete cascade,
      version bigint not null default 0,
      changed_at timestamptz not null default now(),
      primary key (tenant_id)
    )`.execute(db);
  await isolateTenantTable(db, "directory_versions");

  // Runs as the writer (the app role or the owner), inside the writer's transaction, so
  // RLS applies and the new version is visible exactly when the change is. A write with no
  // tenant set (a tenant deleted with its rows, by cascade) has no index to invalidate.
  await sql`
    create function directory_bump_version() returns trigger language plpgsql as $$
    declare
      current_tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
    begin
      if current_tenant is not null then
        insert into directory_versions as v (tenant_id, version, changed_at)
        values (current_tenant, 1, now())
        on conflict (tenant_id) do update set version = v.version + 1, changed_at = now();
      end if;
      return null;
    end $$`.execute(db);
  // Only the columns the map and the list read: a reminder timestamp does not invalidate.
  await sql`
    create trigger directory_initiatives_version
      after insert or delete or truncate
         or update of name, kind, stage, layers, description, address, neighbourhood, latitude, longitude,
                      opening_hours, languages, status, freshness, confirmed_at
      on directory_initiatives
      for each statement execute function directory_bump_version()`.execute(db);
}

export async function down(db: Kysely<any>) {
  await sql`drop trigger if exists directory_initiatives_version on directory_initiatives`.execute(db);
  await sql`drop function if exists directory_bump_version()`.execute(db);
  await sql`drop table if exists directory_versions`.execute(db);
}
