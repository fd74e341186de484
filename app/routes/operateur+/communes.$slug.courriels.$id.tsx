import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOutboxEmail } from "~/core/email/outbox.server";
import { operatorMeta } from "~/core/operator/meta";
import { operatorLoader } from "~/core/operator/route.server";
import { findTenantBySlug } from "~/core/operator/tenants.server";
import { notFound } from "~/core/route.server";
import { formatDateTime } from "~/core/ui/format";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => operatorMeta(matches, data?.title);

export const loader = /* @__PURE__ */ operatorLoader(async ({ tx, params, operator, withTenant, context }) => {
  const tenant = await findTenantBySlug(tx, params.slug ?? "");
  if (!tenant) notFound();
  // Read in the town's own transaction: an id from another town is simply not found.
  const email = await withTenant(tenant.id, (ttx) => getOutboxEmail(ttx, params.id ?? ""));
  if (!email) notFound();
  context.log.info("operator read email", { operatorId: operator?.id, tenant: tenant.slug, emailId: email.id });
  return json({
    title: email.subject,
    tenant: { slug: tenant.slug, name: tenant.name, timeZone: tenant.timeZone },
    email: { ...email, created_at: email.created_at.toISOString(), sent_at: email.sent_at?.toISOString() ?? null },
  });
});

export default function OperatorOutboxEmail() {
  const { tenant, email } = useLoaderData<typeof loader>();
  const { t } = useTranslation("operator");
  return (
    <>
      <p>
        <Link to={`/operateur/communes/${tenant.slug}/courriels`}>{t("email.backToOutbox", { name: tenant.name })}</Link>
      </p>
      <h1>{email.subject}</h1>
      <dl className="email-meta">
        <dt>{t("email.to")}</dt>
        <dd>{email.to_address}</dd>
        <dt>{t("email.createdAt")}</dt>
        <dd>{formatDateTime(email.created_at, tenant.timeZone)}</dd>
        {email.sent_at ? (
          <>
            <dt>{t("email.sentAt")}</dt>
            <dd>{formatDateTime(email.sent_at, tenant.timeZone)}</dd>
          </>
        ) : null}
        <dt>{t("email.status")}</dt>
        <dd>{t(`outbox.status.${email.status}`)}</dd>
        {email.error ? (
          <>
            <dt>{t("email.error")}</dt>
            <dd>{email.error}</dd>
          </>
        ) : null}
      </dl>
      <h2>{t("email.body")}</h2>
      <pre className="email-text">{email.text_body}</pre>
    </>
  );
}
