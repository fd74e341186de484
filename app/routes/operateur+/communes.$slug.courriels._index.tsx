import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listOutbox } from "~/core/email/outbox.server";
import { operatorMeta } from "~/core/operator/meta";
import { operatorLoader } from "~/core/operator/route.server";
import { findTenantBySlug } from "~/core/operator/tenants.server";
import { notFound } from "~/core/route.server";
import { OutboxPagination, OutboxTable } from "~/core/ui/OutboxViews";

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
        <OutboxTable
          className="operator-table"
          emails={emails}
          timeZone={tenant.timeZone}
          emailHref={(id) => `${base}/${id}`}
          statusLabel={(status) => t(`outbox.status.${status}`)}
          labels={{
            caption: t("outbox.caption", { name: tenant.name }),
            date: t("outbox.columns.date"),
            to: t("outbox.columns.to"),
            subject: t("outbox.columns.subject"),
            status: t("outbox.columns.status"),
          }}
        />
      )}
      <OutboxPagination
        page={page}
        hasMore={hasMore}
        pageHref={(n) => (n === 1 ? base : `${base}?page=${n}`)}
        labels={{ nav: t("outbox.pagination"), newer: t("outbox.newer"), older: t("outbox.older"), current: t("outbox.page", { page }) }}
      />
    </>
  );
}
