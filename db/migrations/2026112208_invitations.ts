import { sql, type Kysely } from "kysely";
import { isolateTenantTable } from "../tenant-table.ts";

// Invitations to join a town's platform with a role (the first staff account of a new town,
// later the staff console's invitations). Only the sha256 of the token is stored: the link
// in the invitee's mailbox is the one usable copy. An accepted invitation keeps the account
// it created or upgraded, for the record.
export async function up(db: Kysely<any>) {
  await sql`
    create table invitations (
      tenant_id uuid not null references tenants(id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      email citext not null check (length(email) between 3 and 254),
      role text not null,
      organisation_id uuid,
      token_hash text not null,
      invited_by_kind text not null check (invited_by_kind in ('staff', 'operator')),
      invited_by_label text not null check (length(invited_by_label) between 1 and 300),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_user_id uuid,
      revoked_at timestamptz,
      primary key (tenant_id, id),
      unique (tenant_id, token_hash),
      foreign key (tenant_id, role) references roles (tenant_id, key) on delete cascade,
      foreign key (tenant_id, organisation_id) references organisations (tenant_id, id) on delete cascade,
      foreign key (tenant_id, accepted_user_id) references users (tenant_id, id) on delete set null (accepted_user_id),
      check ((role not in ('association_member', 'association_manager')) or organisation_id is not null),
      check (expires_at > created_at)
    )`.execute(db);
  await sql`create index invitations_email_idx on invitations (tenant_id, email)`.execute(db);
  await isolateTenantTable(db, "invitations");
}

export async function down(db: Kysely<any>) {
  await sql`drop table if exists invitations`.execute(db);
}
