import { sql, type Kysely } from "kysely";
import { isolateTenantTable } from "../tenant-table.ts";

// One-time recovery codes of TOTP two-factor sign-in, for a lost phone. Shown once when
// generated; only their sha256 is kept (they are random, so a slow hash adds nothing), and a
// used code keeps its row with `used_at`, so that the account page can tell how many remain.
export async function up(db: Kysely<any>) {
  await sql`
    create table user_recovery_codes (
      tenant_id uuid not null references tenants(id) on delete cascade,
      user_id uuid not null,
      code_hash text not null check (code_hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null default now(),
      used_at timestamptz,
      primary key (tenant_id, user_id, code_hash),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )`.execute(db);
  await isolateTenantTable(db, "user_recovery_codes");
}

export async function down(db: Kysely<any>) {
  await sql`drop table if exists user_recovery_codes`.execute(db);
}
