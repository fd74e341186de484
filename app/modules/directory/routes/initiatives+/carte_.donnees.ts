// The map's data endpoint: clusters and points of the visible area at a zoom, as GeoJSON,
// with the list's filters. `?bbox=west,south,east,north&zoom=z&` + the filters' parameters.
import { json } from "@remix-run/node";
import { tenantLoader } from "~/core/route.server";
import { mapData, parseBbox, parseZoom } from "../../data/map.server";
import { readFilters } from "../../public.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, locale, request, t, ability }) => {
    const url = new URL(request.url);
    const { filters, errors } = await readFilters(tx, request, locale);
    const bbox = parseBbox(url.searchParams.get("bbox"));
    const zoom = parseZoom(url.searchParams.get("zoom"));
    if (!bbox) errors.bbox = "directory:public.map.errors.bbox";
    if (zoom === null) errors.zoom = "directory:public.map.errors.zoom";
    if (Object.keys(errors).length > 0 || !bbox || zoom === null) {
      return json(
        { error: t("directory:public.map.errors.summary"), fields: Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, t(key)])) },
        { status: 400, headers: { "Cache-Control": "no-store" } },
      );
    }
    const data = await mapData(tx, filters, { bbox, zoom, now: new Date(), timeZone: tenant.timeZone, ability: await ability() });
    return json(data, { headers: { "Content-Type": "application/geo+json; charset=utf-8", "Cache-Control": "private, no-cache" } });
  },
  { module: "directory", can: { action: "read", subject: "Initiative" } },
);
