import { prepareDatabase } from "../setup.ts";
import { syncTenants, TenantDefinitionError } from "../tenants-sync.ts";

const db = await prepareDatabase({});
try {
  const slugs = await syncTenants({ ownerUrl: db.ownerUrl, dir: process.argv[2] ?? "tenants" });
  console.log(`${slugs.length} tenant(s) in sync: ${slugs.join(", ")}`);
} catch (error) {
  console.error(error instanceof TenantDefinitionError ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.embedded?.stop();
}
