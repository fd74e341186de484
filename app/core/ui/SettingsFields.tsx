// The fields of a module's settings form, from the descriptors of
// app/core/modules/settings-form.server.ts. Labels and help texts come from the module's own
// namespace (`<module>:settings.<path>.label` / `.help`, and `.options` for a choice); the
// bounds, the expected format and the default are stated with each field, so that the
// errors (i18n keys without placeholders, shared with the form kit's ErrorSummary) can refer
// to them.
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { SettingField, SettingsFormValues } from "../modules/settings-form.server";
import { Field, fieldId } from "./form";

type Props = {
  moduleId: string;
  fields: SettingField[];
  values: SettingsFormValues;
  errors?: Record<string, string> | null;
};

const frNumber = (n: number) => new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 20 }).format(n);

function optionLabels(t: TFunction, moduleId: string, path: string): Record<string, string> {
  const node = t(`${moduleId}:settings.${path}`, { returnObjects: true }) as unknown;
  const options = node !== null && typeof node === "object" ? (node as { options?: unknown }).options : undefined;
  return options !== null && typeof options === "object" ? (options as Record<string, string>) : {};
}

function optionLabel(labels: Record<string, string>, value: string) {
  return labels[value] ?? value;
}

/** What the form says about a field besides its help text: format, bounds, default. */
function constraints(t: TFunction, field: SettingField, labels: Record<string, string>): string[] {
  const out: string[] = [];
  if (field.kind === "number") {
    out.push(t(field.integer ? "settings.hints.integer" : "settings.hints.decimal"));
    const { min, max, minInclusive, maxInclusive } = field;
    if (min !== undefined && max !== undefined && minInclusive && maxInclusive) out.push(t("settings.hints.between", { min: frNumber(min), max: frNumber(max) }));
    else {
      if (min !== undefined) out.push(t(minInclusive ? "settings.hints.atLeast" : "settings.hints.moreThan", { min: frNumber(min) }));
      if (max !== undefined) out.push(t(maxInclusive ? "settings.hints.atMost" : "settings.hints.lessThan", { max: frNumber(max) }));
    }
    if (field.step !== undefined) out.push(t("settings.hints.step", { step: frNumber(field.step) }));
  }
  if (field.kind === "text") {
    if (field.inputType === "url") out.push(t("settings.hints.url"));
    if (field.prefix) out.push(t("settings.hints.prefix", { prefix: field.prefix }));
    if (field.maxLength !== undefined) out.push(t("settings.hints.maxLength", { max: field.maxLength }));
  }
  if (field.kind === "list") out.push(t("settings.hints.list"));
  const d = field.default;
  if (field.kind === "boolean") {
    if (d !== undefined) out.push(t(d === true ? "settings.defaultOn" : "settings.defaultOff"));
  } else if (d !== undefined && d !== null) {
    let shown: string;
    if (Array.isArray(d)) {
      const items = d.map((v) => (field.kind === "multi" ? optionLabel(labels, String(v)) : String(v)));
      shown = items.length > 0 ? items.join(", ") : t("settings.defaultNone");
    } else if (typeof d === "number") shown = frNumber(d);
    else if (field.kind === "select") shown = optionLabel(labels, String(d));
    else shown = typeof d === "object" ? JSON.stringify(d) : `« ${String(d)} »`;
    if (field.kind !== "group") out.push(t("settings.defaultValue", { value: shown }));
  } else if (field.empty === "absent" || field.empty === "null") {
    if (field.kind !== "group") out.push(t("settings.defaultEmpty"));
  }
  return out;
}

function SettingControl({ moduleId, field, values, errors }: { moduleId: string; field: SettingField; values: SettingsFormValues; errors: Record<string, string> }) {
  const { t } = useTranslation("console-modules");
  const label = t(`${moduleId}:settings.${field.path}.label`);
  const labels = field.kind === "select" || field.kind === "multi" ? optionLabels(t, moduleId, field.path) : {};
  const hint = [t(`${moduleId}:settings.${field.path}.help`), ...constraints(t, field, labels)].join(" ");
  const error = errors[field.name];
  const value = values[field.name];
  const text = typeof value === "string" ? value : "";
  const required = field.empty === "required";
  const id = fieldId(field.name);
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  const errorLine = error ? (
    <p className="field-error" id={`${id}-error`}>
      <span className="visually-hidden">{t("common:form.errorPrefix")} </span>
      {t(error)}
    </p>
  ) : null;

  switch (field.kind) {
    case "group":
      return (
        <fieldset className="settings-group" id={id} aria-describedby={describedBy}>
          <legend>{label}</legend>
          <p className="hint" id={`${id}-hint`}>
            {hint}
          </p>
          {errorLine}
          {field.fields.map((f) => (
            <SettingControl key={f.name} moduleId={moduleId} field={f} values={values} errors={errors} />
          ))}
        </fieldset>
      );
    case "boolean":
      return (
        <div className="field">
          <div className="checkbox settings-checkbox">
            <input type="checkbox" id={id} name={field.name} value="on" defaultChecked={text === "on"} aria-describedby={describedBy} aria-invalid={error ? true : undefined} />
            <label htmlFor={id}>{label}</label>
          </div>
          <p className="hint" id={`${id}-hint`}>
            {hint}
          </p>
          {errorLine}
        </div>
      );
    case "multi": {
      const checked = new Set(Array.isArray(value) ? value : []);
      return (
        <fieldset className="settings-group" aria-describedby={describedBy}>
          <legend>{label}</legend>
          <p className="hint" id={`${id}-hint`}>
            {hint}
          </p>
          {errorLine}
          <ul className="settings-options">
            {field.options.map((option, i) => {
              // The first box carries the field's id: the error summary links to it.
              const boxId = i === 0 ? id : `${id}-${i}`;
              return (
                <li key={option} className="checkbox settings-checkbox">
                  <input type="checkbox" id={boxId} name={field.name} value={option} defaultChecked={checked.has(option)} aria-invalid={error ? true : undefined} />
                  <label htmlFor={boxId}>{optionLabel(labels, option)}</label>
                </li>
              );
            })}
          </ul>
        </fieldset>
      );
    }
    case "select": {
      const options = field.options.map((o) => ({ value: o, label: optionLabel(labels, o) }));
      return (
        <Field
          as="select"
          name={field.name}
          label={label}
          hint={hint}
          error={error}
          required={required}
          defaultValue={text}
          options={required || field.empty === "default" ? options : [{ value: "", label: t("settings.none") }, ...options]}
        />
      );
    }
    case "list":
      return <Field as="textarea" name={field.name} label={label} hint={hint} error={error} required={required} defaultValue={text} rows={Math.max(3, text.split("\n").length + 1)} />;
    case "number":
      // A text input: a number input refuses "1,5" in some browsers, and the server reads
      // French decimals itself.
      return <Field name={field.name} label={label} hint={hint} error={error} required={required} defaultValue={text} inputMode={field.integer ? "numeric" : "decimal"} className="settings-number" />;
    case "text":
      return <Field name={field.name} type={field.inputType} label={label} hint={hint} error={error} required={required} defaultValue={text} maxLength={field.maxLength} />;
  }
}

/** The settings fields, in the schema's order. Put them in a `<Form method="post">` with `<CsrfInput />`. */
export function SettingsFields({ moduleId, fields, values, errors }: Props) {
  return (
    <>
      {fields.map((f) => (
        <SettingControl key={f.name} moduleId={moduleId} field={f} values={values} errors={errors ?? {}} />
      ))}
    </>
  );
}
