import { sql, type Kysely } from "kysely";
import { isolateTenantTable } from "../tenant-table.ts";

// Who changed what in a town, and when: written by the staff console and by the operator
// console (for the operator's actions on that town), in the same transaction as the change.
// The actor is named by id *and* label: a staff account may be deleted and an operator is a
// platform row outside the tenant, so neither is a foreign key, and the label keeps the
// entry readable on its own (also after an export and re-import elsewhere).
export async function up(db: Kysely<any>) {
  await sql`
    create table audit_log (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id bigint generated always as identity,
      actor_kind text not null check (actor_kind in ('staff', 'operator')),
      actor_id uuid,
      actor_label text not null check (length(actor_label) between 1 and 300),
      action text not null check (action ~ '^[a-z][a-z0-9_.-]*$'),
      subject_type text not null check (length(subject_type) between 1 and 100),
      subject_id text,
      before jsonb,
      after jsonb,
      occurred_at timestamptz not null default now(),
      primary key (tenant_id, id)
    )`.execute(db);
  await sql`create index audit_log_recent_idx on audit_log (tenant_id, occurred_at desc)`.execute(db);
  await sql`create index audit_log_subject_idx on audit_log (tenant_id, subject_type, subject_id)`.execute(db);
  // An entry is never rewritten. Deleting stays possible: the tenant's retention period
  // ends an entry's life, and deleting a tenant cascades.
  await sql`
    create function audit_log_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log entries cannot be changed' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger audit_log_immutable before update on audit_log
            for each statement execute function audit_log_immutable()`.execute(db);
  await isolateTenantTable(db, "audit_log");
}

export async function down(db: Kysely<any>) {
  await sql`drop table if exists audit_log`.execute(db);
  await sql`drop function if exists audit_log_immutable()`.execute(db);
}
