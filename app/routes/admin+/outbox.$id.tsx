import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOutboxEmail } from "~/core/email/outbox.server";
import { notFound, tenantLoader } from "~/core/route.server";
import { titledMeta } from "~/core/ui/meta";
import { OutboxEmailMeta } from "~/core/ui/OutboxViews";

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
  { console: true },
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
      <OutboxEmailMeta
        email={email}
        timeZone={timeZone}
        statusLabel={(status) => t(`outbox.statuses.${status}`)}
        labels={{ to: t("outbox.to"), date: t("outbox.date"), status: t("outbox.status"), sentAt: t("outbox.sentAt"), error: t("outbox.error") }}
      />
      <h2>{t("outbox.body")}</h2>
      <TextBody text={email.text_body} />
    </>
  );
}
