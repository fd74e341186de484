// Documentation of the directory's open data: licence, formats, every field, the API.
import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";
import { formatDate } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";
import { openDataSummary } from "../../data/opendata.server";
import { getVocabularies } from "../../data/vocabulary.server";
import { API_DEFAULT_PER_PAGE, API_MAX_PER_PAGE, CSV_LIST_SEPARATOR, LICENCES, OPEN_DATA_FIELDS } from "../../opendata";
import { directorySettings, originOf } from "../../opendata-http.server";
import { localisedVocabularies } from "../../vocabulary";
import { VocabularyValues } from "../../components/VocabularyValues";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, locale, t }) => {
    const settings = directorySettings(tenant);
    const [summary, vocabularies] = [await openDataSummary(tx), await getVocabularies(tx)];
    return json({
      title: t("directory:opendata.doc.title"),
      town: tenant.name,
      timeZone: tenant.timeZone,
      origin: originOf(request),
      count: summary.count,
      lastUpdated: summary.lastUpdated?.toISOString() ?? null,
      licenceId: settings.openDataLicence,
      licence: LICENCES[settings.openDataLicence],
      vocabularies: localisedVocabularies(vocabularies, locale),
      exampleBbox: tenant.definition.map.bounds.flat().join(","),
      territoryUrl: settings.memberTenants.length > 0 ? `${originOf(request)}/initiatives/territoire/donnees.geojson` : null,
    });
  },
  { module: "directory" },
);

export default function OpenDataDocumentation() {
  const { title, town, timeZone, origin, count, lastUpdated, licenceId, licence, vocabularies, exampleBbox, territoryUrl } = useLoaderData<typeof loader>();
  const { t } = useTranslation("directory");
  const api = `${origin}/initiatives/api`;
  return (
    <>
      <h1>{title}</h1>
      <p className="lead">
        {t("opendata.doc.intro", { count, town })}{" "}
        {lastUpdated ? t("opendata.doc.lastUpdated", { date: formatDate(lastUpdated, timeZone) }) : null}
      </p>

      <section aria-labelledby="od-licence">
        <h2 id="od-licence">{t("opendata.doc.licenceTitle")}</h2>
        <p>
          {t("opendata.doc.licenceIntro")}{" "}
          <a href={licence.url} rel="license">
            {licence.name}
          </a>{" "}
          (<code>{licence.spdx}</code>).
        </p>
        <p>{t(`opendata.doc.licenceTerms.${licenceId}`, { town })}</p>
      </section>

      <section aria-labelledby="od-downloads">
        <h2 id="od-downloads">{t("opendata.doc.downloadsTitle")}</h2>
        <ul>
          <li>
            <a href="/initiatives/export.geojson" download>
              {t("opendata.doc.geojsonLink")}
            </a>{" "}
            — {t("opendata.doc.geojsonFormat")}
          </li>
          <li>
            <a href="/initiatives/export.csv" download>
              {t("opendata.doc.csvLink")}
            </a>{" "}
            — {t("opendata.doc.csvFormat", { separator: CSV_LIST_SEPARATOR })}
          </li>
        </ul>
        <p>{t("opendata.doc.scope")}</p>
        <p>{t("opendata.doc.formulaGuard")}</p>
      </section>

      <section aria-labelledby="od-fields">
        <h2 id="od-fields">{t("opendata.doc.fieldsTitle")}</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="od-fields-caption">
          <table>
            <caption id="od-fields-caption">{t("opendata.doc.fieldsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("opendata.doc.fieldName")}</th>
                <th scope="col">{t("opendata.doc.fieldType")}</th>
                <th scope="col">{t("opendata.doc.fieldMeaning")}</th>
              </tr>
            </thead>
            <tbody>
              {OPEN_DATA_FIELDS.map((f) => (
                <tr key={f.name}>
                  <th scope="row">
                    <code>{f.name}</code>
                  </th>
                  <td>{t(`opendata.types.${f.type}`, { separator: CSV_LIST_SEPARATOR })}</td>
                  <td>{t(`opendata.fields.${f.name}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>{t("opendata.doc.valuesTitle")}</h3>
        <VocabularyValues vocabularies={vocabularies} titleKey={(name) => `opendata.doc.vocabulary.${name}`} />
        <h3>{t("opendata.doc.neverTitle")}</h3>
        <p>{t("opendata.doc.never")}</p>
      </section>

      <section aria-labelledby="od-api">
        <h2 id="od-api">{t("opendata.doc.apiTitle")}</h2>
        <p>
          {t("opendata.doc.apiIntro")} <code>{api}</code>
        </p>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="od-api-caption">
          <table>
            <caption id="od-api-caption">{t("opendata.doc.apiParamsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("opendata.doc.paramName")}</th>
                <th scope="col">{t("opendata.doc.paramMeaning")}</th>
              </tr>
            </thead>
            <tbody>
              {(["page", "per_page", "bbox", "kind", "layer", "stage"] as const).map((p) => (
                <tr key={p}>
                  <th scope="row">
                    <code>{p}</code>
                  </th>
                  <td>{t(`opendata.doc.params.${p}`, { defaultPerPage: API_DEFAULT_PER_PAGE, maxPerPage: API_MAX_PER_PAGE })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>{t("opendata.doc.apiResponse")}</p>
        <p>{t("opendata.doc.apiOrder")}</p>
        <p>{t("opendata.doc.apiErrors")}</p>
        <p>{t("opendata.doc.apiCors")}</p>
        <p>
          {t("opendata.doc.apiExample")} <code>{`${api}?bbox=${exampleBbox}&kind=${vocabularies.kind[0]?.key ?? ""}&per_page=20`}</code>
        </p>
        <p>{t("opendata.doc.geojsonBbox")}</p>
      </section>

      {territoryUrl ? (
        <section aria-labelledby="od-territory">
          <h2 id="od-territory">{t("opendata.doc.territoryTitle")}</h2>
          <p>{t("opendata.doc.territory", { url: territoryUrl })}</p>
        </section>
      ) : null}

      <p>
        <Link to="/initiatives">{t("opendata.doc.back")}</Link>
      </p>
    </>
  );
}
