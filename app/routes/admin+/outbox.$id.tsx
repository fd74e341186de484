import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOutboxEmail } from "~/core/email/outbox.server";
import { notFound, tenantLoader } from "~/core/route.server";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.email.subject, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ params, tx, tenant }) => {
    // Another town's email is invisible here (RLS): it answers 404 like a missing one.
    const email = await getOutboxEmail(tx, params.id ?? "");
    if (!email) notFound();
    return json({
      town: tenant.name,
      timeZone: tenant.timeZone,
      email: { ...email, created_at: email.created_at.toISOString(), sent_at: email.sent_at?.toISOString() ?? null },
    });
  },
  { roles: ["staff"] },
);

/** The text part, with its web addresses made clickable: in a demo, that is how links are followed. */
function TextBody({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <pre className="email-text">
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

export default function OutboxEmail() {
  const { email, timeZone } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <>
      <p>
        <Link to="/admin/outbox">{t("outbox.back")}</Link>
      </p>
      <h1>{email.subject}</h1>
      <dl className="email-meta">
        <dt>{t("outbox.to")}</dt>
        <dd>{email.to_address}</dd>
        <dt>{t("outbox.date")}</dt>
        <dd>{formatDateTime(email.created_at, timeZone)}</dd>
        <dt>{t("outbox.status")}</dt>
        <dd>{t(`outbox.statuses.${email.status}`)}</dd>
        {email.sent_at ? (
          <>
            <dt>{t("outbox.sentAt")}</dt>
            <dd>{formatDateTime(email.sent_at, timeZone)}</dd>
          </>
        ) : null}
        {email.error ? (
          <>
            <dt>{t("outbox.error")}</dt>
            <dd>{email.error}</dd>
          </>
        ) : null}
      </dl>
      <h2>{t("outbox.body")}</h2>
      <TextBody text={email.text_body} />
    </>
  );
}
