import { json, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { auditChanges, auditFilterChoices, auditFilterQuery, listAuditEntries, parseAuditFilters, prettyJson, type AuditRow } from "~/core/audit-log.server";
import { tenantLoader } from "~/core/route.server";
import { ErrorSummary, Field } from "~/core/ui/form";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";
import { OutboxPagination } from "~/core/ui/OutboxViews";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** A label from a flat map of the namespace (its keys hold dots: `module.enable`), or null. */
function labelIn(t: TFunction, map: "actions" | "subjects", key: string): string | null {
  const labels = t(`console-audit:${map}`, { returnObjects: true }) as unknown;
  const found = labels !== null && typeof labels === "object" ? (labels as Record<string, unknown>)[key] : undefined;
  return typeof found === "string" ? found : null;
}

// Long values (a legal text, a list of rules) are cut in the summary line; <details> has them whole.
const SHORT = 80;
const short = (json: string | null) => (json === null ? null : json.length > SHORT ? `${json.slice(0, SHORT - 1)}…` : json);

function present(entry: AuditRow, t: TFunction) {
  return {
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    actorKind: entry.actorKind,
    actorLabel: entry.actorLabel,
    action: entry.action,
    actionLabel: labelIn(t, "actions", entry.action),
    subjectType: entry.subjectType,
    subjectLabel: labelIn(t, "subjects", entry.subjectType),
    subjectId: entry.subjectId,
    changes: auditChanges(entry.before, entry.after).map((c) => ({ key: c.key, before: short(c.before), after: short(c.after) })),
    before: prettyJson(entry.before),
    after: prettyJson(entry.after),
  };
}

/** The town's audit log, newest first, filtered, 50 entries a page. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t }) => {
    const parsed = parseAuditFilters(new URL(request.url).searchParams);
    const choices = await auditFilterChoices(tx);
    const base = {
      town: tenant.name,
      title: t("console-audit:title"),
      timeZone: tenant.timeZone,
      retentionDays: tenant.console.auditRetentionDays,
      actions: choices.actions.map((a) => ({
        value: a.value,
        label: a.group ? t("console-audit:filters.actionGroup", { prefix: a.value }) : [a.value, labelIn(t, "actions", a.value)].filter(Boolean).join(" — "),
      })),
      subjectTypes: choices.subjectTypes.map((s) => ({ value: s, label: labelIn(t, "subjects", s) })),
      input: parsed.input,
    };
    if (!parsed.ok) return json({ ...base, errors: parsed.errors, entries: [] as ReturnType<typeof present>[], page: 1, hasMore: false, query: "" }, { status: 400 });
    const { entries, hasMore } = await listAuditEntries(tx, parsed.filters, tenant.timeZone, parsed.page);
    return json({
      ...base,
      input: { ...parsed.input, from: parsed.filters.from ?? "", to: parsed.filters.to ?? "" },
      errors: null,
      entries: entries.map((e) => present(e, t)),
      page: parsed.page,
      hasMore,
      query: auditFilterQuery(parsed.filters),
    });
  },
  { console: true },
);

type Entry = SerializeFrom<typeof loader>["entries"][number];

function Changes({ entry }: { entry: Entry }) {
  const { t } = useTranslation("console-audit");
  const value = (v: string | null) => (v === null ? <em>{t("table.none")}</em> : <code>{v}</code>);
  return (
    <>
      {entry.changes.length === 0 ? (
        <p>{t("table.noChange")}</p>
      ) : (
        <dl className="audit-changes">
          {entry.changes.map((c) => (
            <div key={c.key ?? "(whole)"}>
              <dt>{c.key ?? t("table.whole")}</dt>
              <dd>
                <span className="visually-hidden">{t("table.before")} </span>
                {value(c.before)} <span aria-hidden="true">→</span>
                <span className="visually-hidden"> {t("table.after")}</span> {value(c.after)}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {entry.before !== null || entry.after !== null ? (
        <details className="audit-details">
          <summary>{t("table.details")}</summary>
          <p className="audit-details__title">{t("table.beforeFull")}</p>
          {entry.before !== null ? <pre className="audit-json">{entry.before}</pre> : <p>{t("table.none")}</p>}
          <p className="audit-details__title">{t("table.afterFull")}</p>
          {entry.after !== null ? <pre className="audit-json">{entry.after}</pre> : <p>{t("table.none")}</p>}
        </details>
      ) : null}
    </>
  );
}

export default function JournalPage() {
  const { town, timeZone, retentionDays, actions, subjectTypes, input, errors, entries, page, hasMore, query } = useLoaderData<typeof loader>();
  const { t } = useTranslation("console-audit");
  const pageHref = (n: number) => `?${[query, n > 1 ? `page=${n}` : ""].filter(Boolean).join("&")}`;
  return (
    <>
      <p>
        <Link to="/admin">{t("back")}</Link>
      </p>
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro", { town })}</p>
      <p>{t("retention", { count: retentionDays })}</p>
      <section aria-labelledby="audit-filters" className="audit-filters">
        <h2 id="audit-filters">{t("filters.title")}</h2>
        <ErrorSummary errors={errors} />
        <Form method="get" noValidate className="audit-filters__form">
          <Field
            as="select"
            name="action"
            label={t("filters.action")}
            error={errors?.action}
            defaultValue={input.action}
            options={[
              { value: "", label: t("filters.anyAction") },
              ...actions,
            ]}
          />
          <Field name="auteur" label={t("filters.actor")} hint={t("filters.actorHint")} error={errors?.auteur} defaultValue={input.actor} />
          <Field
            as="select"
            name="objet"
            label={t("filters.subjectType")}
            error={errors?.objet}
            defaultValue={input.subjectType}
            options={[{ value: "", label: t("filters.anySubject") }, ...subjectTypes.map((s) => ({ value: s.value, label: s.label ? `${s.label} (${s.value})` : s.value }))]}
          />
          <Field name="du" type="date" label={t("filters.from")} hint={t("filters.dateHint", { timeZone })} error={errors?.du} defaultValue={input.from} />
          <Field name="au" type="date" label={t("filters.to")} hint={t("filters.dateHint", { timeZone })} error={errors?.au} defaultValue={input.to} />
          <div className="audit-filters__actions">
            <button type="submit" className="button">
              {t("filters.submit")}
            </button>
            <Link to="/admin/journal">{t("filters.reset")}</Link>
          </div>
        </Form>
      </section>
      {errors ? null : (
        <p>
          {/* A file download: the browser follows it, not the client-side router. */}
          <a href={`/admin/journal.csv${query ? `?${query}` : ""}`} download>
            {t("export")}
          </a>
        </p>
      )}
      {entries.length === 0 ? (
        errors ? null : <p>{t("empty")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="audit-caption">
          <table className="audit-table">
            <caption id="audit-caption">{t("table.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("table.date")}</th>
                <th scope="col">{t("table.actor")}</th>
                <th scope="col">{t("table.action")}</th>
                <th scope="col">{t("table.subject")}</th>
                <th scope="col">{t("table.changes")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt, timeZone)}</time>
                  </td>
                  <td>
                    {e.actorLabel}
                    <br />
                    <span className="audit-muted">{t(`actorKinds.${e.actorKind}`)}</span>
                  </td>
                  <td>
                    {e.actionLabel ? (
                      <>
                        {e.actionLabel}
                        <br />
                      </>
                    ) : null}
                    <code className="audit-action">{e.action}</code>
                  </td>
                  <td>
                    {e.subjectLabel ?? <code>{e.subjectType}</code>}
                    {e.subjectId ? (
                      <>
                        {" "}
                        <code>{e.subjectId}</code>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <Changes entry={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <OutboxPagination
        page={page}
        hasMore={hasMore}
        pageHref={pageHref}
        labels={{ nav: t("pagination.nav"), newer: t("pagination.newer"), older: t("pagination.older"), current: t("pagination.page", { page }) }}
      />
    </>
  );
}
