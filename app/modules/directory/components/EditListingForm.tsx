// The edit form of a listing: its fields, its photos (remove some, add up to the limit).
// Used by managers and staff (/initiatives/:id/modifier) and by an emailed edit link.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary } from "~/core/ui/form";
import { MAX_PHOTOS } from "../listing-form";
import { ListingFields, PhotoFields, type ListingFormOptions, type ListingFormState } from "./ListingFields";

export type ExistingPhoto = { id: string; alt: string; width: number; height: number; url: string | null };

export function EditListingForm(props: {
  options: ListingFormOptions;
  state: ListingFormState;
  photos: ExistingPhoto[];
  submitLabel: string;
  /** Fields the form carries back (the emailed link's token). */
  hidden?: Record<string, string>;
  removeChecked?: string[];
}) {
  const { t } = useTranslation("directory");
  const { state, photos } = props;
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="form directory-form">
      <CsrfInput />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <ErrorSummary errors={state.errors} />
      <ListingFields options={props.options} state={state} />
      {photos.length > 0 ? (
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
      <PhotoFields state={state} room={MAX_PHOTOS - photos.length + (props.removeChecked?.length ?? 0)} />
      <p>
        <button type="submit" className="button">
          {props.submitLabel}
        </button>
      </p>
    </Form>
  );
}
