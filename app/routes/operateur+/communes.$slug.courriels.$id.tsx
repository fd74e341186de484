import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOutboxEmail } from "~/core/email/outbox.server";
import { operatorMeta } from "~/core/operator/meta";
import { operatorLoader } from "~/core/operator/route.server";
import { findTenantBySlug } from "~/core/operator/tenants.server";
import { notFound } from "~/core/route.server";
import { OutboxEmailMeta } from "~/core/ui/OutboxViews";

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
      <OutboxEmailMeta
        email={email}
        timeZone={tenant.timeZone}
        statusLabel={(status) => t(`outbox.status.${status}`)}
        labels={{ to: t("email.to"), date: t("email.createdAt"), status: t("email.status"), sentAt: t("email.sentAt"), error: t("email.error") }}
      />
      <h2>{t("email.body")}</h2>
      <pre className="email-text">{email.text_body}</pre>
    </>
  );
}
