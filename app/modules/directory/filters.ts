// The filters shared by the list, the map and the map's data endpoint: one set of URL
// parameters, so that "Voir la liste" from the map (and back) keeps what the visitor chose.
// Pure code: the browser builds the data endpoint's URL with it too.

export type DirectoryFilters = {
  /** Free text, as typed (trimmed); matched ignoring accents and case. */
  q: string;
  kind: string | null;
  stage: string | null;
  /** Thematic layers: a listing matches when it has at least one of them. */
  layers: string[];
  openNow: boolean;
  language: string | null;
};

export type ColourBy = "stage" | "kind";

/** URL parameter names (French: they show in the address bar). */
export const PARAM = {
  q: "q",
  kind: "type",
  stage: "etape",
  layer: "calque",
  openNow: "ouvert",
  language: "langue",
  page: "page",
  colourBy: "couleur",
} as const;

export const MAX_QUERY_LENGTH = 100;
/** More words than this add nothing but cost: each is one more trigram condition. */
export const MAX_QUERY_TERMS = 8;
export const MAX_PAGE = 10_000;

export type ParsedFilters = {
  filters: DirectoryFilters;
  page: number;
  colourBy: ColourBy;
  /** What the visitor typed, by URL parameter, to show again in the form. */
  values: Record<string, string | string[]>;
  /** i18n keys of the problems, by URL parameter (= field name); `_form` for the page number. */
  errors: Record<string, string>;
};

export type AllowedKeys = { kind: string[]; stage: string[]; layer: string[] };

const LANGUAGE_CODE = /^[a-z]{2,3}$/;

export function emptyFilters(): DirectoryFilters {
  return { q: "", kind: null, stage: null, layers: [], openNow: false, language: null };
}

/** Reads the filters from a query string; unknown vocabulary keys are errors, not silently dropped. */
export function parseFilters(params: URLSearchParams, allowed: AllowedKeys): ParsedFilters {
  const errors: ParsedFilters["errors"] = {};
  const filters = emptyFilters();
  const values: ParsedFilters["values"] = {};

  // Control characters (a NUL would even be refused by PostgreSQL) count as spaces.
  const q = (params.get(PARAM.q) ?? "").replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim();
  values.q = params.get(PARAM.q) ?? "";
  if (q.length > MAX_QUERY_LENGTH) errors[PARAM.q] = "directory:public.filters.errors.qTooLong";
  else filters.q = q;

  const single = (name: "kind" | "stage", param: string) => {
    const raw = params.get(param) ?? "";
    values[param] = raw;
    if (raw === "") return null;
    if (!allowed[name].includes(raw)) {
      errors[param] = `directory:public.filters.errors.${name}`;
      return null;
    }
    return raw;
  };
  filters.kind = single("kind", PARAM.kind);
  filters.stage = single("stage", PARAM.stage);

  const layers = params.getAll(PARAM.layer).filter((l) => l !== "");
  values[PARAM.layer] = layers;
  if (layers.some((l) => !allowed.layer.includes(l))) errors[PARAM.layer] = "directory:public.filters.errors.layer";
  else filters.layers = [...new Set(layers)].sort();

  const open = params.get(PARAM.openNow);
  values[PARAM.openNow] = open ?? "";
  if (open !== null && open !== "" && open !== "1") errors[PARAM.openNow] = "directory:public.filters.errors.openNow";
  else filters.openNow = open === "1";

  const language = (params.get(PARAM.language) ?? "").trim().toLowerCase();
  values[PARAM.language] = params.get(PARAM.language) ?? "";
  if (language !== "" && !LANGUAGE_CODE.test(language)) errors[PARAM.language] = "directory:public.filters.errors.language";
  else filters.language = language || null;

  const rawPage = params.get(PARAM.page);
  let page = 1;
  if (rawPage !== null && rawPage !== "") {
    values.page = rawPage;
    const n = Number(rawPage);
    if (!/^\d+$/.test(rawPage) || n < 1 || n > MAX_PAGE) errors._form = "directory:public.filters.errors.page";
    else page = n;
  }

  const colourBy: ColourBy = params.get(PARAM.colourBy) === "kind" ? "kind" : "stage";
  return { filters, page, colourBy, values, errors };
}

/** The query string of a filter set (page and colour apart), in a stable order. */
export function filtersToParams(filters: DirectoryFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set(PARAM.q, filters.q);
  if (filters.kind) params.set(PARAM.kind, filters.kind);
  if (filters.stage) params.set(PARAM.stage, filters.stage);
  for (const layer of filters.layers) params.append(PARAM.layer, layer);
  if (filters.openNow) params.set(PARAM.openNow, "1");
  if (filters.language) params.set(PARAM.language, filters.language);
  return params;
}

/** Search words: at most MAX_QUERY_TERMS, duplicates removed. */
export function queryTerms(q: string): string[] {
  return [...new Set(q.split(/[\s\u0000-\u001f\u007f]+/).filter(Boolean))].slice(0, MAX_QUERY_TERMS);
}

export function hasActiveFilters(filters: DirectoryFilters): boolean {
  return filtersToParams(filters).toString() !== "";
}
