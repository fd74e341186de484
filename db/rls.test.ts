// Tenant isolation, the first security property: checked on the live schema, as the app role.
import { sql } from "kysely";
import { closeDatabase, withPlatform, withTenant } from "../app/core/db/db.server";
import { createTestTenant, ownerDb, tenantTables } from "./test/helpers";

afterAll(async () => {
  await closeDatabase();
});

describe("row-level security on every tenant table", () => {
  it("has RLS enabled and forced, and a policy on app.tenant_id, for every table with tenant_id", async () => {
    const tables = await tenantTables();
    expect(tables.length).toBeGreaterThan(5);
    const { rows } = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: string[] }>`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity,
             coalesce(array_agg(p.qual) filter (where p.qual is not null), '{}') as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      left join pg_policies p on p.schemaname = n.nspname and p.tablename = c.relname
      where n.nspname = 'public' and c.relname = any(${tables})
      group by c.relname, c.relrowsecurity, c.relforcerowsecurity`.execute(ownerDb());
    const unprotected = rows
      .filter((r) => !r.relrowsecurity || !r.relforcerowsecurity || !r.policies.some((q) => q.includes("app.tenant_id")))
      .map((r) => r.relname);
    expect(unprotected).toEqual([]);
    expect(rows.map((r) => r.relname).sort()).toEqual(tables);
  });

  it("connects the app as a role that is not superuser, cannot bypass RLS and owns no table", async () => {
    const role = await withPlatform(async (tx) => {
      const { rows } = await sql<{ me: string; rolsuper: boolean; rolbypassrls: boolean; owned: string }>`
        select current_user as me, r.rolsuper, r.rolbypassrls,
               (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relowner = r.oid) as owned
        from pg_roles r where r.rolname = current_user`.execute(tx);
      return rows[0];
    });
    expect(role.me).toMatch(/_app$/);
    expect(role.rolsuper).toBe(false);
    expect(role.rolbypassrls).toBe(false);
    expect(Number(role.owned)).toBe(0);
  });

  it("reads every tenant table as empty when no tenant is set", async () => {
    await createTestTenant({ modules: { directory: {} } });
    const counts = await withPlatform(async (tx) => {
      const out: Record<string, number> = {};
      for (const table of await tenantTables()) {
        const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(tx);
        out[table] = Number(rows[0].n);
      }
      return out;
    });
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    // The owner sees rows, so the emptiness above is RLS at work, not an empty database.
    const ownerView = await ownerDb().selectFrom("tenants").select("id").execute();
    expect(ownerView.length).toBeGreaterThan(0);
  });
});

describe("one town never reads or writes another's data", () => {
  it("hides tenant B's rows from a transaction scoped to tenant A", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    await withTenant(b.id, (tx) =>
      tx.insertInto("organisations").values({ tenant_id: b.id, name: "Secret de B" }).execute(),
    );
    const seenByA = await withTenant(a.id, (tx) => tx.selectFrom("organisations").select("name").execute());
    expect(seenByA.map((o) => o.name)).not.toContain("Secret de B");
    const seenByB = await withTenant(b.id, (tx) => tx.selectFrom("organisations").select("name").execute());
    expect(seenByB.map((o) => o.name)).toContain("Secret de B");
  });

  it("refuses to insert a row for tenant B from a transaction scoped to tenant A", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    await expect(
      withTenant(a.id, (tx) => tx.insertInto("organisations").values({ tenant_id: b.id, name: "Intrus" }).execute()),
    ).rejects.toThrow(/row-level security/);
  });

  it("cannot update or delete tenant B's rows from tenant A", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    await withTenant(b.id, (tx) => tx.insertInto("organisations").values({ tenant_id: b.id, name: "Asso de B" }).execute());
    const updated = await withTenant(a.id, (tx) =>
      tx.updateTable("organisations").set({ name: "piraté" }).where("name", "=", "Asso de B").executeTakeFirst(),
    );
    const deleted = await withTenant(a.id, (tx) => tx.deleteFrom("organisations").where("name", "=", "Asso de B").executeTakeFirst());
    expect(Number(updated.numUpdatedRows)).toBe(0);
    expect(Number(deleted.numDeletedRows)).toBe(0);
    const still = await withTenant(b.id, (tx) => tx.selectFrom("organisations").select("name").execute());
    expect(still.map((o) => o.name)).toEqual(["Asso de B"]);
  });

  it("cannot move a row to another tenant by updating tenant_id", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    await withTenant(a.id, (tx) => tx.insertInto("organisations").values({ tenant_id: a.id, name: "Asso de A" }).execute());
    await expect(
      withTenant(a.id, (tx) => tx.updateTable("organisations").set({ tenant_id: b.id }).where("name", "=", "Asso de A").execute()),
    ).rejects.toThrow(/row-level security|foreign key/);
  });

  it("cannot change the tenant setting to escape: the platform table is read-only to the app", async () => {
    await expect(withPlatform((tx) => tx.updateTable("tenants").set({ name: "x" }).execute())).rejects.toThrow(/permission denied/);
  });
});

describe("event log", () => {
  it("is append-only for the app", async () => {
    const a = await createTestTenant();
    await withTenant(a.id, (tx) =>
      tx.insertInto("core_events").values({ tenant_id: a.id, module: "core", kind: "test", quantities: "{}" }).execute(),
    );
    await expect(withTenant(a.id, (tx) => tx.deleteFrom("core_events").execute())).rejects.toThrow(/permission denied/);
    await expect(withTenant(a.id, (tx) => tx.updateTable("core_events").set({ kind: "x" }).execute())).rejects.toThrow(/permission denied/);
  });
});

describe("schema ready to be distributed by tenant", () => {
  it("has tenant_id in the primary key of every tenant table", async () => {
    const { rows } = await sql<{ table_name: string; pk: string[] | null }>`
      select c.relname as table_name,
             (select array_agg(a.attname order by a.attnum) from pg_constraint k
                join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
               where k.conrelid = c.oid and k.contype = 'p') as pk
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = any(${await tenantTables()})`.execute(ownerDb());
    const missing = rows.filter((r) => !r.pk?.includes("tenant_id")).map((r) => r.table_name);
    expect(missing).toEqual([]);
  });

  it("has tenant_id in every foreign key between tenant tables", async () => {
    const tables = await tenantTables();
    const { rows } = await sql<{ name: string; from_table: string; to_table: string; cols: string[] }>`
      select k.conname as name, c.relname as from_table, r.relname as to_table,
             (select array_agg(a.attname) from pg_attribute a where a.attrelid = k.conrelid and a.attnum = any(k.conkey)) as cols
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and k.contype = 'f' and c.relname = any(${tables}) and r.relname = any(${tables})`.execute(ownerDb());
    expect(rows.length).toBeGreaterThan(5);
    const without = rows.filter((r) => !r.cols.includes("tenant_id")).map((r) => `${r.from_table} -> ${r.to_table} (${r.name})`);
    expect(without).toEqual([]);
  });
});
