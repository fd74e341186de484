// The fields of a listing, shared by the submission form, the manager's and staff's edit
// page and the emailed edit link. Plain inputs: the position is two number fields that work
// without JavaScript; with JavaScript, a button fills them from the browser's location.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Field, fieldId } from "~/core/ui/form";
import { MAX_LINKS, MAX_PHOTOS, PHOTO_MAX_BYTES, PHOTO_MAX_EDGE, photoSlots } from "../listing-form";

export type Option = { key: string; label: string };
export type ListingFormOptions = {
  kind: Option[];
  stage: Option[];
  layer: Option[];
  languages: { code: string; label: string }[];
  /** [[west, south], [east, north]] of the town's map. */
  bounds: [[number, number], [number, number]];
};
export type ListingFormState = {
  values: Record<string, string>;
  lists: { layers: string[]; languages: string[] };
  errors: Record<string, string>;
};

/** A group of checkboxes in a fieldset; its error is linked from the summary by `field-<name>`. */
export function CheckboxGroup(props: {
  name: string;
  legend: string;
  hint?: string;
  options: { value: string; label: string }[];
  checked: string[];
  error?: string;
}) {
  const { t } = useTranslation();
  const id = fieldId(props.name);
  const describedBy = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className="field directory-fieldset" id={id} tabIndex={-1} aria-describedby={describedBy}>
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">{t("common:form.errorPrefix")} </span>
          {t(props.error)}
        </p>
      ) : null}
      <ul className="directory-checkboxes">
        {props.options.map((o) => (
          <li key={o.value}>
            <label className="checkbox">
              <input type="checkbox" name={props.name} value={o.value} defaultChecked={props.checked.includes(o.value)} />
              <span>{o.label}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** "Use my location": fills the two coordinate fields; hidden until JavaScript runs. */
function LocateButton() {
  const { t } = useTranslation("directory");
  const [status, setStatus] = useState<"idle" | "busy" | "done" | "failed">("idle");
  const [ready, setReady] = useState(false);
  // Effects run only in the browser: without JavaScript the button never shows.
  useEffect(() => setReady("geolocation" in navigator), []);
  if (!ready) return null;
  const locate = () => {
    setStatus("busy");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const set = (name: string, value: number) => {
          const input = document.getElementById(fieldId(name)) as HTMLInputElement | null;
          if (input) input.value = value.toFixed(6);
        };
        set("latitude", position.coords.latitude);
        set("longitude", position.coords.longitude);
        setStatus("done");
      },
      () => setStatus("failed"),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };
  return (
    <div className="directory-locate">
      <button type="button" className="button button--secondary" onClick={locate} disabled={status === "busy"}>
        {t("moderation.form.locate")}
      </button>
      <p role="status" className="hint">
        {status === "busy" ? t("moderation.form.locating") : status === "done" ? t("moderation.form.located") : status === "failed" ? t("moderation.form.locateFailed") : ""}
      </p>
    </div>
  );
}

export function PositionFields({
  state,
  bounds,
  legendKey = "moderation.form.position",
  hintKey = "moderation.form.positionHint",
}: {
  state: Pick<ListingFormState, "values" | "errors">;
  bounds: ListingFormOptions["bounds"];
  legendKey?: string;
  hintKey?: string;
}) {
  const { t } = useTranslation("directory");
  const [[west, south], [east, north]] = bounds;
  return (
    <fieldset className="directory-fieldset">
      <legend>{t(legendKey)}</legend>
      <p className="hint">{t(hintKey, { south, north, west, east })}</p>
      <div className="directory-form__pair">
        <Field
          name="latitude"
          inputMode="decimal"
          autoComplete="off"
          label={t("moderation.fields.latitude")}
          hint={t("moderation.form.latitudeHint")}
          error={state.errors.latitude}
          defaultValue={state.values.latitude}
        />
        <Field
          name="longitude"
          inputMode="decimal"
          autoComplete="off"
          label={t("moderation.fields.longitude")}
          hint={t("moderation.form.longitudeHint")}
          error={state.errors.longitude}
          defaultValue={state.values.longitude}
        />
      </div>
      <LocateButton />
    </fieldset>
  );
}

export function PhotoFields({ state, room }: { state: ListingFormState; room: number }) {
  const { t } = useTranslation("directory");
  if (room <= 0) return <p>{t("moderation.form.photosFull", { count: MAX_PHOTOS })}</p>;
  return (
    <fieldset className="directory-fieldset">
      <legend>{t("moderation.form.photos")}</legend>
      <p className="hint">{t("moderation.form.photosHint", { count: room, size: PHOTO_MAX_BYTES / (1024 * 1024), edge: PHOTO_MAX_EDGE })}</p>
      {photoSlots.slice(0, room).map((slot, i) => (
        <div key={slot.file} className="directory-photo-slot">
          <Field
            name={slot.file}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            label={t("moderation.form.photo", { number: i + 1 })}
            error={state.errors[slot.file]}
          />
          <Field
            name={slot.alt}
            label={t("moderation.form.photoAlt", { number: i + 1 })}
            hint={t("moderation.form.photoAltHint")}
            maxLength={300}
            defaultValue={state.values[slot.alt]}
          />
        </div>
      ))}
    </fieldset>
  );
}

/** Every content field of a listing (not the submitter's, not the photos). */
export function ListingFields({ options, state }: { options: ListingFormOptions; state: ListingFormState }) {
  const { t } = useTranslation("directory");
  const { values, lists, errors } = state;
  const languagesChecked = lists.languages.length > 0 || Object.keys(values).length > 0 ? lists.languages : ["fr"];
  return (
    <>
      <fieldset className="directory-fieldset">
        <legend>{t("moderation.form.about")}</legend>
        <Field name="name" label={t("moderation.fields.name")} required maxLength={150} error={errors.name} defaultValue={values.name} />
        <Field
          as="select"
          name="kind"
          label={t("moderation.fields.kind")}
          required
          error={errors.kind}
          defaultValue={values.kind ?? ""}
          options={[{ value: "", label: t("moderation.form.choose") }, ...options.kind.map((o) => ({ value: o.key, label: o.label }))]}
        />
        <Field
          as="select"
          name="stage"
          label={t("moderation.fields.stage")}
          hint={t("moderation.form.stageHint")}
          error={errors.stage}
          defaultValue={values.stage ?? ""}
          options={[{ value: "", label: t("moderation.form.noStage") }, ...options.stage.map((o) => ({ value: o.key, label: o.label }))]}
        />
        <CheckboxGroup
          name="layers"
          legend={t("moderation.fields.layers")}
          hint={t("moderation.form.layersHint")}
          options={options.layer.map((o) => ({ value: o.key, label: o.label }))}
          checked={lists.layers}
          error={errors.layers}
        />
        <Field as="textarea" name="description" rows={6} maxLength={5000} label={t("moderation.fields.description")} error={errors.description} defaultValue={values.description} />
      </fieldset>

      <fieldset className="directory-fieldset">
        <legend>{t("moderation.form.where")}</legend>
        <Field name="address" label={t("moderation.fields.address")} required maxLength={300} autoComplete="street-address" error={errors.address} defaultValue={values.address} />
        <Field name="neighbourhood" label={t("moderation.fields.neighbourhood")} maxLength={100} error={errors.neighbourhood} defaultValue={values.neighbourhood} />
      </fieldset>
      <PositionFields state={state} bounds={options.bounds} />

      <fieldset className="directory-fieldset">
        <legend>{t("moderation.form.contact")}</legend>
        <Field name="contactName" label={t("moderation.fields.contactName")} maxLength={150} error={errors.contactName} defaultValue={values.contactName} />
        <Field name="contactEmail" type="email" label={t("moderation.fields.contactEmail")} maxLength={254} error={errors.contactEmail} defaultValue={values.contactEmail} />
        <Field name="contactPhone" type="tel" label={t("moderation.fields.contactPhone")} maxLength={25} error={errors.contactPhone} defaultValue={values.contactPhone} />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="contactPublic" value="on" defaultChecked={values.contactPublic === "on"} aria-describedby="contact-public-hint" />
            <span>{t("moderation.fields.contactPublic")}</span>
          </label>
          <p className="hint" id="contact-public-hint">
            {t("moderation.form.contactPublicHint")}
          </p>
        </div>
        <Field
          as="textarea"
          name="links"
          rows={3}
          label={t("moderation.fields.links")}
          hint={t("moderation.form.linksHint", { count: MAX_LINKS })}
          error={errors.links}
          defaultValue={values.links}
        />
      </fieldset>

      <fieldset className="directory-fieldset">
        <legend>{t("moderation.form.practical")}</legend>
        <Field as="textarea" name="schedule" rows={3} maxLength={1000} label={t("moderation.fields.schedule")} hint={t("moderation.form.scheduleHint")} error={errors.schedule} defaultValue={values.schedule} />
        <CheckboxGroup
          name="languages"
          legend={t("moderation.fields.languages")}
          options={options.languages.map((l) => ({ value: l.code, label: l.label }))}
          checked={languagesChecked}
          error={errors.languages}
        />
        <Field
          as="textarea"
          name="accessibilityNotes"
          rows={3}
          maxLength={2000}
          label={t("moderation.fields.accessibilityNotes")}
          hint={t("moderation.form.accessibilityHint")}
          error={errors.accessibilityNotes}
          defaultValue={values.accessibilityNotes}
        />
      </fieldset>
    </>
  );
}
