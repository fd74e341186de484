// Open-data export, GeoJSON (RFC 7946): published listings as a FeatureCollection carrying
// its licence and attribution. `?bbox=w,s,e,n` restricts it to an area.
import { getVocabularies } from "../../data/vocabulary.server";
import { listOpenDataByName, toFeatureCollection, toOpenDataRecord } from "../../data/opendata.server";
import {
  apiErrorResponse,
  apiLocale,
  CORS_HEADERS,
  directorySettings,
  licenceLink,
  originOf,
  parseGeoJsonQuery,
} from "../../opendata-http.server";
import { tenantLoader } from "~/core/route.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, locale }) => {
    const url = new URL(request.url);
    const bbox = parseGeoJsonQuery(url);
    if (!bbox.ok) return apiErrorResponse(bbox.error, apiLocale(request, tenant, locale));
    const settings = directorySettings(tenant);
    const [rows, vocabularies] = await Promise.all([listOpenDataByName(tx, { bbox: bbox.value }), getVocabularies(tx)]);
    const origin = originOf(request);
    const context = { vocabularies, origin, timeZone: tenant.timeZone };
    const collection = toFeatureCollection(
      rows.map((r) => toOpenDataRecord(r, context)),
      { publisher: tenant.name, licence: settings.openDataLicence, generatedAt: new Date(), documentation: `${origin}/initiatives/donnees-ouvertes` },
    );
    return new Response(JSON.stringify(collection), {
      headers: {
        ...CORS_HEADERS,
        "Content-Type": "application/geo+json; charset=utf-8",
        "Content-Disposition": `attachment; filename="initiatives-${tenant.slug}.geojson"`,
        Link: licenceLink(settings),
        "Cache-Control": "public, max-age=300",
      },
    });
  },
  { module: "directory" },
);
