// The import template: the header row of the columns the import reads, in the format it
// expects (UTF-8 with BOM, `;`). No sample row: a forgotten sample would be published as a
// real listing.
import { stringify } from "csv-stringify/sync";
import { tenantLoader } from "~/core/route.server";
import { IMPORT_COLUMNS } from "../../data/import.server";
import { CSV_DELIMITER } from "../../opendata";

export const loader = /* @__PURE__ */ tenantLoader(
  async () =>
    new Response(stringify([IMPORT_COLUMNS], { bom: true, delimiter: CSV_DELIMITER, record_delimiter: "windows" }), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8; header=present",
        "Content-Disposition": 'attachment; filename="modele-import-initiatives.csv"',
        "Cache-Control": "private, max-age=300",
      },
    }),
  { module: "directory", can: { action: "import", subject: "Initiative" } },
);
