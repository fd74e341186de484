import { sql, type Kysely } from "kysely";

// The operator console writes the platform table `tenants` without the app role being
// allowed to: the app role may only SELECT it (db/setup.ts). These two functions run as
// their owner (SECURITY DEFINER) and do one thing each, after checking, themselves, that
//  - the transaction is scoped to no tenant: a town's request (every tenant route sets
//    app.tenant_id) can never reach them, whatever SQL it runs;
//  - the caller presents a live session of an active operator (the session row's id, the
//    sha256 of the cookie token, which only the operator's browser holds in clear);
//  - the input is well formed, as the app already checked: the database does not trust it.
// search_path is pinned (pg_catalog first, pg_temp last) and every name is qualified, so a
// caller's objects can never stand in for ours. EXECUTE is taken from PUBLIC: only the app
// role gets it (applyAppGrants) besides the owner.
const OPERATOR_CHECK = sql.raw(`
      if nullif(current_setting('app.tenant_id', true), '') is not null then
        raise exception 'platform functions cannot run in a tenant transaction' using errcode = '42501';
      end if;
      if p_session is null or not exists (
        select 1
        from public.platform_operator_sessions s
        join public.platform_operators o on o.id = s.operator_id
        where s.id = p_session and s.revoked_at is null and s.expires_at > now() and o.deactivated_at is null
      ) then
        raise exception 'no signed-in operator' using errcode = '42501';
      end if;`);

export async function up(db: Kysely<any>) {
  await sql`
    create function platform_create_tenant(p_session text, p_slug text, p_name text, p_hosts text[], p_definition jsonb)
    returns uuid
    language plpgsql
    security definer
    set search_path = pg_catalog, public, pg_temp
    as $$
    declare
      v_id uuid;
      v_taken text[];
    begin
      ${OPERATOR_CHECK}
      if p_slug is null or p_slug !~ '^[a-z0-9][a-z0-9-]{0,62}$' then
        raise exception 'invalid slug: lowercase letters, digits and dashes, at most 63' using errcode = '22023', column = 'slug';
      end if;
      if p_name is null or length(btrim(p_name)) not between 1 and 120 then
        raise exception 'invalid name: 1 to 120 characters' using errcode = '22023', column = 'name';
      end if;
      if p_hosts is null or cardinality(p_hosts) not between 1 and 10 or array_position(p_hosts, null) is not null then
        raise exception 'invalid hosts: 1 to 10 host names' using errcode = '22023', column = 'hosts';
      end if;
      if exists (
        select 1 from unnest(p_hosts) h
        where h !~ '^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$'
      ) or (select count(distinct h) from unnest(p_hosts) h) <> cardinality(p_hosts) then
        raise exception 'invalid hosts: lowercase host names, each listed once' using errcode = '22023', column = 'hosts';
      end if;
      if p_definition is null or jsonb_typeof(p_definition) <> 'object' then
        raise exception 'invalid definition: a JSON object' using errcode = '22023', column = 'definition';
      end if;
      -- Same lock as the host-uniqueness trigger: two creations cannot both pass the check.
      perform pg_advisory_xact_lock(hashtext('tenants_hosts'));
      if exists (select 1 from public.tenants t where t.slug = p_slug) then
        raise exception 'slug already used: %', p_slug using errcode = '23505', constraint = 'tenants_slug_key';
      end if;
      select array_agg(h order by h) into v_taken
      from unnest(p_hosts) h
      where exists (select 1 from public.tenants t where h = any (t.hosts));
      if v_taken is not null then
        raise exception 'hosts already used: %', array_to_string(v_taken, ', ')
          using errcode = '23505', constraint = 'tenants_hosts_unique', detail = array_to_string(v_taken, ',');
      end if;
      insert into public.tenants (slug, name, hosts, status, definition)
      values (p_slug, btrim(p_name), p_hosts, 'active',
              p_definition || jsonb_build_object('name', btrim(p_name), 'hosts', to_jsonb(p_hosts)))
      returning id into v_id;
      return v_id;
    end $$`.execute(db);

  await sql`
    create function platform_set_tenant_status(p_session text, p_tenant uuid, p_status text)
    returns text
    language plpgsql
    security definer
    set search_path = pg_catalog, public, pg_temp
    as $$
    declare
      v_previous text;
    begin
      ${OPERATOR_CHECK}
      if p_status is null or p_status not in ('active', 'suspended') then
        raise exception 'invalid status: active or suspended' using errcode = '22023', column = 'status';
      end if;
      select t.status into v_previous from public.tenants t where t.id = p_tenant for update;
      if not found then
        raise exception 'no tenant %', p_tenant using errcode = 'P0002';
      end if;
      update public.tenants set status = p_status, updated_at = now() where id = p_tenant;
      return v_previous;
    end $$`.execute(db);

  for (const fn of ["platform_create_tenant(text, text, text, text[], jsonb)", "platform_set_tenant_status(text, uuid, text)"]) {
    await sql`revoke all on function ${sql.raw(fn)} from public`.execute(db);
  }
}

export async function down(db: Kysely<any>) {
  await sql`drop function if exists platform_set_tenant_status(text, uuid, text)`.execute(db);
  await sql`drop function if exists platform_create_tenant(text, text, text, text[], jsonb)`.execute(db);
}
