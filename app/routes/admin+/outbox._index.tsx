import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listOutbox } from "~/core/email/outbox.server";
import { tenantLoader } from "~/core/route.server";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** The town's outgoing mail, for staff: the only mailbox of an offline demo. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t }) => {
    const requested = Number(new URL(request.url).searchParams.get("page") ?? "1");
    const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
    const { emails, hasMore } = await listOutbox(tx, page);
    return json({
      town: tenant.name,
      title: t("admin:outbox.title"),
      timeZone: tenant.timeZone,
      page,
      hasMore,
      emails: emails.map((e) => ({ ...e, created_at: e.created_at.toISOString() })),
    });
  },
  { roles: ["staff"] },
);

export default function Outbox() {
  const { town, timeZone, page, hasMore, emails } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <>
      <h1>{t("outbox.title")}</h1>
      <p className="lead">{t("outbox.intro", { town })}</p>
      <p>{t("outbox.keptExplained")}</p>
      {emails.length === 0 ? (
        <p>{t("outbox.empty")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="outbox-caption">
          <table>
            <caption id="outbox-caption" className="visually-hidden">
              {t("outbox.title")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("outbox.date")}</th>
                <th scope="col">{t("outbox.to")}</th>
                <th scope="col">{t("outbox.subject")}</th>
                <th scope="col">{t("outbox.status")}</th>
              </tr>
            </thead>
            <tbody>
              {emails.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.created_at, timeZone)}</td>
                  <td>{e.to_address}</td>
                  <td>
                    <Link to={`/admin/outbox/${e.id}`}>{e.subject}</Link>
                  </td>
                  <td>{t(`outbox.statuses.${e.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page > 1 || hasMore ? (
        <nav aria-label={t("outbox.pagination")} className="pagination">
          <ul>
            {page > 1 ? (
              <li>
                <Link to={`?page=${page - 1}`}>{t("outbox.newer")}</Link>
              </li>
            ) : null}
            <li aria-current="page">{t("outbox.page", { page })}</li>
            {hasMore ? (
              <li>
                <Link to={`?page=${page + 1}`}>{t("outbox.older")}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
