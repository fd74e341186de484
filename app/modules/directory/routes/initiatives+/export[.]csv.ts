// Open-data export, CSV: published listings, UTF-8 with BOM, `;` separated (documented on
// /initiatives/donnees-ouvertes).
import { getVocabularies } from "../../data/vocabulary.server";
import { listOpenDataByName, toCsv, toOpenDataRecord } from "../../data/opendata.server";
import { CORS_HEADERS, directorySettings, licenceLink, originOf } from "../../opendata-http.server";
import { tenantLoader } from "~/core/route.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant }) => {
    const settings = directorySettings(tenant);
    const [rows, vocabularies] = await Promise.all([listOpenDataByName(tx), getVocabularies(tx)]);
    const context = { vocabularies, origin: originOf(request), timeZone: tenant.timeZone };
    return new Response(toCsv(rows.map((r) => toOpenDataRecord(r, context))), {
      headers: {
        ...CORS_HEADERS,
        "Content-Type": "text/csv; charset=utf-8; header=present",
        "Content-Disposition": `attachment; filename="initiatives-${tenant.slug}.csv"`,
        Link: licenceLink(settings),
        "Cache-Control": "public, max-age=300",
      },
    });
  },
  { module: "directory" },
);
