import { sql, type Kysely } from "kysely";
import { isolateTenantTable } from "../tenant-table.ts";

// Core platform schema: tenants, people, sessions, mail outbox, event log.
export async function up(db: Kysely<any>) {
  // Trusted extensions: a database owner may create them without superuser rights.
  await sql`create extension if not exists citext`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists unaccent`.execute(db);

  // Platform table (no tenant_id): read by the app to resolve the tenant from the Host header.
  await sql`
    create table tenants (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
      name text not null,
      hosts text[] not null check (cardinality(hosts) > 0),
      status text not null default 'active' check (status in ('active', 'suspended')),
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index tenants_hosts_idx on tenants using gin (hosts)`.execute(db);
  // A host name routes to exactly one tenant.
  await sql`
    create function tenants_hosts_unique() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(hashtext('tenants_hosts'));
      if exists (select 1 from tenants t where t.id <> new.id and t.hosts && new.hosts) then
        raise exception 'host already used by another tenant: %', new.hosts using errcode = 'unique_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger tenants_hosts_unique before insert or update of hosts on tenants
            for each row execute function tenants_hosts_unique()`.execute(db);

  await sql`
    create table tenant_modules (
      tenant_id uuid not null references tenants(id) on delete cascade,
      module_id text not null,
      enabled boolean not null default true,
      settings jsonb not null default '{}',
      updated_at timestamptz not null default now(),
      primary key (tenant_id, module_id)
    )`.execute(db);

  // Small files of the tenant's identity (the logo), served by the app itself: no CDN.
  await sql`
    create table tenant_assets (
      tenant_id uuid not null references tenants(id) on delete cascade,
      key text not null,
      content_type text not null,
      bytes bytea not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, key)
    )`.execute(db);

  await sql`
    create table organisations (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      kind text not null default 'association',
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, name)
    )`.execute(db);

  await sql`
    create table users (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      email citext not null check (length(email) between 3 and 254),
      email_verified_at timestamptz,
      password_hash text not null,
      display_name text not null check (length(display_name) between 1 and 100),
      locale text,
      is_demo boolean not null default false,
      deactivated_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, email)
    )`.execute(db);

  // Roles are per tenant so that custom roles can join the built-in ones later.
  await sql`
    create table roles (
      tenant_id uuid not null references tenants(id) on delete cascade,
      key text not null check (key ~ '^[a-z][a-z0-9_]*$'),
      is_builtin boolean not null default false,
      labels jsonb not null default '{}',
      primary key (tenant_id, key)
    )`.execute(db);

  await sql`
    create table user_roles (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      role text not null,
      organisation_id uuid,
      granted_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique nulls not distinct (tenant_id, user_id, role, organisation_id),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
      foreign key (tenant_id, role) references roles (tenant_id, key) on delete cascade,
      foreign key (tenant_id, organisation_id) references organisations (tenant_id, id) on delete cascade,
      -- association roles only make sense attached to an organisation
      check ((role not in ('association_member', 'association_manager')) or organisation_id is not null)
    )`.execute(db);

  await sql`
    create table sessions (
      tenant_id uuid not null,
      id text not null, -- sha256 of the cookie token: a database leak yields no usable session
      user_id uuid not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text,
      user_agent text,
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (tenant_id, user_id)`.execute(db);

  await sql`
    create table auth_tokens (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      purpose text not null check (purpose in ('verify_email', 'reset_password', 'change_email')),
      token_hash text not null,
      new_email citext,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, token_hash),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )`.execute(db);

  await sql`
    create table auth_attempts (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id bigint generated always as identity,
      scope text not null check (scope in ('account', 'address')),
      key text not null,
      attempted_at timestamptz not null default now(),
      primary key (tenant_id, id)
    )`.execute(db);
  await sql`create index auth_attempts_lookup_idx on auth_attempts (tenant_id, scope, key, attempted_at)`.execute(db);

  await sql`
    create table outbox_emails (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text not null,
      status text not null check (status in ('pending', 'sent', 'failed', 'kept')),
      error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      primary key (tenant_id, id)
    )`.execute(db);
  await sql`create index outbox_emails_recent_idx on outbox_emails (tenant_id, created_at desc)`.execute(db);

  // Append-only: modules write facts here in the same transaction as the action.
  await sql`
    create table core_events (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id bigint generated always as identity,
      module text not null,
      kind text not null,
      actor_id uuid,
      subject_type text,
      subject_id text,
      quantities jsonb not null default '{}',
      occurred_at timestamptz not null default now(),
      primary key (tenant_id, id)
    )`.execute(db);
  await sql`create index core_events_kind_idx on core_events (tenant_id, module, kind, occurred_at)`.execute(db);
  await sql`
    create function core_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'core_events is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger core_events_append_only before update or delete on core_events
            for each statement execute function core_events_append_only()`.execute(db);

  for (const table of [
    "tenant_modules", "tenant_assets", "organisations", "users", "roles", "user_roles", "sessions",
    "auth_tokens", "auth_attempts", "outbox_emails", "core_events",
  ]) {
    await isolateTenantTable(db, table);
  }
}

export async function down(db: Kysely<any>) {
  for (const table of [
    "core_events", "outbox_emails", "auth_attempts", "auth_tokens", "sessions", "user_roles",
    "roles", "users", "organisations", "tenant_assets", "tenant_modules", "tenants",
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists core_events_append_only()`.execute(db);
  await sql`drop function if exists tenants_hosts_unique()`.execute(db);
}
