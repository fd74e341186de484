import { sql, type Kysely } from "kysely";
import { isolateTenantTable } from "../tenant-table.ts";

// Directory module: the town's initiatives (buying groups, AMAP, repair cafés, ...), kept
// fresh, with moderation, history, claims by associations and contact requests.
export async function up(db: Kysely<any>) {
  // unaccent() is only STABLE; an expression index needs an IMMUTABLE wrapper. The
  // dictionary is named explicitly so the result cannot depend on search_path.
  await sql`
    create function directory_normalise(value text) returns text
    language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, value)) $$`.execute(db);

  // Vocabularies staff can edit: kinds, thematic layers and project stages. Defaults come
  // from the module's code until a tenant stores its own rows.
  await sql`
    create table directory_vocabulary (
      tenant_id uuid not null references tenants(id) on delete cascade,
      vocabulary text not null check (vocabulary in ('kind', 'layer', 'stage')),
      key text not null check (key ~ '^[a-z][a-z0-9_]*$'),
      labels jsonb not null,
      colour text check (colour ~ '^#[0-9a-fA-F]{6}$'),
      position int not null default 0,
      primary key (tenant_id, vocabulary, key)
    )`.execute(db);

  await sql`
    create table directory_initiatives (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      name text not null check (length(name) between 2 and 150),
      kind text not null,
      stage text,
      layers text[] not null default '{}',
      description text not null default '' check (length(description) <= 5000),
      address text not null default '',
      neighbourhood text,
      latitude double precision check (latitude between -90 and 90),
      longitude double precision check (longitude between -180 and 180),
      contact_name text,
      contact_email citext,
      contact_phone text,
      -- the owner chooses whether the contact is shown; exports never include hidden ones
      contact_public boolean not null default false,
      links text[] not null default '{}',
      schedule text,
      -- structured opening hours for the "open now" filter: [{"day":1..7,"opens":"09:00","closes":"12:00"}]
      opening_hours jsonb not null default '[]',
      languages text[] not null default '{fr}',
      accessibility_notes text,
      status text not null default 'unconfirmed'
        check (status in ('unconfirmed', 'pending', 'changes_requested', 'published', 'refused', 'merged')),
      moderation_note text,
      merged_into uuid,
      organisation_id uuid,
      submitter_name text,
      submitter_email citext,
      -- freshness: "information confirmed on"; to_check after the reminder went unanswered,
      -- hidden from the map later (never deleted) until someone confirms
      confirmed_at timestamptz not null default now(),
      freshness text not null default 'fresh' check (freshness in ('fresh', 'to_check', 'hidden')),
      reminder_sent_at timestamptz,
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      search_text text generated always as (
        directory_normalise(name || ' ' || description || ' ' || address || ' ' || coalesce(neighbourhood, ''))
      ) stored,
      primary key (tenant_id, id),
      foreign key (tenant_id, organisation_id) references organisations (tenant_id, id) on delete set null (organisation_id),
      foreign key (tenant_id, merged_into) references directory_initiatives (tenant_id, id) on delete set null (merged_into),
      check ((latitude is null) = (longitude is null))
    )`.execute(db);
  await sql`create index directory_initiatives_search_idx on directory_initiatives using gin (search_text gin_trgm_ops)`.execute(db);
  await sql`create index directory_initiatives_name_trgm_idx on directory_initiatives using gin (directory_normalise(name) gin_trgm_ops)`.execute(db);
  await sql`create index directory_initiatives_position_idx on directory_initiatives (tenant_id, longitude, latitude) where status = 'published'`.execute(db);
  await sql`create index directory_initiatives_status_idx on directory_initiatives (tenant_id, status, freshness, confirmed_at)`.execute(db);

  await sql`
    create table directory_photos (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      initiative_id uuid not null,
      content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
      bytes bytea not null,
      width int not null,
      height int not null,
      alt text not null default '',
      position int not null default 0,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, initiative_id) references directory_initiatives (tenant_id, id) on delete cascade
    )`.execute(db);

  // Every change is kept with who and when; staff can revert to any snapshot.
  await sql`
    create table directory_revisions (
      tenant_id uuid not null,
      id bigint generated always as identity,
      initiative_id uuid not null,
      action text not null,
      actor_user_id uuid,
      actor_label text not null,
      snapshot jsonb not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, initiative_id) references directory_initiatives (tenant_id, id) on delete cascade,
      foreign key (tenant_id, actor_user_id) references users (tenant_id, id) on delete set null (actor_user_id)
    )`.execute(db);
  await sql`create index directory_revisions_initiative_idx on directory_revisions (tenant_id, initiative_id, created_at desc)`.execute(db);

  await sql`
    create table directory_claims (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      initiative_id uuid not null,
      user_id uuid not null,
      organisation_id uuid,
      message text not null default '',
      status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
      decided_by uuid,
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, initiative_id) references directory_initiatives (tenant_id, id) on delete cascade,
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
      foreign key (tenant_id, organisation_id) references organisations (tenant_id, id) on delete set null (organisation_id)
    )`.execute(db);
  await sql`create unique index directory_claims_one_pending on directory_claims (tenant_id, initiative_id, user_id) where status = 'pending'`.execute(db);

  // Single-use links sent by email without an account: confirm a submission, "still
  // accurate", edit. Stored hashed.
  await sql`
    create table directory_links (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      initiative_id uuid not null,
      purpose text not null check (purpose in ('confirm_submission', 'still_accurate', 'edit')),
      token_hash text not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, token_hash),
      foreign key (tenant_id, initiative_id) references directory_initiatives (tenant_id, id) on delete cascade
    )`.execute(db);

  // A resident looking for a group near home; contact details are purged after the
  // tenant's retention period (purge_after), the request itself stays for statistics.
  await sql`
    create table directory_contact_requests (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      user_id uuid,
      name text,
      email citext,
      phone text,
      place text not null,
      latitude double precision,
      longitude double precision,
      kind text,
      layer text,
      message text not null default '',
      consent_at timestamptz,
      status text not null default 'open' check (status in ('open', 'answered', 'routed', 'closed')),
      routed_by uuid,
      created_at timestamptz not null default now(),
      purge_after timestamptz not null,
      purged_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete set null (user_id)
    )`.execute(db);
  await sql`
    create table directory_contact_targets (
      tenant_id uuid not null,
      request_id uuid not null,
      initiative_id uuid not null,
      sent_at timestamptz not null default now(),
      answered_at timestamptz,
      answered_by uuid,
      primary key (tenant_id, request_id, initiative_id),
      foreign key (tenant_id, request_id) references directory_contact_requests (tenant_id, id) on delete cascade,
      foreign key (tenant_id, initiative_id) references directory_initiatives (tenant_id, id) on delete cascade
    )`.execute(db);

  for (const table of [
    "directory_vocabulary", "directory_initiatives", "directory_photos", "directory_revisions",
    "directory_claims", "directory_links", "directory_contact_requests", "directory_contact_targets",
  ]) {
    await isolateTenantTable(db, table);
  }
}

export async function down(db: Kysely<any>) {
  for (const table of [
    "directory_contact_targets", "directory_contact_requests", "directory_links", "directory_claims",
    "directory_revisions", "directory_photos", "directory_initiatives", "directory_vocabulary",
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists directory_normalise(text)`.execute(db);
}
