// The list of initiatives: the accessible, no-JavaScript alternative to the map, complete on
// its own. Same filters (same URL parameters) as the map.
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";
import { formatDate } from "~/core/ui/format";
import { StatusBadges, VocabularyValue } from "../../components/Badges";
import { FilterForm } from "../../components/FilterForm";
import { ManagementLinks } from "../../components/ManagementLinks";
import { managementTools } from "../../data/access.server";
import { readableSnapshot, searchInitiatives, type SearchResult } from "../../data/search.server";
import { filtersToParams, hasActiveFilters, PARAM } from "../../filters";
import { languageOptions, readFilters } from "../../public.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, locale, request, ability }) => {
    const { filters, page, values, errors, vocabulary } = await readFilters(tx, request, locale);
    const invalid = Object.keys(errors).length > 0;
    const rules = await ability();
    let result: SearchResult | null = null;
    let languages: string[];
    if (invalid) {
      languages = (await readableSnapshot(tx, rules)).languages;
    } else {
      result = await searchInitiatives(tx, filters, { page, now: new Date(), timeZone: tenant.timeZone, ability: rules });
      languages = result.languages;
    }
    const query = filtersToParams(filters).toString();
    return json(
      {
        town: tenant.name,
        timeZone: tenant.timeZone,
        values,
        errors,
        vocabulary,
        languages: languageOptions(languages, locale),
        filtered: hasActiveFilters(filters),
        query,
        result: result && { total: result.total, page: result.page, pageCount: result.pageCount, items: result.items },
        tools: managementTools(rules),
      },
      { status: invalid ? 400 : 200 },
    );
  },
  { module: "directory", can: { action: "read", subject: "Initiative" } },
);

function pageHref(query: string, page: number) {
  const params = new URLSearchParams(query);
  if (page > 1) params.set(PARAM.page, String(page));
  const search = params.toString();
  return search ? `/initiatives?${search}` : "/initiatives";
}

/** Page numbers to link: the first, the last, and two on each side of the current one. */
function pageWindow(page: number, pageCount: number): (number | "gap")[] {
  const pages = new Set([1, pageCount, page - 2, page - 1, page, page + 1, page + 2].filter((p) => p >= 1 && p <= pageCount));
  const sorted = [...pages].sort((a, b) => a - b);
  const out: (number | "gap")[] = [];
  sorted.forEach((p, i) => {
    if (i > 0 && p - sorted[i - 1] > 1) out.push("gap");
    out.push(p);
  });
  return out;
}

function Pagination({ query, page, pageCount }: { query: string; page: number; pageCount: number }) {
  const { t } = useTranslation("directory");
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={t("public.list.pagination")} className="directory-pagination">
      <ul>
        {page > 1 ? (
          <li>
            <Link to={pageHref(query, Math.min(page - 1, pageCount))} rel="prev">
              {t("public.list.previous")}
            </Link>
          </li>
        ) : null}
        {pageWindow(page, pageCount).map((p, i) =>
          p === "gap" ? (
            <li key={`gap-${i}`} aria-hidden="true">
              …
            </li>
          ) : (
            <li key={p}>
              {p === page ? (
                <span aria-current="page" className="directory-pagination__current">
                  <span className="visually-hidden">{t("public.list.pageLabel", { page: p })}</span>
                  <span aria-hidden="true">{p}</span>
                </span>
              ) : (
                <Link to={pageHref(query, p)} aria-label={t("public.list.pageLabel", { page: p })}>
                  {p}
                </Link>
              )}
            </li>
          ),
        )}
        {page < pageCount ? (
          <li>
            <Link to={pageHref(query, page + 1)} rel="next">
              {t("public.list.next")}
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

export default function InitiativesList() {
  const { town, timeZone, values, errors, vocabulary, languages, filtered, query, result, tools } = useLoaderData<typeof loader>();
  const { t } = useTranslation("directory");
  const mapHref = query ? `/initiatives/carte?${query}` : "/initiatives/carte";
  return (
    <>
      <h1>{t("public.list.title", { town })}</h1>
      <p className="lead">{t("public.list.intro")}</p>
      <p>
        <Link to={mapHref} className="button button--secondary">
          {t("public.list.toMap")}
        </Link>
      </p>
      <ManagementLinks tools={tools} />
      <FilterForm action="/initiatives" vocabulary={vocabulary} languages={languages} values={values} errors={errors} />
      <section aria-labelledby="directory-results-title" className="directory-results">
        <h2 id="directory-results-title">{t("public.list.results")}</h2>
        <p role="status" className="directory-results__count">
          {result
            ? [
                t(filtered ? "public.list.countFiltered" : "public.list.count", { count: result.total }),
                result.pageCount > 1 ? t("public.list.pageOf", { page: result.page, count: result.pageCount }) : "",
              ]
                .filter(Boolean)
                .join(" ")
            : t("public.list.invalidFilters")}
        </p>
        {result && result.items.length === 0 ? (
          <p>{result.total > 0 ? t("public.list.pageOutOfRange", { count: result.pageCount }) : t(filtered ? "public.list.emptyFiltered" : "public.list.empty")}</p>
        ) : null}
        {result && result.items.length > 0 ? (
          <ul className="directory-result-list">
            {result.items.map((i) => (
              <li key={i.id} className="card directory-result">
                <h3 className="directory-result__name">
                  <Link to={`/initiatives/${i.id}`}>{i.name}</Link>
                </h3>
                <StatusBadges toCheck={i.toCheck} isDemo={i.isDemo} openNow={i.openNow} />
                <dl className="directory-facts">
                  <dt>{t("public.fields.kind")}</dt>
                  <dd>
                    <VocabularyValue options={vocabulary.kind} value={i.kind} />
                  </dd>
                  {i.stage ? (
                    <>
                      <dt>{t("public.fields.stage")}</dt>
                      <dd>
                        <VocabularyValue options={vocabulary.stage} value={i.stage} />
                      </dd>
                    </>
                  ) : null}
                  {i.layers.length ? (
                    <>
                      <dt>{t("public.fields.layers")}</dt>
                      <dd>{i.layers.map((key) => vocabulary.layer.find((o) => o.key === key)?.label ?? key).join(", ")}</dd>
                    </>
                  ) : null}
                  {i.neighbourhood ? (
                    <>
                      <dt>{t("public.fields.neighbourhood")}</dt>
                      <dd>{i.neighbourhood}</dd>
                    </>
                  ) : null}
                  {i.address ? (
                    <>
                      <dt>{t("public.fields.address")}</dt>
                      <dd>{i.address}</dd>
                    </>
                  ) : null}
                </dl>
                <p className="directory-confirmed">{t("public.confirmedOn", { date: formatDate(i.confirmedAt, timeZone) })}</p>
              </li>
            ))}
          </ul>
        ) : null}
        {result ? <Pagination query={query} page={result.page} pageCount={result.pageCount} /> : null}
      </section>
    </>
  );
}
