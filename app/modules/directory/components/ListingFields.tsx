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

/** The form's fields by fieldset, in order: a fieldset whose fields are all locked is left out. */
const GROUPS = {
  about: ["name", "kind", "stage", "layers", "description"],
  where: ["address", "neighbourhood"],
  position: ["latitude", "longitude"],
  contact: ["contactName", "contactEmail", "contactPhone", "contactPublic", "links"],
  practical: ["schedule", "languages", "accessibilityNotes"],
} as const;
const FIELD_LABELS: Record<string, string> = {
  name: "moderation.fields.name",
  kind: "moderation.fields.kind",
  stage: "moderation.fields.stage",
  layers: "moderation.fields.layers",
  description: "moderation.fields.description",
  address: "moderation.fields.address",
  neighbourhood: "moderation.fields.neighbourhood",
  latitude: "moderation.fields.latitude",
  longitude: "moderation.fields.longitude",
  contactName: "moderation.fields.contactName",
  contactEmail: "moderation.fields.contactEmail",
  contactPhone: "moderation.fields.contactPhone",
  contactPublic: "moderation.fields.contactPublic",
  links: "moderation.fields.links",
  schedule: "moderation.fields.schedule",
  languages: "moderation.fields.languages",
  accessibilityNotes: "moderation.fields.accessibilityNotes",
};

/**
 * The fields the user's rules do not let them change, with their current values: shown so
 * that the form still tells the whole listing, never sent (the server keeps them as they are).
 */
export function LockedFields({ options, state, locked }: { options: ListingFormOptions; state: ListingFormState; locked: readonly string[] }) {
  const { t } = useTranslation("directory");
  if (locked.length === 0) return null;
  const { values, lists } = state;
  const label = (list: Option[], key: string | undefined) => (key ? (list.find((o) => o.key === key)?.label ?? key) : "");
  const shown = (name: string): string => {
    switch (name) {
      case "kind":
        return label(options.kind, values.kind);
      case "stage":
        return label(options.stage, values.stage);
      case "layers":
        return lists.layers.map((key) => label(options.layer, key)).join(", ");
      case "languages":
        return lists.languages.map((code) => options.languages.find((l) => l.code === code)?.label ?? code).join(", ");
      case "contactPublic":
        return t(values.contactPublic === "on" ? "moderation.item.contactShown" : "moderation.item.contactHidden");
      default:
        return values[name] ?? "";
    }
  };
  const order = Object.values(GROUPS).flat() as string[];
  return (
    <section aria-labelledby="directory-locked-title" className="directory-fieldset">
      <h2 id="directory-locked-title">{t("moderation.edit.lockedTitle")}</h2>
      <p className="hint">{t("moderation.edit.lockedIntro")}</p>
      <dl className="directory-facts">
        {order
          .filter((name) => locked.includes(name))
          .map((name) => (
            <div key={name} className="directory-facts__row">
              <dt>{t(FIELD_LABELS[name])}</dt>
              <dd>{shown(name) || t("moderation.edit.empty")}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

/**
 * Every content field of a listing (not the submitter's, not the photos), except those in
 * `locked` (form field names), which the user may not change.
 */
export function ListingFields({ options, state, locked = [] }: { options: ListingFormOptions; state: ListingFormState; locked?: readonly string[] }) {
  const { t } = useTranslation("directory");
  const { values, lists, errors } = state;
  const languagesChecked = lists.languages.length > 0 || Object.keys(values).length > 0 ? lists.languages : ["fr"];
  const open = (name: string) => !locked.includes(name);
  const any = (group: readonly string[]) => group.some(open);
  return (
    <>
      {any(GROUPS.about) ? (
        <fieldset className="directory-fieldset">
          <legend>{t("moderation.form.about")}</legend>
          {open("name") ? <Field name="name" label={t("moderation.fields.name")} required maxLength={150} error={errors.name} defaultValue={values.name} /> : null}
          {open("kind") ? (
            <Field
              as="select"
              name="kind"
              label={t("moderation.fields.kind")}
              required
              error={errors.kind}
              defaultValue={values.kind ?? ""}
              options={[{ value: "", label: t("moderation.form.choose") }, ...options.kind.map((o) => ({ value: o.key, label: o.label }))]}
            />
          ) : null}
          {open("stage") ? (
            <Field
              as="select"
              name="stage"
              label={t("moderation.fields.stage")}
              hint={t("moderation.form.stageHint")}
              error={errors.stage}
              defaultValue={values.stage ?? ""}
              options={[{ value: "", label: t("moderation.form.noStage") }, ...options.stage.map((o) => ({ value: o.key, label: o.label }))]}
            />
          ) : null}
          {open("layers") ? (
            <CheckboxGroup
              name="layers"
              legend={t("moderation.fields.layers")}
              hint={t("moderation.form.layersHint")}
              options={options.layer.map((o) => ({ value: o.key, label: o.label }))}
              checked={lists.layers}
              error={errors.layers}
            />
          ) : null}
          {open("description") ? (
            <Field as="textarea" name="description" rows={6} maxLength={5000} label={t("moderation.fields.description")} error={errors.description} defaultValue={values.description} />
          ) : null}
        </fieldset>
      ) : null}

      {any(GROUPS.where) ? (
        <fieldset className="directory-fieldset">
          <legend>{t("moderation.form.where")}</legend>
          {open("address") ? (
            <Field name="address" label={t("moderation.fields.address")} required maxLength={300} autoComplete="street-address" error={errors.address} defaultValue={values.address} />
          ) : null}
          {open("neighbourhood") ? (
            <Field name="neighbourhood" label={t("moderation.fields.neighbourhood")} maxLength={100} error={errors.neighbourhood} defaultValue={values.neighbourhood} />
          ) : null}
        </fieldset>
      ) : null}
      {any(GROUPS.position) ? <PositionFields state={state} bounds={options.bounds} /> : null}

      {any(GROUPS.contact) ? (
        <fieldset className="directory-fieldset">
          <legend>{t("moderation.form.contact")}</legend>
          {open("contactName") ? <Field name="contactName" label={t("moderation.fields.contactName")} maxLength={150} error={errors.contactName} defaultValue={values.contactName} /> : null}
          {open("contactEmail") ? (
            <Field name="contactEmail" type="email" label={t("moderation.fields.contactEmail")} maxLength={254} error={errors.contactEmail} defaultValue={values.contactEmail} />
          ) : null}
          {open("contactPhone") ? (
            <Field name="contactPhone" type="tel" label={t("moderation.fields.contactPhone")} maxLength={25} error={errors.contactPhone} defaultValue={values.contactPhone} />
          ) : null}
          {open("contactPublic") ? (
            <div className="field">
              <label className="checkbox">
                <input type="checkbox" name="contactPublic" value="on" defaultChecked={values.contactPublic === "on"} aria-describedby="contact-public-hint" />
                <span>{t("moderation.fields.contactPublic")}</span>
              </label>
              <p className="hint" id="contact-public-hint">
                {t("moderation.form.contactPublicHint")}
              </p>
            </div>
          ) : null}
          {open("links") ? (
            <Field
              as="textarea"
              name="links"
              rows={3}
              label={t("moderation.fields.links")}
              hint={t("moderation.form.linksHint", { count: MAX_LINKS })}
              error={errors.links}
              defaultValue={values.links}
            />
          ) : null}
        </fieldset>
      ) : null}

      {any(GROUPS.practical) ? (
        <fieldset className="directory-fieldset">
          <legend>{t("moderation.form.practical")}</legend>
          {open("schedule") ? (
            <Field as="textarea" name="schedule" rows={3} maxLength={1000} label={t("moderation.fields.schedule")} hint={t("moderation.form.scheduleHint")} error={errors.schedule} defaultValue={values.schedule} />
          ) : null}
          {open("languages") ? (
            <CheckboxGroup
              name="languages"
              legend={t("moderation.fields.languages")}
              options={options.languages.map((l) => ({ value: l.code, label: l.label }))}
              checked={languagesChecked}
              error={errors.languages}
            />
          ) : null}
          {open("accessibilityNotes") ? (
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
          ) : null}
        </fieldset>
      ) : null}
    </>
  );
}
