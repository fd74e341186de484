// The grouping's map data: its member towns' positioned, published listings as GeoJSON
// (the export's shape, plus the town of each listing). `?bbox=w,s,e,n` restricts the area.
import { notFound, tenantLoader } from "~/core/route.server";
import { memberFeatures, resolveMemberTowns } from "../../data/aggregate.server";
import { licenceMeta } from "../../data/opendata.server";
import { LICENCES } from "../../opendata";
import { apiErrorResponse, apiLocale, CORS_HEADERS, directorySettings, originOf, parseGeoJsonQuery } from "../../opendata-http.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tenant, locale }) => {
    const settings = directorySettings(tenant);
    if (settings.memberTenants.length === 0) notFound();
    const bbox = parseGeoJsonQuery(new URL(request.url));
    if (!bbox.ok) return apiErrorResponse(bbox.error, apiLocale(request, tenant, locale));
    const members = await resolveMemberTowns(settings.memberTenants, tenant.id);
    const features = await memberFeatures(members, request.url, bbox.value);
    const licenceLinks = [...new Set(members.map((m) => `<${LICENCES[m.licence].url}>; rel="license"`))].join(", ");
    const body = {
      type: "FeatureCollection",
      name: tenant.name,
      // Each town publishes its listings under the licence it chose: the sources say which.
      sources: members.map((m) => ({ commune: m.name, commune_slug: m.slug, licence: licenceMeta(m.licence) })),
      attribution: members.map((m) => m.name).join(", "),
      generated_at: new Date().toISOString(),
      documentation: `${originOf(request)}/initiatives/donnees-ouvertes`,
      features,
    };
    return new Response(JSON.stringify(body), {
      headers: {
        ...CORS_HEADERS,
        "Content-Type": "application/geo+json; charset=utf-8",
        "Content-Disposition": `inline; filename="initiatives-territoire-${tenant.slug}.geojson"`,
        ...(licenceLinks ? { Link: licenceLinks } : {}),
        "Cache-Control": "public, max-age=60",
      },
    });
  },
  { module: "directory" },
);
