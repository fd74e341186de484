import { sql, type Kysely } from "kysely";
import { isolateTenantTable } from "../tenant-table.ts";

// Directory module: initiatives of the town (buying groups, AMAP, repair cafés, ...).
export async function up(db: Kysely<any>) {
  await sql`
    create table directory_initiatives (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      name text not null check (length(name) between 2 and 150),
      kind text not null,
      description text not null default '',
      address text not null default '',
      neighbourhood text,
      latitude double precision check (latitude between -90 and 90),
      longitude double precision check (longitude between -180 and 180),
      website text,
      contact_email citext,
      contact_public boolean not null default false,
      status text not null default 'published' check (status in ('pending', 'published', 'hidden')),
      is_demo boolean not null default false,
      confirmed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, name)
    )`.execute(db);
  await isolateTenantTable(db, "directory_initiatives");
}

export async function down(db: Kysely<any>) {
  await sql`drop table if exists directory_initiatives`.execute(db);
}
