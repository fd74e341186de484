// `npm run tenant:export -- <slug> <file.zip>` and `npm run tenant:import -- <file.zip>`:
// a whole town's data out of one database and into another, on the owner connection.
// The format and its guarantees are described in app/core/tenant/portability.server.ts.
import fs from "node:fs/promises";
import { sql } from "kysely";
import { exportTenant, importTenant, PortabilityError, type ExportManifest, type ImportSummary } from "../app/core/tenant/portability.server.ts";
import { ownerDb } from "./tenants-sync.ts";

export const EXPORT_USAGE = "usage: npm run tenant:export -- <tenant-slug> <file.zip>";
export const IMPORT_USAGE = "usage: npm run tenant:import -- <file.zip>";

export async function exportTenantToFile(ownerUrl: string, slug: string, file: string): Promise<ExportManifest> {
  const db = ownerDb(ownerUrl);
  try {
    // One snapshot for every table, so that the archive's foreign keys hold.
    const { zip, manifest } = await db
      .transaction()
      .setIsolationLevel("repeatable read")
      .setAccessMode("read only")
      .execute(async (tx) => {
        const tenant = await tx.selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirst();
        if (!tenant) {
          const known = await tx.selectFrom("tenants").select("slug").orderBy("slug").execute();
          throw new PortabilityError(`No tenant "${slug}". Known tenants: ${known.map((k) => k.slug).join(", ") || "none"}.`);
        }
        // The owner is subject to the tenant policies too (FORCE): scope the reads.
        await sql`select set_config('app.tenant_id', ${tenant.id}, true)`.execute(tx);
        return exportTenant(tx, tenant.id);
      });
    await fs.writeFile(file, zip);
    return manifest;
  } finally {
    await db.destroy();
  }
}

export async function importTenantFromFile(ownerUrl: string, file: string): Promise<ImportSummary> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (error) {
    throw new PortabilityError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const db = ownerDb(ownerUrl);
  try {
    return await importTenant(db, bytes);
  } finally {
    await db.destroy();
  }
}

export function describeTables(tables: Array<{ name: string; rows: number }>) {
  return tables.map((t) => `  ${t.name}: ${t.rows}`).join("\n");
}
