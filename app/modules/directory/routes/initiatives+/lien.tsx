// The links the directory emails to people who may have no account:
//  - "still accurate" (freshness reminder): one click confirms the listing;
//  - "I have answered" (contact request to a group without an account): one click;
//  - "edit" (reminder, or changes asked by moderation): shows the listing's form, and saving
//    uses the link up. A listing sent back for changes returns to the moderation queue.
// One-click outcomes travel in the address after a redirect, so the token leaves the
// address bar and the history at once.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";
import { EditListingForm } from "../../components/EditListingForm";
import type { ListingFormState } from "../../components/ListingFields";
import { markAnsweredByLink } from "../../data/contact.server";
import { confirmFreshnessByLink } from "../../data/freshness.server";
import { checkLink, consumeLink } from "../../data/links.server";
import { EMAIL_LINK_ACTOR, readInitiative } from "../../data/revisions.server";
import { applyListingEdit, listingFormValues, listPhotos } from "../../data/submission.server";
import { UPLOAD_MAX_BODY_BYTES } from "../../listing-form";
import { listingFormSetup } from "../../listing-options.server";

const PATH = "/initiatives/lien";
const OUTCOMES = ["confirmed", "answered", "saved", "resubmitted", "used", "expired", "invalid"] as const;
type Outcome = (typeof OUTCOMES)[number];
const STATES: Record<Outcome, string> = {
  confirmed: "informations-confirmees",
  answered: "reponse-notee",
  saved: "modifications-enregistrees",
  resubmitted: "renvoyee-en-moderation",
  used: "deja-utilise",
  expired: "expire",
  invalid: "invalide",
};
/** Listings an edit link may change: not those merged, refused or never confirmed. */
const EDITABLE = ["pending", "changes_requested", "published"];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const outcomeUrl = (outcome: Outcome, listingId?: string) => `${PATH}?etat=${STATES[outcome]}${listingId ? `&fiche=${listingId}` : ""}`;

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, locale, t }) => {
    const params = new URL(request.url).searchParams;
    const token = params.get("jeton");
    if (token === null) {
      const state = params.get("etat");
      const outcome = OUTCOMES.find((k) => STATES[k] === state) ?? "invalid";
      const listingId = params.get("fiche");
      return json(
        { mode: "outcome" as const, outcome, listingId: listingId && /^[0-9a-f-]{36}$/.test(listingId) ? listingId : null, town: tenant.name, title: t(`directory:moderation.link.${outcome}.title`) },
        { status: ["used", "expired", "invalid"].includes(outcome) ? 400 : 200 },
      );
    }
    const link = await checkLink(tx, token, ["still_accurate", "contact_answered", "edit"]);
    if (link.status !== "valid") return redirect(outcomeUrl(link.status));
    if (link.purpose === "still_accurate") {
      const done = await confirmFreshnessByLink(tx, token);
      return redirect(done.status === "confirmed" ? outcomeUrl("confirmed", done.id) : outcomeUrl(done.status));
    }
    if (link.purpose === "contact_answered") {
      const done = await markAnsweredByLink(tx, token);
      return redirect(outcomeUrl(done.status));
    }
    const listing = await readInitiative(tx, link.initiativeId);
    if (!listing || !EDITABLE.includes(listing.status)) return redirect(outcomeUrl("invalid"));
    const { options } = await listingFormSetup(tx, tenant, locale);
    const photos = (await listPhotos(tx, listing.id)).map((p) => ({
      ...p,
      // Only a published listing's photos are served to anyone; the others are listed by name.
      url: listing.status === "published" ? `/initiatives/${listing.id}/photos/${p.id}` : null,
    }));
    return json({
      mode: "edit" as const,
      token,
      town: tenant.name,
      title: t("directory:moderation.link.editTitle", { name: listing.name }),
      name: listing.name,
      note: listing.status === "changes_requested" ? listing.moderation_note : null,
      options,
      photos,
      ...listingFormValues(listing),
    });
  },
  { module: "directory" },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ form, tx, tenant, locale }) => {
    const token = String(form.get("jeton") ?? "");
    const link = await checkLink(tx, token, ["edit"]);
    if (link.status !== "valid") return redirect(outcomeUrl(link.status));
    const listing = await readInitiative(tx, link.initiativeId, { lock: true });
    if (!listing || !EDITABLE.includes(listing.status)) return redirect(outcomeUrl("invalid"));
    const { context } = await listingFormSetup(tx, tenant, locale);
    const resubmit = listing.status === "changes_requested";
    const actor = listing.submitter_name && listing.organisation_id === null ? { userId: null, label: listing.submitter_name } : EMAIL_LINK_ACTOR;
    const result = await applyListingEdit(tx, listing.id, form, context, actor, "edited_by_link", resubmit ? { status: "pending" } : {});
    if (!result.ok) {
      return json({ errors: result.errors, values: result.values, lists: result.lists, removeChecked: form.getAll("removePhoto").map(String) }, { status: 400 });
    }
    // Used up only once the edit is saved: a form sent back with errors keeps the link valid.
    // Of two saves at once, the second finds the link used; throwing rolls its edit back.
    const used = await consumeLink(tx, token, ["edit"]);
    if (used.status !== "valid") throw redirect(outcomeUrl("used"));
    return redirect(outcomeUrl(resubmit ? "resubmitted" : "saved", listing.id));
  },
  { module: "directory", maxBodyBytes: UPLOAD_MAX_BODY_BYTES },
);

export default function EmailLinkPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  if (data.mode === "outcome") {
    const good = ["confirmed", "answered", "saved", "resubmitted"].includes(data.outcome);
    return (
      <>
        <h1>{data.title}</h1>
        {good ? <Notice>{t(`moderation.link.${data.outcome}.body`)}</Notice> : <p className="lead">{t(`moderation.link.${data.outcome}.body`)}</p>}
        <ul>
          {data.listingId && (data.outcome === "confirmed" || data.outcome === "saved") ? (
            <li>
              <Link to={`/initiatives/${data.listingId}`}>{t("moderation.link.seeListing")}</Link>
            </li>
          ) : null}
          <li>
            <Link to="/initiatives">{t("moderation.submit.backToList")}</Link>
          </li>
        </ul>
      </>
    );
  }
  const state: ListingFormState = {
    values: result?.values ?? data.values,
    lists: result?.lists ?? data.lists,
    errors: result?.errors ?? {},
  };
  return (
    <>
      <h1>{data.title}</h1>
      {data.note ? (
        <section aria-labelledby="moderation-note" className="directory-note">
          <h2 id="moderation-note">{t("moderation.link.noteTitle")}</h2>
          <p className="directory-pre">{data.note}</p>
        </section>
      ) : null}
      <p className="lead">{t("moderation.link.editIntro")}</p>
      <EditListingForm
        options={data.options}
        state={state}
        photos={data.photos}
        hidden={{ jeton: data.token }}
        removeChecked={result?.removeChecked}
        submitLabel={data.note ? t("moderation.link.resubmit") : t("moderation.form.save")}
      />
    </>
  );
}
