import { prepareDatabase } from "../setup.ts";
import { describeTables, IMPORT_USAGE, importTenantFromFile } from "../tenant-portability.ts";
import { PortabilityError } from "../../app/core/tenant/portability.server.ts";

const [file] = process.argv.slice(2);
if (!file) {
  console.error(IMPORT_USAGE);
  process.exit(2);
}

// Migrates the target first: an empty database gets the schema the import needs.
const db = await prepareDatabase({ log: () => undefined });
try {
  const summary = await importTenantFromFile(db.ownerUrl, file);
  console.log(`tenant ${summary.tenant.slug} imported from ${file}:\n${describeTables(summary.tables)}`);
} catch (error) {
  console.error(error instanceof PortabilityError ? `refused, nothing was imported: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await db.embedded?.stop();
}
