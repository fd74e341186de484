// The freshness report. How many published listings are fresh, to be checked, hidden;
// which ones wait for an answer to their reminder; the oldest confirmations. Its reader may
// send a reminder at once, or confirm a listing themselves (after a phone call, say). For
// those whose rules allow "remind" (staff, by default), over the listings those rules reach.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantOrigin } from "~/core/http/urls.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Notice } from "~/core/ui/form";
import { formatDate } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";
import { ManagementLinks } from "../../components/ManagementLinks";
import { allowedListings, HISTORY_ACTIONS, managementTools, mayAny, requireVisible } from "../../data/access.server";
import { confirmListing, freshnessReport, sendReminderNow } from "../../data/freshness.server";
import { readInitiative } from "../../data/revisions.server";
import { directorySettings } from "../../public.server";

const REMINDERS = { module: "directory", can: { action: "remind", subject: "Initiative" } };
const PATH = "/initiatives/gestion/fraicheur";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tx, tenant, t, ability }) => {
  const rules = await ability();
  const report = await freshnessReport(tx, (alias) => allowedListings(rules, "remind", alias));
  const settings = directorySettings(tenant);
  const params = new URL(request.url).searchParams;
  const date = (d: Date | null) => (d ? formatDate(d, tenant.timeZone) : null);
  const rows = (list: typeof report.hidden) =>
    list.map((r) => ({
      id: r.id,
      name: r.name,
      confirmedAt: date(r.confirmed_at)!,
      reminderSentAt: date(r.reminder_sent_at),
      organisation: r.organisation_name,
      hasAddress: r.has_address,
      history: mayAny(rules, HISTORY_ACTIONS, { ...r, status: "published" }),
    }));
  const sent = params.get("rappel");
  return json({
    title: t("directory:moderation.freshness.title"),
    town: tenant.name,
    settings: { months: settings.freshnessMonths, toCheck: settings.toCheckAfterDays, hide: settings.hideAfterDays },
    counts: report.counts,
    hidden: rows(report.hidden),
    toCheck: rows(report.toCheck),
    awaiting: rows(report.awaiting),
    oldest: report.oldest.map((o) => ({ id: o.id, name: o.name, confirmedAt: date(o.confirmed_at)! })),
    tools: managementTools(rules),
    reminded: sent !== null && /^\d+$/.test(sent) ? Number(sent) : null,
    confirmed: params.get("confirmee") === "1",
  });
}, REMINDERS);

export const action = /* @__PURE__ */ tenantAction(async ({ request, form, tx, tenant, user, afterCommit, ability, authorize }) => {
  const intent = form.get("intent");
  if (intent !== "remind" && intent !== "confirm") return json({ errors: { _form: "directory:moderation.errors.unknownAction" } }, { status: 400 });
  const listing = await readInitiative(tx, String(form.get("listing") ?? ""));
  if (!listing) notFound();
  requireVisible(await ability(), listing);
  await authorize("remind", "Initiative", listing);
  const staff = { userId: user!.id, label: user!.displayName };
  if (intent === "remind") {
    const emails = await sendReminderNow(
      tx,
      listing.id,
      { tenant, now: new Date(), origin: tenantOrigin(request, tenant), mail: { tx, tenant, afterCommit } },
      staff,
    );
    if (emails === null) notFound();
    return redirect(`${PATH}?rappel=${emails}`);
  }
  if (!(await confirmListing(tx, listing.id, staff))) notFound();
  return redirect(`${PATH}?confirmee=1`);
}, REMINDERS);

type Row = ReturnType<typeof useLoaderData<typeof loader>>["hidden"][number];

function Actions({ row }: { row: { id: string; name: string } }) {
  const { t } = useTranslation("directory");
  const hidden = <span className="visually-hidden"> {t("moderation.freshness.forListing", { name: row.name })}</span>;
  return (
    <Form method="post" className="directory-inline-form">
      <CsrfInput />
      <input type="hidden" name="listing" value={row.id} />
      <button type="submit" name="intent" value="remind" className="button button--secondary">
        {t("moderation.freshness.remind")}
        {hidden}
      </button>{" "}
      <button type="submit" name="intent" value="confirm" className="button button--secondary">
        {t("moderation.freshness.confirm")}
        {hidden}
      </button>
    </Form>
  );
}

function ReportTable({ id, caption, rows }: { id: string; caption: string; rows: Row[] }) {
  const { t } = useTranslation("directory");
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
      <table>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("moderation.fields.name")}</th>
            <th scope="col">{t("moderation.freshness.confirmedAt")}</th>
            <th scope="col">{t("moderation.freshness.reminderSentAt")}</th>
            <th scope="col">{t("moderation.freshness.recipient")}</th>
            <th scope="col">{t("moderation.freshness.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.history ? <Link to={`/initiatives/${r.id}/historique`}>{r.name}</Link> : r.name}</th>
              <td>{r.confirmedAt}</td>
              <td>{r.reminderSentAt ?? t("moderation.freshness.never")}</td>
              <td>{r.organisation ?? (r.hasAddress ? t("moderation.freshness.submitterOrContact") : t("moderation.freshness.noAddress"))}</td>
              <td>
                <Actions row={r} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function FreshnessReportPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  const sections: Array<{ id: string; rows: Row[]; title: string; empty: string; caption: string }> = [
    { id: "freshness-hidden", rows: data.hidden, title: t("moderation.freshness.hidden", { count: data.hidden.length }), empty: t("moderation.freshness.noneHidden"), caption: t("moderation.freshness.hiddenCaption") },
    { id: "freshness-to-check", rows: data.toCheck, title: t("moderation.freshness.toCheck", { count: data.toCheck.length }), empty: t("moderation.freshness.noneToCheck"), caption: t("moderation.freshness.toCheckCaption") },
    { id: "freshness-awaiting", rows: data.awaiting, title: t("moderation.freshness.awaiting", { count: data.awaiting.length }), empty: t("moderation.freshness.noneAwaiting"), caption: t("moderation.freshness.awaitingCaption") },
  ];
  return (
    <>
      <h1>{data.title}</h1>
      {data.reminded !== null && !result ? (
        <Notice>{data.reminded > 0 ? t("moderation.freshness.reminded", { count: data.reminded }) : t("moderation.freshness.remindedNobody")}</Notice>
      ) : null}
      {data.confirmed && !result ? <Notice>{t("moderation.freshness.confirmedNotice")}</Notice> : null}
      <ErrorSummary errors={result?.errors} />
      <ManagementLinks tools={data.tools} current="freshness" />
      <p className="lead">{t("moderation.freshness.intro", { months: data.settings.months, toCheck: data.settings.toCheck, hide: data.settings.hide })}</p>
      <dl className="directory-facts">
        <dt>{t("moderation.freshness.fresh")}</dt>
        <dd>{data.counts.fresh}</dd>
        <dt>{t("moderation.freshness.toCheckCount")}</dt>
        <dd>{data.counts.to_check}</dd>
        <dt>{t("moderation.freshness.hiddenCount")}</dt>
        <dd>{data.counts.hidden}</dd>
      </dl>
      {sections.map((s) => (
        <section key={s.id} aria-labelledby={s.id}>
          <h2 id={s.id}>{s.title}</h2>
          {s.rows.length ? <ReportTable id={`${s.id}-table`} caption={s.caption} rows={s.rows} /> : <p>{s.empty}</p>}
        </section>
      ))}
      <section aria-labelledby="freshness-oldest">
        <h2 id="freshness-oldest">{t("moderation.freshness.oldest")}</h2>
        {data.oldest.length ? (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="freshness-oldest-caption">
            <table>
              <caption id="freshness-oldest-caption">{t("moderation.freshness.oldestCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("moderation.fields.name")}</th>
                  <th scope="col">{t("moderation.freshness.confirmedAt")}</th>
                  <th scope="col">{t("moderation.freshness.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {data.oldest.map((o) => (
                  <tr key={o.id}>
                    <th scope="row">
                      <Link to={`/initiatives/${o.id}`}>{o.name}</Link>
                    </th>
                    <td>{o.confirmedAt}</td>
                    <td>
                      <Actions row={o} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{t("moderation.freshness.nonePublished")}</p>
        )}
      </section>
    </>
  );
}
