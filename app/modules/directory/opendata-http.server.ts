// The HTTP side of the open data: query parameters of the API and of the GeoJSON endpoints,
// their errors (JSON, translated), and the headers every open-data response carries.
import { json } from "@remix-run/node";
import { isLocale, tFor } from "~/core/i18n/i18n.server";
import type { Locale } from "~/core/tenant/definition";
import type { TenantContext } from "~/core/tenant/tenant.server";
import { API_DEFAULT_PER_PAGE, API_MAX_PER_PAGE, LICENCES } from "./opendata";
import { directorySettingsSchema, type DirectorySettings } from "./schemas";
import type { BBox, OpenDataFilter } from "./data/opendata.server";
import type { Vocabularies, VocabularyName } from "./vocabulary";

export function directorySettings(tenant: TenantContext): DirectorySettings {
  return directorySettingsSchema.parse(tenant.modules.directory?.settings ?? {});
}

/**
 * The language of an API answer: the client's Accept-Language when the town offers it (an
 * API client has no language cookie), else the locale the portal would use.
 */
export function apiLocale(request: Request, tenant: TenantContext, fallback: Locale): Locale {
  const header = request.headers.get("accept-language");
  if (!header) return fallback;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: tag.trim().toLowerCase().split("-")[0], q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((x) => x.lang && Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { lang } of ranked) {
    if (isLocale(lang) && tenant.locales.includes(lang)) return lang;
  }
  return fallback;
}

export type ApiError = { code: string; parameter: string; params?: Record<string, string | number> };

type Parsed<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const NUMBER = /^-?\d+(\.\d+)?$/;

/** `bbox=west,south,east,north` in WGS 84 degrees (the order of RFC 7946 §5). */
export function parseBbox(raw: string | null): Parsed<BBox | undefined> {
  if (raw === null || raw.trim() === "") return { ok: true, value: undefined };
  const parts = raw.split(",").map((p) => p.trim());
  if (parts.length !== 4 || !parts.every((p) => NUMBER.test(p))) return { ok: false, error: { code: "bboxFormat", parameter: "bbox" } };
  const [w, s, e, n] = parts.map(Number);
  if ([w, e].some((x) => x < -180 || x > 180) || [s, n].some((y) => y < -90 || y > 90)) {
    return { ok: false, error: { code: "bboxRange", parameter: "bbox" } };
  }
  if (!(w < e && s < n)) return { ok: false, error: { code: "bboxOrder", parameter: "bbox" } };
  return { ok: true, value: [w, s, e, n] };
}

function parsePositive(raw: string | null, parameter: string, fallback: number, max?: number): Parsed<number> {
  if (raw === null || raw === "") return { ok: true, value: fallback };
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || (max !== undefined && n > max)) {
    return { ok: false, error: { code: max === undefined ? "page" : "perPage", parameter, params: { max: max ?? 0 } } };
  }
  return { ok: true, value: n };
}

/** Values of a filter, repeated (`kind=a&kind=b`) or comma-separated, each checked against the town's vocabulary. */
function parseKeys(url: URL, parameter: string, vocabulary: VocabularyName, vocabularies: Vocabularies): Parsed<string[]> {
  const values = url.searchParams
    .getAll(parameter)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  const allowed = vocabularies[vocabulary].map((e) => e.key);
  const unknown = values.find((v) => !allowed.includes(v));
  if (unknown !== undefined) {
    return { ok: false, error: { code: "unknownValue", parameter, params: { value: unknown, allowed: allowed.join(", ") } } };
  }
  return { ok: true, value: [...new Set(values)] };
}

export const API_PARAMETERS = ["page", "per_page", "bbox", "kind", "layer", "stage"] as const;
export const GEOJSON_PARAMETERS = ["bbox"] as const;

function unknownParameter(url: URL, accepted: readonly string[]): ApiError | null {
  for (const name of url.searchParams.keys()) {
    if (!accepted.includes(name)) return { code: "unknownParameter", parameter: name, params: { accepted: accepted.join(", ") } };
  }
  return null;
}

export type ApiQuery = { filter: OpenDataFilter; page: number; perPage: number };

export function parseApiQuery(url: URL, vocabularies: Vocabularies): Parsed<ApiQuery> {
  const unknown = unknownParameter(url, API_PARAMETERS);
  if (unknown) return { ok: false, error: unknown };
  const page = parsePositive(url.searchParams.get("page"), "page", 1);
  if (!page.ok) return page;
  const perPage = parsePositive(url.searchParams.get("per_page"), "per_page", API_DEFAULT_PER_PAGE, API_MAX_PER_PAGE);
  if (!perPage.ok) return perPage;
  const bbox = parseBbox(url.searchParams.get("bbox"));
  if (!bbox.ok) return bbox;
  const kinds = parseKeys(url, "kind", "kind", vocabularies);
  if (!kinds.ok) return kinds;
  const layers = parseKeys(url, "layer", "layer", vocabularies);
  if (!layers.ok) return layers;
  const stages = parseKeys(url, "stage", "stage", vocabularies);
  if (!stages.ok) return stages;
  return {
    ok: true,
    value: { filter: { bbox: bbox.value, kinds: kinds.value, layers: layers.value, stages: stages.value }, page: page.value, perPage: perPage.value },
  };
}

/** The GeoJSON endpoints take an optional bounding box only. */
export function parseGeoJsonQuery(url: URL): Parsed<BBox | undefined> {
  const unknown = unknownParameter(url, GEOJSON_PARAMETERS);
  if (unknown) return { ok: false, error: unknown };
  return parseBbox(url.searchParams.get("bbox"));
}

/** Open data is readable from any site: no credentials are involved, only public listings. */
export const CORS_HEADERS = { "Access-Control-Allow-Origin": "*" } as const;

export function licenceLink(settings: DirectorySettings) {
  return `<${LICENCES[settings.openDataLicence].url}>; rel="license"`;
}

/** A 400 answer in the client's language, in the same JSON shape for every open-data endpoint. */
export function apiErrorResponse(error: ApiError, locale: Locale) {
  const t = tFor(locale, "directory");
  const message = t(`opendata.api.errors.${error.code}`, { parameter: error.parameter, ...error.params });
  return json(
    { error: { code: error.code, parameter: error.parameter, message } },
    { status: 400, headers: { ...CORS_HEADERS, "Content-Language": locale, Vary: "Accept-Language, Cookie", "Cache-Control": "no-store" } },
  );
}

/** Origin of the current request, for absolute links in the data. */
export function originOf(request: Request): string {
  return new URL(request.url).origin;
}
