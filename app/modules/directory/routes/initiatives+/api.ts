// Read-only JSON API of the published listings: paging, bounding box, kind/layer/stage
// filters, stable order (by identifier). Documented on /initiatives/donnees-ouvertes.
import { json } from "@remix-run/node";
import { getVocabularies } from "../../data/vocabulary.server";
import { countOpenData, licenceMeta, listOpenDataPage, toOpenDataRecord } from "../../data/opendata.server";
import { apiErrorResponse, apiLocale, CORS_HEADERS, directorySettings, licenceLink, originOf, parseApiQuery } from "../../opendata-http.server";
import { tenantLoader } from "~/core/route.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, locale }) => {
    const url = new URL(request.url);
    const vocabularies = await getVocabularies(tx);
    const parsed = parseApiQuery(url, vocabularies);
    if (!parsed.ok) return apiErrorResponse(parsed.error, apiLocale(request, tenant, locale));
    const { filter, page, perPage } = parsed.value;
    const settings = directorySettings(tenant);
    const total = await countOpenData(tx, filter);
    const rows = await listOpenDataPage(tx, filter, { limit: perPage, offset: (page - 1) * perPage });
    const origin = originOf(request);
    const pages = Math.max(1, Math.ceil(total / perPage));
    const pageUrl = (n: number) => {
      const u = new URL(url.pathname, origin);
      for (const [k, v] of url.searchParams) if (k !== "page") u.searchParams.append(k, v);
      u.searchParams.set("page", String(n));
      return u.toString();
    };
    return json(
      {
        data: rows.map((r) => toOpenDataRecord(r, { vocabularies, origin, timeZone: tenant.timeZone })),
        meta: { total, page, per_page: perPage, pages, licence: licenceMeta(settings.openDataLicence), attribution: tenant.name },
        links: {
          self: pageUrl(page),
          first: pageUrl(1),
          last: pageUrl(pages),
          prev: page > 1 ? pageUrl(Math.min(page - 1, pages)) : null,
          next: page < pages ? pageUrl(page + 1) : null,
          documentation: `${origin}/initiatives/donnees-ouvertes`,
        },
      },
      { headers: { ...CORS_HEADERS, Link: licenceLink(settings), "Cache-Control": "public, max-age=60" } },
    );
  },
  { module: "directory" },
);
