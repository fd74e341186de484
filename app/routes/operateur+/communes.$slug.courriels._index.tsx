import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listOutbox } from "~/core/email/outbox.server";
import { operatorMeta } from "~/core/operator/meta";
import { operatorLoader } from "~/core/operator/route.server";
import { findTenantBySlug } from "~/core/operator/tenants.server";
import { notFound } from "~/core/route.server";
import { formatDateTime } from "~/core/ui/format";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => operatorMeta(matches, data?.title);

export const loader = /* @__PURE__ */ operatorLoader(async ({ tx, params, request, operator, withTenant, context, t }) => {
  const tenant = await findTenantBySlug(tx, params.slug ?? "");
  if (!tenant) notFound();
  const rawPage = new URL(request.url).searchParams.get("page") ?? "1";
  const page = /^[1-9]\d{0,5}$/.test(rawPage) ? Number(rawPage) : notFound();
  // The town's own transaction: row-level security shows this town's mail and no other's.
  const { emails, hasMore } = await withTenant(tenant.id, (ttx) => listOutbox(ttx, page));
  if (page > 1 && emails.length === 0) notFound();
  // Reading a town's mail is an access to residents' data: it leaves a trace.
  context.log.info("operator read outbox", { operatorId: operator?.id, tenant: tenant.slug, page });
  return json({
    title: page > 1 ? `${t("outbox.title", { name: tenant.name })} · ${t("outbox.page", { page })}` : t("outbox.title", { name: tenant.name }),
    tenant: { slug: tenant.slug, name: tenant.name, timeZone: tenant.timeZone },
    page,
    hasMore,
    emails: emails.map((e) => ({ ...e, created_at: e.created_at.toISOString() })),
  });
});

export default function OperatorTenantOutbox() {
  const { tenant, page, hasMore, emails } = useLoaderData<typeof loader>();
  const { t } = useTranslation("operator");
  const base = `/operateur/communes/${tenant.slug}/courriels`;
  return (
    <>
      <p>
        <Link to="/operateur">{t("outbox.backToTenants")}</Link>
      </p>
      <h1>{t("outbox.title", { name: tenant.name })}</h1>
      <p className="lead">{t("outbox.intro")}</p>
      {emails.length === 0 ? (
        <p>{t("outbox.empty")}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="outbox-caption" tabIndex={0}>
          <table className="operator-table">
            <caption id="outbox-caption" className="visually-hidden">
              {t("outbox.caption", { name: tenant.name })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("outbox.columns.date")}</th>
                <th scope="col">{t("outbox.columns.to")}</th>
                <th scope="col">{t("outbox.columns.subject")}</th>
                <th scope="col">{t("outbox.columns.status")}</th>
              </tr>
            </thead>
            <tbody>
              {emails.map((email) => (
                <tr key={email.id}>
                  <td>{formatDateTime(email.created_at, tenant.timeZone)}</td>
                  <td>{email.to_address}</td>
                  <td>
                    <Link to={`${base}/${email.id}`}>{email.subject}</Link>
                  </td>
                  <td>{t(`outbox.status.${email.status}`)}</td>
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
                <Link to={page === 2 ? base : `${base}?page=${page - 1}`}>{t("outbox.newer")}</Link>
              </li>
            ) : null}
            <li aria-current="page">{t("outbox.page", { page })}</li>
            {hasMore ? (
              <li>
                <Link to={`${base}?page=${page + 1}`}>{t("outbox.older")}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
