// Shared by migrations. Frozen: migrations that already ran depend on exactly this SQL,
// so never change what these functions emit; add a new function instead.
import { sql, type Kysely } from "kysely";

/**
 * Row-level security for a tenant table: ENABLE and FORCE (so even the owner is filtered),
 * and one policy comparing `tenant_id` to the transaction's `app.tenant_id` setting. After a
 * pooled connection commits, the setting reads '' rather than NULL, hence the nullif.
 */
export async function isolateTenantTable(db: Kysely<any>, table: string) {
  await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  await sql`alter table ${sql.table(table)} force row level security`.execute(db);
  await sql`
    create policy tenant_isolation on ${sql.table(table)}
      using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  `.execute(db);
}
