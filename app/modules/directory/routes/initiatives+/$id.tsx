// A listing's public page: every field, the contact only if its owner made it public, a
// static location preview with the address written out, and the actions the user's rules
// allow on it. 404 for anything not published, hidden, or that their rules do not let them read.
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, tenantLoader } from "~/core/route.server";
import { formatDate } from "~/core/ui/format";
import { StatusBadges, VocabularyValue } from "../../components/Badges";
import { LocationPreview } from "../../components/LocationPreview";
import { allowedListings, claimOrganisations, HISTORY_ACTIONS, managedOrganisations, may, mayAny } from "../../data/access.server";
import { getVocabularies } from "../../data/vocabulary.server";
import { getPublicListing } from "../../data/listing.server";
import { isOpenAt, localClock, weekSchedule } from "../../opening-hours";
import { previewGeometry } from "../../preview";
import { languageOptions, vocabularyOptions } from "../../public.server";

/** Links written by submitters: only web addresses become links (never javascript: or data:). */
function webLinks(links: string[]) {
  return links.flatMap((href) => {
    try {
      const url = new URL(href);
      return url.protocol === "https:" || url.protocol === "http:" ? [{ href: url.href, host: url.host }] : [];
    } catch {
      return [];
    }
  });
}

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, user, locale, params, ability }) => {
    const rules = await ability();
    const listing = await getPublicListing(tx, params.id ?? "", allowedListings(rules, "read"));
    if (!listing) notFound();
    // The same decisions as the pages they lead to, from the user's rules: the page shows
    // only what they may do with this listing.
    const attributes = { status: "published", organisation_id: listing.organisation_id, neighbourhood: listing.neighbourhood };
    const actions = {
      claim: listing.organisation_id === null && claimOrganisations(rules, user, attributes).length > 0,
      edit: may(rules, "update", attributes),
      history: mayAny(rules, HISTORY_ACTIONS, attributes),
      moderate: may(rules, "moderate", attributes),
      mySpace: managedOrganisations(rules, user).length > 0,
    };
    const vocabulary = vocabularyOptions(await getVocabularies(tx), locale);
    const hours = listing.opening_hours;
    const { latitude, longitude } = listing;
    return json({
      timeZone: tenant.timeZone,
      vocabulary,
      actions,
      listing: {
        id: listing.id,
        name: listing.name,
        kind: listing.kind,
        stage: listing.stage,
        layers: listing.layers,
        description: listing.description,
        address: listing.address,
        neighbourhood: listing.neighbourhood,
        contact: listing.contact,
        links: webLinks(listing.links),
        schedule: listing.schedule,
        week: weekSchedule(hours),
        languages: languageOptions(listing.languages, locale),
        accessibilityNotes: listing.accessibility_notes,
        confirmedAt: listing.confirmed_at.toISOString(),
        toCheck: listing.freshness === "to_check",
        isDemo: listing.is_demo,
        openNow: isOpenAt(hours, localClock(new Date(), tenant.timeZone)),
        photos: listing.photos,
      },
      preview:
        latitude !== null && longitude !== null ? previewGeometry(tenant.definition.map.bounds, { latitude, longitude }) : null,
    });
  },
  { module: "directory", can: { action: "read", subject: "Initiative" } },
);

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p, i) => (
          <p key={i}>{p}</p>
        ))}
    </>
  );
}

export default function ListingPage() {
  const { timeZone, vocabulary, actions, listing: l, preview } = useLoaderData<typeof loader>();
  const { t } = useTranslation("directory");
  const layerLabels = l.layers.map((key) => vocabulary.layer.find((o) => o.key === key)?.label ?? key);
  return (
    <article className="directory-listing" aria-labelledby="directory-listing-title">
      <p>
        <Link to="/initiatives">{t("public.listing.back")}</Link>
      </p>
      <h1 id="directory-listing-title">{l.name}</h1>
      <StatusBadges toCheck={l.toCheck} isDemo={l.isDemo} openNow={l.openNow} />
      {l.toCheck ? <p className="directory-notice">{t("public.listing.toCheckNotice")}</p> : null}
      <p className="directory-confirmed">{t("public.confirmedOn", { date: formatDate(l.confirmedAt, timeZone) })}</p>
      {Object.values(actions).some(Boolean) ? (
        <nav aria-label={t("public.listing.actions.label")}>
          <ul className="directory-actions">
            {actions.edit ? (
              <li>
                <Link to={`/initiatives/${l.id}/modifier`}>{t("public.listing.actions.edit")}</Link>
              </li>
            ) : null}
            {actions.claim ? (
              <li>
                <Link to={`/initiatives/${l.id}/revendiquer`}>{t("public.listing.actions.claim")}</Link>
              </li>
            ) : null}
            {actions.history ? (
              <li>
                <Link to={`/initiatives/${l.id}/historique`}>{t("public.listing.actions.history")}</Link>
              </li>
            ) : null}
            {actions.moderate ? (
              <li>
                <Link to={`/initiatives/gestion/moderation/${l.id}`}>{t("public.listing.actions.moderate")}</Link>
              </li>
            ) : null}
            {actions.mySpace ? (
              <li>
                <Link to="/initiatives/mon-espace">{t("public.listing.actions.mySpace")}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}

      <dl className="directory-facts">
        <dt>{t("public.fields.kind")}</dt>
        <dd>
          <VocabularyValue options={vocabulary.kind} value={l.kind} />
        </dd>
        {l.stage ? (
          <>
            <dt>{t("public.fields.stage")}</dt>
            <dd>
              <VocabularyValue options={vocabulary.stage} value={l.stage} />
            </dd>
          </>
        ) : null}
        {layerLabels.length ? (
          <>
            <dt>{t("public.fields.layers")}</dt>
            <dd>{layerLabels.join(", ")}</dd>
          </>
        ) : null}
        {l.languages.length ? (
          <>
            <dt>{t("public.fields.languages")}</dt>
            <dd>{l.languages.map((lang) => lang.label).join(", ")}</dd>
          </>
        ) : null}
      </dl>

      {l.description ? (
        <section aria-labelledby="directory-about">
          <h2 id="directory-about">{t("public.listing.about")}</h2>
          <Paragraphs text={l.description} />
        </section>
      ) : null}

      {l.photos.length ? (
        <section aria-labelledby="directory-photos">
          <h2 id="directory-photos">{t("public.listing.photos")}</h2>
          <ul className="directory-photos">
            {l.photos.map((p, i) => (
              <li key={p.id}>
                <img
                  src={`/initiatives/${l.id}/photos/${p.id}`}
                  alt={p.alt || t("public.listing.photoAlt", { name: l.name, number: i + 1 })}
                  width={p.width}
                  height={p.height}
                  loading="lazy"
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="directory-where">
        <h2 id="directory-where">{t("public.listing.where")}</h2>
        <dl className="directory-facts">
          <dt>{t("public.fields.address")}</dt>
          <dd>{l.address || t("public.listing.noAddress")}</dd>
          {l.neighbourhood ? (
            <>
              <dt>{t("public.fields.neighbourhood")}</dt>
              <dd>{l.neighbourhood}</dd>
            </>
          ) : null}
        </dl>
        {preview ? <LocationPreview geometry={preview} id="directory-preview" /> : <p>{t("public.listing.noPosition")}</p>}
      </section>

      {l.week.length || l.schedule ? (
        <section aria-labelledby="directory-when">
          <h2 id="directory-when">{t("public.listing.when")}</h2>
          {l.schedule ? <Paragraphs text={l.schedule} /> : null}
          {l.week.length ? (
            <table className="directory-hours">
              <caption>{t("public.listing.hoursCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("public.listing.day")}</th>
                  <th scope="col">{t("public.listing.hours")}</th>
                </tr>
              </thead>
              <tbody>
                {l.week.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">{t(`public.days.${d.day}`)}</th>
                    <td>{d.slots.map((s) => t("public.listing.slot", { opens: s.opens, closes: s.closes })).join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}

      {l.accessibilityNotes ? (
        <section aria-labelledby="directory-access">
          <h2 id="directory-access">{t("public.listing.accessibility")}</h2>
          <Paragraphs text={l.accessibilityNotes} />
        </section>
      ) : null}

      {l.contact || l.links.length ? (
        <section aria-labelledby="directory-contact">
          <h2 id="directory-contact">{t("public.listing.contact")}</h2>
          {l.contact ? (
            <ul className="directory-contact">
              {l.contact.name ? <li>{l.contact.name}</li> : null}
              {l.contact.email ? (
                <li>
                  <a href={`mailto:${l.contact.email}`}>{l.contact.email}</a>
                </li>
              ) : null}
              {l.contact.phone ? (
                <li>
                  <a href={`tel:${l.contact.phone.replace(/[^\d+]/g, "")}`}>{l.contact.phone}</a>
                </li>
              ) : null}
            </ul>
          ) : null}
          {l.links.length ? (
            <ul className="directory-links">
              {l.links.map((link) => (
                <li key={link.href}>
                  <a href={link.href} rel="noopener noreferrer nofollow ugc">
                    {t("public.listing.website", { host: link.host })}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </article>
  );
}
