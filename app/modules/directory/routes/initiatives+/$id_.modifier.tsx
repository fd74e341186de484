// Editing a listing: whoever the town's rules let update it (by default the managers of the
// organisation that claimed it, and staff), and only the fields those rules name: the
// others are shown, not editable, and a save keeps them as they are whatever is posted.
// Every save is kept in the listing's history and counts as a confirmation of its information.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { AppAbility } from "~/core/permissions/ability.server";
import { permittedFields, pickPermittedFields } from "~/core/permissions/fields.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";
import { EditListingForm } from "../../components/EditListingForm";
import type { ListingFormState } from "../../components/ListingFields";
import { requireVisible, type RuleAttributes } from "../../data/access.server";
import { readInitiative } from "../../data/revisions.server";
import { applyListingEdit, editScope, listingFormValues, listPhotos } from "../../data/submission.server";
import { UPLOAD_MAX_BODY_BYTES } from "../../listing-form";
import { listingFormSetup } from "../../listing-options.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const EDITABLE = ["pending", "changes_requested", "published"];

/** What this user may change on this listing, from the fields their update rules name. */
function scopeOn(ability: AppAbility, listing: RuleAttributes) {
  return editScope(permittedFields(ability, "update", "Initiative", listing), (columns) =>
    pickPermittedFields(ability, "update", "Initiative", columns, listing),
  );
}

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, params, tx, tenant, locale, t, ability, authorize }) => {
    const listing = await readInitiative(tx, params.id ?? "");
    if (!listing || !EDITABLE.includes(listing.status)) notFound();
    const rules = await ability();
    requireVisible(rules, listing);
    await authorize("update", "Initiative", listing);
    const scope = scopeOn(rules, listing);
    const { options } = await listingFormSetup(tx, tenant, locale);
    const photos = (await listPhotos(tx, listing.id)).map((p) => ({
      ...p,
      url: listing.status === "published" ? `/initiatives/${listing.id}/photos/${p.id}` : `/initiatives/gestion/moderation/photos/${p.id}`,
    }));
    return json({
      title: t("directory:moderation.edit.title", { name: listing.name }),
      town: tenant.name,
      id: listing.id,
      published: listing.status === "published",
      saved: new URL(request.url).searchParams.get("enregistre") === "1",
      options,
      photos,
      locked: scope.locked,
      photosEditable: scope.photos,
      ...listingFormValues(listing),
    });
  },
  { module: "directory", signedIn: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ params, form, tx, tenant, user, locale, ability, authorize }) => {
    const listing = await readInitiative(tx, params.id ?? "", { lock: true });
    if (!listing || !EDITABLE.includes(listing.status)) notFound();
    const rules = await ability();
    requireVisible(rules, listing);
    await authorize("update", "Initiative", listing);
    const { context } = await listingFormSetup(tx, tenant, locale);
    const result = await applyListingEdit(tx, listing.id, form, context, { userId: user!.id, label: user!.displayName }, "edited", {}, scopeOn(rules, listing));
    if (!result.ok) {
      return json({ errors: result.errors, values: result.values, lists: result.lists, removeChecked: form.getAll("removePhoto").map(String) }, { status: 400 });
    }
    return redirect(`/initiatives/${listing.id}/modifier?enregistre=1`);
  },
  { module: "directory", signedIn: true, maxBodyBytes: UPLOAD_MAX_BODY_BYTES },
);

export default function EditListingPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  const state: ListingFormState = { values: result?.values ?? data.values, lists: result?.lists ?? data.lists, errors: result?.errors ?? {} };
  return (
    <>
      <h1>{data.title}</h1>
      {data.saved && !result ? <Notice>{t("moderation.edit.saved")}</Notice> : null}
      <ul className="directory-actions">
        {data.published ? (
          <li>
            <Link to={`/initiatives/${data.id}`}>{t("moderation.link.seeListing")}</Link>
          </li>
        ) : null}
        <li>
          <Link to={`/initiatives/${data.id}/historique`}>{t("moderation.history.link")}</Link>
        </li>
      </ul>
      <EditListingForm
        options={data.options}
        state={state}
        photos={data.photos}
        removeChecked={result?.removeChecked}
        submitLabel={t("moderation.form.save")}
        locked={data.locked}
        photosEditable={data.photosEditable}
      />
    </>
  );
}
