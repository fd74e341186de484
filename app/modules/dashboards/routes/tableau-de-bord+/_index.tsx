// The indicator dashboard: the indicators of every module the town enabled, grouped by
// theme, for a chosen period compared with the previous one. One table per theme is the
// whole presentation (no chart to describe). The period is a GET form: the page works
// without JavaScript and its address can be shared.
import { json, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";
import { ErrorSummary, Field } from "~/core/ui/form";
import { formatDate } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";
import { loadDashboard } from "../../dashboard.server";
import { THEMES, type IndicatorTheme } from "../../figures";
import { formatFigures, formatPopulation, type FormattedFigures } from "../../format";
import { periodOptions, periodSearch, PARAM } from "../../query";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t, ability }) => {
    const { settings, query, period, population, rows } = await loadDashboard(tx, tenant, request, t);
    const day = (instant: Date) => formatDate(instant, tenant.timeZone);
    // `to` is the start of the day after the period: its last instant is the day before.
    const lastDay = (to: Date) => day(new Date(to.getTime() - 1));
    const canExport = (await ability()).can("export", "Dashboard");
    return json(
      {
        title: t("dashboards:page.title"),
        town: tenant.name,
        values: query.values,
        errors: query.errors,
        minimumGroupSize: settings.minimumGroupSize,
        population: population === null ? null : formatPopulation(population),
        result: period && {
          from: day(period.from),
          to: lastDay(period.to),
          previousFrom: day(period.previous.from),
          previousTo: lastDay(period.previous.to),
          exportHref: canExport && query.choice ? `/tableau-de-bord/export.csv?${periodSearch(query.choice)}` : null,
          count: rows.length,
          themes: THEMES.map((theme) => ({
            theme,
            rows: rows
              .filter((r) => r.theme === theme)
              .map((r) => ({ key: `${r.module}.${r.id}`, label: r.label, source: r.source, ...formatFigures(r.unit, r.figures, t, settings.minimumGroupSize) })),
          })),
        },
      },
      { status: period ? 200 : 400 },
    );
  },
  { module: "dashboards", can: { action: "read", subject: "Dashboard" } },
);

type Row = { key: string; label: string; source: string } & FormattedFigures;

function ThemeTable({ theme, rows, from, to, perThousand }: { theme: IndicatorTheme; rows: Row[]; from: string; to: string; perThousand: boolean }) {
  const { t } = useTranslation("dashboards");
  const id = `dashboards-${theme}`;
  return (
    <section aria-labelledby={`${id}-title`} className="dashboards-theme">
      <h2 id={`${id}-title`}>{t(`themes.${theme}`)}</h2>
      {rows.length === 0 ? (
        <p>{t("page.themeEmpty")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
          <table className="dashboards-table">
            <caption id={`${id}-caption`}>{t(`captions.${theme}`, { from, to })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("table.indicator")}</th>
                <th scope="col">{t("table.source")}</th>
                <th scope="col" className="dashboards-number">{t("table.current")}</th>
                <th scope="col" className="dashboards-number">{t("table.previous")}</th>
                <th scope="col" className="dashboards-number">{t("table.difference")}</th>
                <th scope="col" className="dashboards-number">{t("table.percent")}</th>
                {perThousand ? <th scope="col" className="dashboards-number">{t("table.perThousand")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.label}</th>
                  <td>{r.source}</td>
                  <td className="dashboards-number">{r.current}</td>
                  <td className="dashboards-number">{r.previous}</td>
                  <td className="dashboards-number">{r.difference}</td>
                  <td className="dashboards-number">
                    {r.percent ?? (
                      <>
                        <span aria-hidden="true">—</span>
                        <span className="visually-hidden">{t("table.noPercent")}</span>
                      </>
                    )}
                  </td>
                  {perThousand ? <td className="dashboards-number">{r.perThousand}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default function DashboardPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("dashboards");
  const { result, values, errors } = data;
  const anyWithoutPercent = result?.themes.some((theme) => theme.rows.some((r) => r.percent === null)) ?? false;
  return (
    <>
      <h1>{data.title}</h1>
      <p className="lead">{t("page.intro")}</p>

      <Form method="get" noValidate className="dashboards-period" aria-labelledby="dashboards-period-legend">
        <h2 id="dashboards-period-legend" className="dashboards-period__title">
          {t("form.legend")}
        </h2>
        <ErrorSummary errors={errors} />
        <div className="dashboards-period__fields">
          <Field
            as="select"
            name={PARAM.period}
            label={t("form.period")}
            defaultValue={values[PARAM.period]}
            error={errors[PARAM.period]}
            options={periodOptions.map((o) => ({ value: o.slug, label: t(`periods.${o.kind}`) }))}
          />
          <Field name={PARAM.from} type="date" label={t("form.from")} hint={t("form.datesHint")} defaultValue={values[PARAM.from]} error={errors[PARAM.from]} />
          <Field name={PARAM.to} type="date" label={t("form.to")} defaultValue={values[PARAM.to]} error={errors[PARAM.to]} />
        </div>
        <p>
          <button type="submit" className="button">
            {t("form.submit")}
          </button>
        </p>
      </Form>

      {result ? (
        <>
          <p>{t("page.periodSummary", { from: result.from, to: result.to, previousFrom: result.previousFrom, previousTo: result.previousTo })}</p>
          {result.count === 0 ? (
            <p className="dashboards-empty">{t("page.empty")}</p>
          ) : (
            <>
              <p>{data.population === null ? t("page.populationUnknown") : t("page.populationKnown", { population: data.population })}</p>
              <p>{t("page.smallCounts", { max: data.minimumGroupSize - 1, size: data.minimumGroupSize })}</p>
              {result.themes.map((theme) => (
                <ThemeTable key={theme.theme} theme={theme.theme} rows={theme.rows} from={result.from} to={result.to} perThousand={data.population !== null} />
              ))}
              {anyWithoutPercent ? <p className="dashboards-legend">{t("page.noPercentLegend")}</p> : null}
              {result.exportHref ? (
                <p className="dashboards-export">
                  <a href={result.exportHref} className="button button--secondary" download>
                    {t("page.export")}
                  </a>
                  <span className="hint">{t("page.exportHint")}</span>
                </p>
              ) : null}
            </>
          )}
        </>
      ) : null}
    </>
  );
}
