// The edit form of a listing: its fields, its photos (remove some, add up to the limit).
// Used by whoever may update the listing (/initiatives/:id/modifier), limited to the fields
// their rules allow, and by an emailed edit link.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary } from "~/core/ui/form";
import { MAX_PHOTOS } from "../listing-form";
import { ListingFields, LockedFields, PhotoFields, type ListingFormOptions, type ListingFormState } from "./ListingFields";

export type ExistingPhoto = { id: string; alt: string; width: number; height: number; url: string | null };

export function EditListingForm(props: {
  options: ListingFormOptions;
  state: ListingFormState;
  photos: ExistingPhoto[];
  submitLabel: string;
  /** Fields the form carries back (the emailed link's token). */
  hidden?: Record<string, string>;
  removeChecked?: string[];
  /** Form fields the user may not change: shown apart, not sent. */
  locked?: readonly string[];
  /** False when the user may not add or remove photos. */
  photosEditable?: boolean;
}) {
  const { t } = useTranslation("directory");
  const { state, photos, locked = [], photosEditable = true } = props;
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="form directory-form">
      <CsrfInput />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <ErrorSummary errors={state.errors} />
      <LockedFields options={props.options} state={state} locked={locked} />
      <ListingFields options={props.options} state={state} locked={locked} />
      {photosEditable && photos.length > 0 ? (
        <fieldset className="directory-fieldset">
          <legend>{t("moderation.form.currentPhotos")}</legend>
          <ul className="directory-photo-list">
            {photos.map((p, i) => (
              <li key={p.id}>
                {p.url ? <img src={p.url} alt={p.alt || t("moderation.form.photoNumber", { number: i + 1 })} width={p.width} height={p.height} loading="lazy" /> : null}
                <label className="checkbox">
                  <input type="checkbox" name="removePhoto" value={p.id} defaultChecked={props.removeChecked?.includes(p.id)} />
                  <span>{t("moderation.form.removePhoto", { name: p.alt || t("moderation.form.photoNumber", { number: i + 1 }) })}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      {photosEditable ? <PhotoFields state={state} room={MAX_PHOTOS - photos.length + (props.removeChecked?.length ?? 0)} /> : null}
      <p>
        <button type="submit" className="button">
          {props.submitLabel}
        </button>
      </p>
    </Form>
  );
}
