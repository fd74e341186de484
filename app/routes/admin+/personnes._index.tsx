import { json, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PEOPLE_SORTS, PEOPLE_STATUSES, type PeopleQuery } from "~/core/people";
import { listPeople, peopleQueryFrom, roleOptions } from "~/core/people.server";
import { tenantLoader } from "~/core/route.server";
import { Breadcrumb, Pager } from "~/core/ui/ConsolePeople";
import { Field } from "~/core/ui/form";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** The town's accounts: searched, filtered, sorted, 25 a page. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t, locale }) => {
    const query = peopleQueryFrom(new URL(request.url).searchParams);
    const roles = await roleOptions(tx, t, locale);
    const { people, total, page, pageCount } = await listPeople(tx, query);
    return json({
      town: tenant.name,
      title: t("console-people:list.title"),
      timeZone: tenant.timeZone,
      query: { ...query, page },
      total,
      pageCount,
      roles: roles.options,
      people: people.map((p) => ({
        ...p,
        roles: p.roles.map((r) => ({ label: roles.label(r.role), organisationName: r.organisationName })),
      })),
    });
  },
  { console: true, sensitive: true },
);

/** The list's URL with `changes` applied to its current parameters (defaults left out). */
function listHref(query: PeopleQuery, changes: Partial<PeopleQuery>) {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.role) params.set("role", next.role);
  if (next.statut) params.set("statut", next.statut);
  if (next.tri !== "nom") params.set("tri", next.tri);
  if (next.page > 1) params.set("page", String(next.page));
  const search = params.toString();
  return `/admin/personnes${search ? `?${search}` : ""}`;
}

export default function People() {
  const { query, total, pageCount, roles, people, timeZone } = useLoaderData<typeof loader>();
  const { t } = useTranslation("console-people");
  const filtered = Boolean(query.q || query.role || query.statut);
  return (
    <>
      <Breadcrumb trail={[]} current={t("list.title")} />
      <h1>{t("list.title")}</h1>
      <p className="lead">{t("list.intro")}</p>
      <ul className="people-links">
        <li>
          <Link to="/admin/personnes/inviter" className="button">
            {t("list.invite")}
          </Link>
        </li>
        <li>
          <Link to="/admin/personnes/invitations">{t("list.invitations")}</Link>
        </li>
        <li>
          <Link to="/admin/organisations">{t("list.organisations")}</Link>
        </li>
      </ul>

      <Form method="get" className="people-filters" role="search" aria-labelledby="people-search-title">
        <h2 id="people-search-title" className="people-filters__title">
          {t("list.searchTitle")}
        </h2>
        <div className="people-filters__grid">
          <Field name="q" type="search" label={t("list.q")} hint={t("list.qHint")} defaultValue={query.q} />
          <Field
            as="select"
            name="role"
            label={t("list.role")}
            defaultValue={query.role}
            options={[{ value: "", label: t("list.anyRole") }, ...roles.map((r) => ({ value: r.value, label: r.label }))]}
          />
          <Field
            as="select"
            name="statut"
            label={t("list.status")}
            defaultValue={query.statut}
            options={[{ value: "", label: t("list.anyStatus") }, ...PEOPLE_STATUSES.map((s) => ({ value: s, label: t(`list.statuses.${s}`) }))]}
          />
          <Field as="select" name="tri" label={t("list.sort")} defaultValue={query.tri} options={PEOPLE_SORTS.map((s) => ({ value: s, label: t(`list.sorts.${s}`) }))} />
        </div>
        <p className="people-filters__actions">
          <button type="submit" className="button">
            {t("list.search")}
          </button>
          {filtered ? <Link to="/admin/personnes">{t("list.reset")}</Link> : null}
        </p>
      </Form>

      <h2 id="people-results">{t("list.results", { count: total })}</h2>
      {people.length === 0 ? (
        <p>{filtered ? t("list.noMatch") : t("list.empty")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="people-caption">
          <table className="people-table">
            <caption id="people-caption">{t("list.caption", { page: query.page, total: pageCount })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("list.columns.name")}</th>
                <th scope="col">{t("list.columns.email")}</th>
                <th scope="col">{t("list.columns.roles")}</th>
                <th scope="col">{t("list.columns.status")}</th>
                <th scope="col">{t("list.columns.lastSeen")}</th>
                <th scope="col">{t("list.columns.created")}</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/admin/personnes/${p.id}`}>{p.displayName}</Link>
                    {p.isDemo ? (
                      <>
                        {" "}
                        <span className="people-tag">{t("demo")}</span>
                      </>
                    ) : null}
                  </th>
                  <td className="people-email">{p.email}</td>
                  <td>
                    {p.roles.length === 0 ? (
                      t("noRole")
                    ) : (
                      <ul className="plain-list">
                        {p.roles.map((r, i) => (
                          <li key={i}>{r.organisationName ? t("roleInOrganisation", { role: r.label, organisation: r.organisationName }) : r.label}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <ul className="plain-list">
                      <li>{p.deactivatedAt ? t("status.deactivated") : t("status.active")}</li>
                      {p.emailVerifiedAt ? null : <li>{t("status.unverified")}</li>}
                    </ul>
                  </td>
                  <td>{p.lastSeenAt ? formatDateTime(p.lastSeenAt, timeZone) : t("never")}</td>
                  <td>{formatDateTime(p.createdAt, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={query.page} pageCount={pageCount} href={(page) => listHref(query, { page })} label={t("list.pagination")} />
    </>
  );
}
