// The moderation queue (listings confirmed by their submitter, listings sent back for
// changes) and the associations' claims on listings, approved or refused here. Each part is
// shown to those whose rules allow it (moderate, assign; staff by default), with the
// listings those rules reach.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantOrigin } from "~/core/http/urls.server";
import { forbidden, tenantAction, tenantLoader } from "~/core/route.server";
import { refusalMessage } from "~/core/permissions/choices.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Notice } from "~/core/ui/form";
import { formatDate } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";
import { ManagementLinks } from "../../components/ManagementLinks";
import { allowedListings, managementTools, may } from "../../data/access.server";
import { decideClaim, listPendingClaims } from "../../data/claims.server";
import { listModerationQueue } from "../../data/moderation.server";
import { getVocabularies } from "../../data/vocabulary.server";
import { queueDirectoryEmail } from "../../mail.server";
import { vocabularyLabel } from "../../vocabulary";

const PAGE = { module: "directory", signedIn: true };
const DONE = ["approuvee", "modifications", "refusee", "fusionnee", "revendication-approuvee", "revendication-refusee"] as const;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tx, tenant, locale, t, ability }) => {
  const rules = await ability();
  const moderate = rules.can("moderate", "Initiative");
  const assign = rules.can("assign", "Initiative");
  // The page holds the queue and the claims: for those who may act on either.
  if (!moderate && !assign) forbidden(refusalMessage(t, "moderate", "Initiative"));
  const vocabularies = await getVocabularies(tx);
  const queue = moderate ? await listModerationQueue(tx, allowedListings(rules, "moderate"), allowedListings(rules, "moderate", "other")) : [];
  const claims = assign ? await listPendingClaims(tx, allowedListings(rules, "assign", "i")) : [];
  const done = new URL(request.url).searchParams.get("fait");
  const row = (r: (typeof queue)[number]) => ({
    id: r.id,
    name: r.name,
    kind: vocabularyLabel(vocabularies.kind, r.kind, locale),
    address: r.address,
    submitter: r.submitter_name,
    since: formatDate(r.updated_at, tenant.timeZone),
    duplicates: r.duplicates,
    note: r.moderation_note,
  });
  return json({
    title: t("directory:moderation.queue.title"),
    town: tenant.name,
    done: DONE.find((d) => d === done) ?? null,
    moderate,
    assign,
    tools: managementTools(rules),
    pending: queue.filter((r) => r.status === "pending").map(row),
    changesRequested: queue.filter((r) => r.status === "changes_requested").map(row),
    claims: claims.map((c) => ({ ...c, created_at: formatDate(c.created_at, tenant.timeZone) })),
  });
}, PAGE);

export const action = /* @__PURE__ */ tenantAction(
  async ({ request, form, tx, tenant, user, afterCommit, ability }) => {
    const intent = form.get("intent");
    if (intent !== "claim-approve" && intent !== "claim-refuse") return json({ errors: { _form: "directory:moderation.errors.unknownAction" } }, { status: 400 });
    const rules = await ability();
    const staff = { userId: user!.id, label: user!.displayName };
    const decision = await decideClaim(tx, String(form.get("claim") ?? ""), intent === "claim-approve", staff, tenant.defaultLocale, (listing) => may(rules, "assign", listing));
    if (decision === "notFound") return json({ errors: { _form: "directory:moderation.errors.claimNotFound" } }, { status: 404 });
    if (decision === "alreadyDecided") return json({ errors: { _form: "directory:moderation.errors.alreadyHandled" } }, { status: 409 });
    const mail = { tx, tenant, afterCommit };
    if (decision.status === "approved") {
      await queueDirectoryEmail(mail, {
        to: decision.claimant.email,
        template: "claimApproved",
        locale: decision.claimant.locale,
        vars: {
          name: decision.claimant.name,
          initiative: decision.initiativeName,
          organisation: decision.organisationName ?? "",
          url: `${tenantOrigin(request, tenant)}/initiatives/${decision.initiativeId}/modifier`,
        },
      });
    } else {
      await queueDirectoryEmail(mail, {
        to: decision.claimant.email,
        template: "claimRefused",
        locale: decision.claimant.locale,
        vars: { name: decision.claimant.name, initiative: decision.initiativeName },
      });
    }
    return redirect(`/initiatives/gestion/moderation?fait=${decision.status === "approved" ? "revendication-approuvee" : "revendication-refusee"}`);
  },
  { ...PAGE, can: { action: "assign", subject: "Initiative" } }
);

function QueueTable({ id, caption, rows }: { id: string; caption: string; rows: ReturnType<typeof useLoaderData<typeof loader>>["pending"] }) {
  const { t } = useTranslation("directory");
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
      <table>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("moderation.fields.name")}</th>
            <th scope="col">{t("moderation.fields.kind")}</th>
            <th scope="col">{t("moderation.queue.submittedBy")}</th>
            <th scope="col">{t("moderation.queue.since")}</th>
            <th scope="col">{t("moderation.queue.duplicates")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <Link to={`/initiatives/gestion/moderation/${r.id}`}>{r.name}</Link>
              </th>
              <td>{r.kind}</td>
              <td>{r.submitter ?? t("moderation.queue.unknownSubmitter")}</td>
              <td>{r.since}</td>
              <td>{r.duplicates > 0 ? <strong>{t("moderation.queue.duplicateCount", { count: r.duplicates })}</strong> : t("moderation.queue.noDuplicate")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function ModerationQueuePage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  return (
    <>
      <h1>{data.title}</h1>
      {data.done && !result ? <Notice>{t(`moderation.queue.done.${data.done}`)}</Notice> : null}
      <ErrorSummary errors={result?.errors} />
      <ManagementLinks tools={data.tools} current="moderation" />

      {data.moderate ? (
        <>
          <section aria-labelledby="queue-pending">
            <h2 id="queue-pending">{t("moderation.queue.pending", { count: data.pending.length })}</h2>
            {data.pending.length ? (
              <QueueTable id="queue-pending-table" caption={t("moderation.queue.pendingCaption")} rows={data.pending} />
            ) : (
              <p>{t("moderation.queue.empty")}</p>
            )}
          </section>

          <section aria-labelledby="queue-changes">
            <h2 id="queue-changes">{t("moderation.queue.changesRequested", { count: data.changesRequested.length })}</h2>
            {data.changesRequested.length ? (
              <QueueTable id="queue-changes-table" caption={t("moderation.queue.changesCaption")} rows={data.changesRequested} />
            ) : (
              <p>{t("moderation.queue.noChanges")}</p>
            )}
          </section>
        </>
      ) : null}

      {data.assign ? (
        <section aria-labelledby="queue-claims">
          <h2 id="queue-claims">{t("moderation.claims.title", { count: data.claims.length })}</h2>
          {data.claims.length === 0 ? <p>{t("moderation.claims.empty")}</p> : null}
          <ul className="directory-cards">
            {data.claims.map((c) => (
              <li key={c.id} className="card">
                <h3>
                  <Link to={`/initiatives/${c.initiative_id}`}>{c.initiative_name}</Link>
                </h3>
                <dl className="directory-facts">
                  <dt>{t("moderation.claims.by")}</dt>
                  <dd>
                    {c.user_name} ({c.user_email})
                  </dd>
                  <dt>{t("moderation.claims.organisation")}</dt>
                  <dd>{c.organisation_name ?? t("moderation.claims.noOrganisation")}</dd>
                  <dt>{t("moderation.claims.current")}</dt>
                  <dd>{c.current_organisation_name ?? t("moderation.claims.unclaimed")}</dd>
                  <dt>{t("moderation.claims.date")}</dt>
                  <dd>{c.created_at}</dd>
                </dl>
                {c.message ? <p className="directory-pre">{c.message}</p> : null}
                <div className="directory-actions">
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="claim" value={c.id} />
                    <button type="submit" name="intent" value="claim-approve" className="button">
                      {t("moderation.claims.approve")}
                      <span className="visually-hidden"> {t("moderation.claims.forListing", { name: c.initiative_name })}</span>
                    </button>{" "}
                    <button type="submit" name="intent" value="claim-refuse" className="button button--secondary">
                      {t("moderation.claims.refuse")}
                      <span className="visually-hidden"> {t("moderation.claims.forListing", { name: c.initiative_name })}</span>
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
