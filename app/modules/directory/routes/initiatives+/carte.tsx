// The map of initiatives. Same filters (same URL parameters) as the list, which remains the
// complete alternative: linked visibly, mentioned to screen readers, reachable by skipping
// the map.
import { json, type LinksFunction } from "@remix-run/node";
import { Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";
import { Swatch } from "../../components/Badges";
import { FilterForm } from "../../components/FilterForm";
import { MapView, NO_STAGE_COLOUR } from "../../components/MapView";
import { MAP_MAX_ZOOM } from "../../data/map.server";
import { criteriaFor, matchingListings, readableSnapshot } from "../../data/search.server";
import { filtersToParams } from "../../filters";
import { mapPageHeaders } from "../../map-policy";
import { mapPolicyHeaders } from "../../map-policy.server";
import { directorySettings, languageOptions, readFilters } from "../../public.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/vendor/maplibre-gl.css" }];

export const headers = mapPageHeaders;

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, locale, request, context, ability }) => {
    const { filters, values, errors, vocabulary, colourBy } = await readFilters(tx, request, locale);
    const invalid = Object.keys(errors).length > 0;
    const snapshot = await readableSnapshot(tx, await ability());
    let total: number | null = null;
    if (!invalid) {
      const criteria = await criteriaFor(tx, filters, new Date(), tenant.timeZone);
      total = matchingListings(snapshot, criteria).length;
    }
    const settings = directorySettings(tenant);
    return json(
      {
        town: tenant.name,
        values,
        errors,
        vocabulary,
        colourBy,
        languages: languageOptions(snapshot.languages, locale),
        query: invalid ? "" : filtersToParams(filters).toString(),
        total,
        map: {
          styleUrl: settings.mapStyleUrl ?? "/initiatives/carte/style.json",
          externalStyle: !!settings.mapStyleUrl,
          bounds: tenant.definition.map.bounds,
          maxZoom: MAP_MAX_ZOOM,
        },
      },
      { status: invalid ? 400 : 200, headers: mapPolicyHeaders(tenant, context.nonce) },
    );
  },
  { module: "directory", can: { action: "read", subject: "Initiative" } },
);

export default function InitiativesMap() {
  const { town, values, errors, vocabulary, colourBy, languages, query, total, map } = useLoaderData<typeof loader>();
  const { t } = useTranslation("directory");
  const submit = useSubmit();
  const listHref = query ? `/initiatives?${query}` : "/initiatives";
  const legend = colourBy === "kind" ? vocabulary.kind : vocabulary.stage;
  return (
    <>
      <h1>{t("public.map.title", { town })}</h1>
      <p className="lead">{t("public.map.intro")}</p>
      <p>
        <Link to={listHref} className="button button--secondary">
          {total === null ? t("public.map.toList") : t("public.map.toListCount", { count: total })}
        </Link>
      </p>
      <FilterForm
        action="/initiatives/carte"
        vocabulary={vocabulary}
        languages={languages}
        values={values}
        errors={errors}
        colourBy={colourBy}
        onChange={(form) => {
          // The same GET as the submit button, without the empty fields, applied at once.
          const params = new URLSearchParams();
          for (const [name, value] of new FormData(form)) if (value !== "") params.append(name, String(value));
          submit(params, { method: "get", action: "/initiatives/carte", replace: true, preventScrollReset: true });
        }}
      />
      <section aria-labelledby="directory-map-title" className="directory-map-section">
        <h2 id="directory-map-title">{t("public.map.heading")}</h2>
        <p id="directory-map-help">
          {t("public.map.help")} <Link to={listHref}>{t("public.map.helpList")}</Link>
        </p>
        <a href="#directory-after-map" className="directory-skip-map">
          {t("public.map.skip")}
        </a>
        <div className="directory-legend" aria-labelledby="directory-legend-title" role="group">
          <h3 id="directory-legend-title">{t(colourBy === "kind" ? "public.map.legendKind" : "public.map.legendStage")}</h3>
          <ul>
            {legend.map((o) => (
              <li key={o.key}>
                <Swatch colour={o.colour ?? NO_STAGE_COLOUR} />
                {o.label}
              </li>
            ))}
            {colourBy === "stage" ? (
              <li>
                <Swatch colour={NO_STAGE_COLOUR} />
                {t("public.map.noStage")}
              </li>
            ) : null}
            <li>
              <span className="map-cluster map-cluster--s map-cluster--legend" aria-hidden="true">
                3
              </span>
              {t("public.map.legendCluster")}
            </li>
          </ul>
        </div>
        {total !== null ? (
          <MapView
            styleUrl={map.styleUrl}
            externalStyle={map.externalStyle}
            bounds={map.bounds}
            maxZoom={map.maxZoom}
            query={query}
            colourBy={colourBy}
            kinds={vocabulary.kind}
            stages={vocabulary.stage}
            listHref={listHref}
            labelledBy="directory-map-title"
            describedBy="directory-map-help"
          />
        ) : null}
      </section>
      <div id="directory-after-map" tabIndex={-1} className="directory-after-map">
        <p>
          <Link to={listHref}>{t("public.map.toList")}</Link>
        </p>
      </div>
    </>
  );
}
