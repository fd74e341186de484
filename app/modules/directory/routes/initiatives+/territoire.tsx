// A grouping's view (intercommunality, region): the published listings of its member towns,
// read-only, each linking to the listing's page on the town's own portal. 404 for a town
// that groups no one. The map shows the same listings (the GeoJSON of territoire/donnees.geojson,
// clustered in the browser: a read-only aggregate); the list stays the complete alternative.
import { json, type LinksFunction, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, tenantLoader } from "~/core/route.server";
import { titledMeta } from "~/core/ui/meta";
import { Swatch } from "../../components/Badges";
import { MapView, NO_STAGE_COLOUR } from "../../components/MapView";
import { countMemberListings, memberListingsPage, memberOrigin, resolveMemberTowns } from "../../data/aggregate.server";
import { MAP_MAX_ZOOM } from "../../data/map.server";
import { getVocabularies } from "../../data/vocabulary.server";
import { mapPageHeaders } from "../../map-policy";
import { mapPolicyHeaders } from "../../map-policy.server";
import { directorySettings } from "../../opendata-http.server";
import { vocabularyOptions } from "../../public.server";

const PER_PAGE = 50;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/vendor/maplibre-gl.css" }];

export const headers = mapPageHeaders;

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, locale, t, context }) => {
    const { memberTenants, mapStyleUrl } = directorySettings(tenant);
    if (memberTenants.length === 0) notFound();
    const members = await resolveMemberTowns(memberTenants, tenant.id);
    const counts = await countMemberListings(members);
    const total = counts.reduce((a, b) => a + b, 0);
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const asked = Number(new URL(request.url).searchParams.get("page") ?? "1");
    const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pages) : 1;
    const items = await memberListingsPage(members, counts, { offset: (page - 1) * PER_PAGE, limit: PER_PAGE }, { requestUrl: request.url, locale });
    // Colours and legend follow the grouping's own stages: a member's stage it does not know is drawn uncoloured.
    const vocabulary = vocabularyOptions(await getVocabularies(tx), locale);
    return json(
      {
        title: t("directory:opendata.territory.title", { name: tenant.name }),
        town: tenant.name,
        towns: members.map((m, i) => ({ slug: m.slug, name: m.name, count: counts[i], url: `${memberOrigin(m, request.url)}/initiatives` })),
        items,
        total,
        page,
        pages,
        kinds: vocabulary.kind,
        stages: vocabulary.stage,
        map: {
          styleUrl: mapStyleUrl ?? "/initiatives/carte/style.json",
          externalStyle: !!mapStyleUrl,
          bounds: tenant.definition.map.bounds,
          maxZoom: MAP_MAX_ZOOM,
        },
      },
      { headers: mapPolicyHeaders(tenant, context.nonce) },
    );
  },
  { module: "directory" },
);

export default function Territory() {
  const { title, towns, items, total, page, pages, kinds, stages, map } = useLoaderData<typeof loader>();
  const { t } = useTranslation("directory");
  return (
    <>
      <h1>{title}</h1>
      <p className="lead">{t("opendata.territory.intro", { count: towns.length })}</p>
      <section aria-labelledby="territory-towns">
        <h2 id="territory-towns">{t("opendata.territory.townsTitle")}</h2>
        {towns.length === 0 ? (
          <p>{t("opendata.territory.noTowns")}</p>
        ) : (
          <ul>
            {towns.map((town) => (
              <li key={town.slug}>
                <a href={town.url}>{t("opendata.territory.townLink", { town: town.name })}</a> — {t("opendata.territory.townCount", { count: town.count })}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href="/initiatives/territoire/donnees.geojson" download>
            {t("opendata.territory.geojson")}
          </a>
        </p>
      </section>
      {total > 0 ? (
        <section aria-labelledby="territory-map-title" className="directory-map-section">
          <h2 id="territory-map-title">{t("public.territoryMap.heading")}</h2>
          <p id="territory-map-help">
            {t("public.territoryMap.help")} <a href="#territory-list">{t("public.territoryMap.helpList")}</a>
          </p>
          <a href="#territory-list" className="directory-skip-map">
            {t("public.map.skip")}
          </a>
          <div className="directory-legend" aria-labelledby="territory-legend-title" role="group">
            <h3 id="territory-legend-title">{t("public.map.legendStage")}</h3>
            <ul>
              {stages.map((o) => (
                <li key={o.key}>
                  <Swatch colour={o.colour ?? NO_STAGE_COLOUR} />
                  {o.label}
                </li>
              ))}
              <li>
                <Swatch colour={NO_STAGE_COLOUR} />
                {t("public.map.noStage")}
              </li>
              <li>
                <span className="map-cluster map-cluster--s map-cluster--legend" aria-hidden="true">
                  3
                </span>
                {t("public.map.legendCluster")}
              </li>
            </ul>
          </div>
          <MapView
            styleUrl={map.styleUrl}
            externalStyle={map.externalStyle}
            bounds={map.bounds}
            maxZoom={map.maxZoom}
            query=""
            colourBy="stage"
            kinds={kinds}
            stages={stages}
            listHref="#territory-list"
            geojsonUrl="/initiatives/territoire/donnees.geojson"
            labelledBy="territory-map-title"
            describedBy="territory-map-help"
          />
        </section>
      ) : null}
      <section aria-labelledby="territory-list-title" id="territory-list" tabIndex={-1}>
        <h2 id="territory-list-title">{t("opendata.territory.listTitle")}</h2>
        <p role="status">{t("opendata.territory.count", { count: total })}</p>
        {items.length === 0 ? null : (
          <ul className="card-list">
            {items.map((i) => (
              <li key={i.url} className="card">
                <h3>{i.name}</h3>
                <p>
                  <strong>{i.kindLabel}</strong>
                  {i.stageLabel ? ` · ${i.stageLabel}` : null}
                  {i.demo ? ` · ${t("opendata.territory.demo")}` : null}
                </p>
                <p>{t("opendata.territory.town", { town: i.town })}</p>
                {i.address ? <p>{[i.address, i.neighbourhood].filter(Boolean).join(" · ")}</p> : null}
                <p>
                  <a href={i.url}>{t("opendata.territory.open", { name: i.name, town: i.town })}</a>
                </p>
              </li>
            ))}
          </ul>
        )}
        {pages > 1 ? (
          <nav className="pagination" aria-label={t("opendata.territory.pagination")}>
            <ul>
              {page > 1 ? (
                <li>
                  <a href={`?page=${page - 1}`} rel="prev">
                    {t("opendata.territory.previous")}
                  </a>
                </li>
              ) : null}
              <li aria-current="page">{t("opendata.territory.pageOf", { page, pages })}</li>
              {page < pages ? (
                <li>
                  <a href={`?page=${page + 1}`} rel="next">
                    {t("opendata.territory.next")}
                  </a>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
      </section>
    </>
  );
}
