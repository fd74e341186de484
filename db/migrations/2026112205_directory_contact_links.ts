import { sql, type Kysely } from "kysely";

// Directory: a group that has no account on the platform (its listing was submitted without
// one and nobody claimed it) still receives contact requests by email. The email carries a
// single-use "I have answered" link; the link names the request it answers, hence the new
// purpose and the request column (tenant_id in the foreign key, as everywhere).
export async function up(db: Kysely<any>) {
  await sql`alter table directory_links drop constraint directory_links_purpose_check`.execute(db);
  await sql`
    alter table directory_links
      add constraint directory_links_purpose_check
      check (purpose in ('confirm_submission', 'still_accurate', 'edit', 'contact_answered'))`.execute(db);
  await sql`alter table directory_links add column request_id uuid`.execute(db);
  await sql`
    alter table directory_links
      add constraint directory_links_request_fkey
      foreign key (tenant_id, request_id) references directory_contact_requests (tenant_id, id) on delete cascade`.execute(db);
  await sql`
    alter table directory_links
      add constraint directory_links_request_purpose_check
      check ((purpose = 'contact_answered') = (request_id is not null))`.execute(db);
  // Contact requests waiting for an answer, and the purge of contact details, scan by these.
  await sql`create index directory_contact_requests_purge_idx on directory_contact_requests (tenant_id, purge_after) where purged_at is null`.execute(db);
  await sql`create index directory_contact_targets_initiative_idx on directory_contact_targets (tenant_id, initiative_id)`.execute(db);
}

export async function down(db: Kysely<any>) {
  await sql`drop index if exists directory_contact_targets_initiative_idx`.execute(db);
  await sql`drop index if exists directory_contact_requests_purge_idx`.execute(db);
  await sql`delete from directory_links where purpose = 'contact_answered'`.execute(db);
  await sql`alter table directory_links drop constraint directory_links_request_purpose_check`.execute(db);
  await sql`alter table directory_links drop constraint directory_links_request_fkey`.execute(db);
  await sql`alter table directory_links drop column request_id`.execute(db);
  await sql`alter table directory_links drop constraint directory_links_purpose_check`.execute(db);
  await sql`
    alter table directory_links
      add constraint directory_links_purpose_check
      check (purpose in ('confirm_submission', 'still_accurate', 'edit'))`.execute(db);
}
