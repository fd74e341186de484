import { prepareDatabase } from "../setup.ts";
import { describeTables, EXPORT_USAGE, exportTenantToFile } from "../tenant-portability.ts";
import { PortabilityError } from "../../app/core/tenant/portability.server.ts";

const [slug, file] = process.argv.slice(2);
if (!slug || !file) {
  console.error(EXPORT_USAGE);
  process.exit(2);
}

const db = await prepareDatabase({ log: () => undefined });
try {
  const manifest = await exportTenantToFile(db.ownerUrl, slug, file);
  console.log(`tenant ${manifest.tenant.slug} exported to ${file}:\n${describeTables(manifest.tables)}`);
} catch (error) {
  console.error(error instanceof PortabilityError ? `refused: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await db.embedded?.stop();
}
