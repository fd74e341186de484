// The space of an association's managers: the listings of their organisations their rules
// let them edit (confirm they are still accurate, edit them, see their history), the contact
// requests residents sent to those listings (mark them answered), and the claims they made.
// "Their organisations": those they hold a role for whose listings they may edit.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { formatDate, formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";
import { allowedListings, claimOrganisations, managedOrganisations, may, type RuleAttributes } from "../../data/access.server";
import { findListingsByName, listingsOfOrganisations, listUserClaims, organisationsOf } from "../../data/claims.server";
import { ContactRefused, markAnswered, requestsForOrganisations } from "../../data/contact.server";
import { confirmListing } from "../../data/freshness.server";
import { readInitiative } from "../../data/revisions.server";

const PATH = "/initiatives/mon-espace";
const NOTICES = ["revendication", "confirmee", "repondue"] as const;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, user, t, ability }) => {
    const rules = await ability();
    const organisationIds = managedOrganisations(rules, user);
    const editable = allowedListings(rules, "update", "i");
    const [organisations, listings, requests, claims] = await Promise.all([
      organisationsOf(tx, organisationIds),
      listingsOfOrganisations(tx, organisationIds, editable),
      requestsForOrganisations(tx, organisationIds, editable),
      listUserClaims(tx, user!.id),
    ]);
    const params = new URL(request.url).searchParams;
    const notice = NOTICES.find((n) => params.has(n)) ?? null;
    const query = (params.get("fiche") ?? "").slice(0, 100);
    const found = organisationIds.length && query ? await findListingsByName(tx, query, allowedListings(rules, "read", "i")) : null;
    const date = (d: Date) => formatDate(d, tenant.timeZone);
    return json({
      title: t("directory:moderation.space.title"),
      town: tenant.name,
      notice,
      organisations: organisations.map((o) => o.name),
      listings: listings.map((l) => ({ ...l, confirmed_at: date(l.confirmed_at), reminder_sent_at: l.reminder_sent_at ? date(l.reminder_sent_at) : null })),
      requests: requests.map((r) => ({ ...r, sent_at: formatDateTime(r.sent_at, tenant.timeZone), answered_at: r.answered_at ? date(r.answered_at) : null })),
      claims: claims.map((c) => ({ ...c, created_at: date(c.created_at) })),
      query,
      found:
        found?.map((f) => {
          const mine = f.organisation_id !== null && organisationIds.includes(f.organisation_id);
          return {
            id: f.id,
            name: f.name,
            organisation: f.organisation_name,
            edit: mine && may(rules, "update", f),
            claim: !mine && claimOrganisations(rules, user, f).length > 0,
          };
        }) ?? null,
    });
  },
  { module: "directory", signedIn: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ form, tx, user, ability }) => {
    const rules = await ability();
    const organisationIds = managedOrganisations(rules, user);
    // What this page shows: listings of the user's organisations their rules let them edit.
    const ours = (listing: RuleAttributes) => listing.organisation_id !== null && organisationIds.includes(listing.organisation_id) && may(rules, "update", listing);
    const intent = form.get("intent");
    if (intent === "confirm") {
      const listing = await readInitiative(tx, String(form.get("listing") ?? ""));
      if (!listing || !ours(listing)) notFound();
      if (!(await confirmListing(tx, listing.id, { userId: user!.id, label: user!.displayName }))) notFound();
      return redirect(`${PATH}?confirmee=1`);
    }
    if (intent === "answered") {
      try {
        await markAnswered(tx, String(form.get("request") ?? ""), String(form.get("listing") ?? ""), { userId: user!.id, allowed: ours });
      } catch (error) {
        if (!(error instanceof ContactRefused)) throw error;
        if (error.code === "notFound") notFound();
        return json({ errors: { _form: "directory:moderation.space.alreadyAnswered" } }, { status: 409 });
      }
      return redirect(`${PATH}?repondue=1`);
    }
    return json({ errors: { _form: "directory:moderation.errors.unknownAction" } }, { status: 400 });
  },
  { module: "directory", signedIn: true },
);

export default function ManagerSpacePage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  return (
    <>
      <h1>{data.title}</h1>
      {data.notice && !result ? <Notice>{t(`moderation.space.notices.${data.notice}`)}</Notice> : null}
      <ErrorSummary errors={result?.errors} />
      {data.organisations.length === 0 ? (
        <p className="lead">{t("moderation.space.noOrganisation")}</p>
      ) : (
        <p className="lead">{t("moderation.space.intro", { organisations: data.organisations.join(", ") })}</p>
      )}

      <section aria-labelledby="space-listings">
        <h2 id="space-listings">{t("moderation.space.listings", { count: data.listings.length })}</h2>
        {data.listings.length === 0 ? <p>{t("moderation.space.noListing")}</p> : null}
        <ul className="directory-cards">
          {data.listings.map((l) => (
            <li key={l.id} className="card">
              <h3>{l.status === "published" ? <Link to={`/initiatives/${l.id}`}>{l.name}</Link> : l.name}</h3>
              <p>
                {t(`moderation.statuses.${l.status}`)} · {t(`moderation.space.freshness.${l.freshness}`)}
              </p>
              <p>{t("moderation.space.confirmedOn", { date: l.confirmed_at })}</p>
              <ul className="directory-actions">
                <li>
                  <Link to={`/initiatives/${l.id}/modifier`}>{t("moderation.space.edit", { name: l.name })}</Link>
                </li>
                <li>
                  <Link to={`/initiatives/${l.id}/historique`}>{t("moderation.space.history", { name: l.name })}</Link>
                </li>
              </ul>
              {l.status === "published" ? (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="listing" value={l.id} />
                  <button type="submit" name="intent" value="confirm" className="button button--secondary">
                    {t("moderation.space.stillAccurate")}
                    <span className="visually-hidden"> {t("moderation.freshness.forListing", { name: l.name })}</span>
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="space-requests">
        <h2 id="space-requests">{t("moderation.space.requests", { count: data.requests.length })}</h2>
        {data.requests.length === 0 ? <p>{t("moderation.space.noRequest")}</p> : null}
        <ul className="directory-cards">
          {data.requests.map((r) => (
            <li key={`${r.request_id}-${r.initiative_id}`} className="card">
              <h3>{t("moderation.space.requestFor", { name: r.initiative_name, date: r.sent_at })}</h3>
              {r.purged_at ? (
                <p>{t("moderation.space.purged")}</p>
              ) : (
                <dl className="directory-facts">
                  <dt>{t("moderation.join.name")}</dt>
                  <dd>{r.name}</dd>
                  <dt>{t("moderation.join.email")}</dt>
                  <dd>
                    <a href={`mailto:${r.email}`}>{r.email}</a>
                  </dd>
                  {r.phone ? (
                    <>
                      <dt>{t("moderation.join.phone")}</dt>
                      <dd>{r.phone}</dd>
                    </>
                  ) : null}
                  <dt>{t("moderation.join.place")}</dt>
                  <dd>{r.place}</dd>
                  {r.message ? (
                    <>
                      <dt>{t("moderation.join.message")}</dt>
                      <dd className="directory-pre">{r.message}</dd>
                    </>
                  ) : null}
                </dl>
              )}
              {r.answered_at ? (
                <p>{t("moderation.space.answeredOn", { date: r.answered_at })}</p>
              ) : (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="request" value={r.request_id} />
                  <input type="hidden" name="listing" value={r.initiative_id} />
                  <button type="submit" name="intent" value="answered" className="button">
                    {t("moderation.space.markAnswered")}
                    <span className="visually-hidden"> {t("moderation.space.requestOf", { name: r.name ?? "", date: r.sent_at })}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="space-claims">
        <h2 id="space-claims">{t("moderation.space.claims", { count: data.claims.length })}</h2>
        {data.claims.length === 0 ? <p>{t("moderation.space.noClaim")}</p> : null}
        <ul>
          {data.claims.map((c) => (
            <li key={c.id}>
              {t("moderation.space.claimLine", { name: c.initiative_name, date: c.created_at, status: t(`moderation.space.claimStatus.${c.status}`) })}
            </li>
          ))}
        </ul>
      </section>

      {data.organisations.length ? (
        <section aria-labelledby="space-find">
          <h2 id="space-find">{t("moderation.space.findTitle")}</h2>
          <Form method="get" className="form" role="search" aria-labelledby="space-find">
            <p>{t("moderation.space.claimHelp")}</p>
            <Field name="fiche" type="search" label={t("moderation.space.findLabel")} maxLength={100} defaultValue={data.query} />
            <p>
              <button type="submit" className="button button--secondary">
                {t("moderation.space.find")}
              </button>
            </p>
          </Form>
          {data.found ? (
            <>
              <p role="status">{t("moderation.space.found", { count: data.found.length })}</p>
              <ul>
                {data.found.map((f) => (
                  <li key={f.id}>
                    {f.edit ? (
                      <Link to={`/initiatives/${f.id}/modifier`}>{t("moderation.space.edit", { name: f.name })}</Link>
                    ) : f.claim ? (
                      <>
                        <Link to={`/initiatives/${f.id}/revendiquer`}>{t("moderation.space.claimListing", { name: f.name })}</Link>
                        {f.organisation ? ` ${t("moderation.space.ownedBy", { organisation: f.organisation })}` : null}
                      </>
                    ) : (
                      <>
                        <Link to={`/initiatives/${f.id}`}>{f.name}</Link>
                        {f.organisation ? ` ${t("moderation.space.ownedBy", { organisation: f.organisation })}` : null}
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
