// Test fixtures. Tenants are created through the owner connection (as tenants:sync does);
// assertions about isolation always go through the app role (`withTenant`).
import crypto from "node:crypto";
import pg from "pg";
import { Kysely, PostgresDialect, sql } from "kysely";
import type { DB } from "../../app/core/db/schema.ts";
import { BUILTIN_ROLES } from "../../app/core/modules/types.ts";
import { defaultRoleRules, VISITOR } from "../../app/core/permissions/catalog.server.ts";
import type { StoredTenantDefinition } from "../../app/core/tenant/definition.ts";

let owner: Kysely<DB> | undefined;

/** The owner connection: fixtures only, never to assert what the app can see. */
export function ownerDb(): Kysely<DB> {
  owner ??= new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: process.env.TEST_OWNER_DATABASE_URL, max: 3 }) }),
  });
  return owner;
}

export function testDefinition(name: string, host: string, overrides: Partial<StoredTenantDefinition> = {}): StoredTenantDefinition {
  return {
    name,
    inseeCode: "62907",
    hosts: [host],
    locales: { default: "fr", enabled: ["fr", "en"] },
    timeZone: "Europe/Paris",
    theme: { primary: "#1d4ed8", accent: "#0f766e" },
    map: { center: [3.0156, 50.4822], zoom: 13, bounds: [[2.98, 50.45], [3.05, 50.51]] },
    modules: {},
    legal: { publisher: `Ville de ${name}`, publicationDirector: "Maire", address: "Mairie", contactEmail: "contact@example.org", hosting: "Test" },
    accessibility: { status: "partial", contactEmail: "a11y@example.org" },
    demo: false,
    commune: { inseeCode: "62907", officialName: "Libercourt", type: "commune-actuelle", population: 7973, postalCodes: ["62820"], departement: "62", chefLieu: null, parentName: null },
    hasLogo: false,
    ...overrides,
  };
}

export type TestTenant = { id: string; slug: string; host: string };

/** A fresh tenant with the built-in roles (their default permission rules) and the given modules enabled. */
export async function createTestTenant(options: { modules?: Record<string, Record<string, unknown>>; disabledModules?: string[] } = {}): Promise<TestTenant> {
  const slug = "t-" + crypto.randomBytes(5).toString("hex");
  const host = `${slug}.localhost`;
  const db = ownerDb();
  const row = await db
    .insertInto("tenants")
    .values({ slug, name: `Ville ${slug}`, hosts: [host], definition: JSON.stringify(testDefinition(`Ville ${slug}`, host)) })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.transaction().execute(async (tx) => {
    await sql`select set_config('app.tenant_id', ${row.id}, true)`.execute(tx);
    for (const key of BUILTIN_ROLES) {
      await tx.insertInto("roles").values({ tenant_id: row.id, key, is_builtin: true, labels: "{}", rules: JSON.stringify(defaultRoleRules(key)) }).execute();
    }
    await tx.insertInto("visitor_permissions").values({ tenant_id: row.id, rules: JSON.stringify(defaultRoleRules(VISITOR)) }).execute();
    for (const [id, settings] of Object.entries(options.modules ?? {})) {
      await tx.insertInto("tenant_modules").values({ tenant_id: row.id, module_id: id, enabled: true, settings: JSON.stringify(settings) }).execute();
    }
    for (const id of options.disabledModules ?? []) {
      await tx.insertInto("tenant_modules").values({ tenant_id: row.id, module_id: id, enabled: false, settings: "{}" }).execute();
    }
  });
  return { id: row.id, slug, host };
}

export function tenantTables(): Promise<string[]> {
  return sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
    order by 1`
    .execute(ownerDb())
    .then((r) => r.rows.map((x) => x.table_name));
}
