import { json, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listOutbox } from "~/core/email/outbox.server";
import { tenantLoader } from "~/core/route.server";
import { titledMeta } from "~/core/ui/meta";
import { OutboxPagination, OutboxTable } from "~/core/ui/OutboxViews";

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
  { console: true },
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
        <OutboxTable
          emails={emails}
          timeZone={timeZone}
          emailHref={(id) => `/admin/outbox/${id}`}
          statusLabel={(status) => t(`outbox.statuses.${status}`)}
          labels={{ caption: t("outbox.title"), date: t("outbox.date"), to: t("outbox.to"), subject: t("outbox.subject"), status: t("outbox.status") }}
        />
      )}
      <OutboxPagination
        page={page}
        hasMore={hasMore}
        pageHref={(n) => `?page=${n}`}
        labels={{ nav: t("outbox.pagination"), newer: t("outbox.newer"), older: t("outbox.older"), current: t("outbox.page", { page }) }}
      />
    </>
  );
}
