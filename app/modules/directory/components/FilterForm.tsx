// The filters of the list and the map: one GET form, so that it works without JavaScript
// and the URL carries the same parameters on both pages.
import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, Field, fieldId } from "~/core/ui/form";
import { PARAM, type ColourBy } from "../filters";
import type { VocabularyOptions } from "../public.server";

export type FilterFormProps = {
  action: string;
  vocabulary: VocabularyOptions;
  languages: { code: string; label: string }[];
  values: Record<string, string | string[]>;
  errors: Record<string, string>;
  /** On the map: how markers are coloured. */
  colourBy?: ColourBy;
  /** Called when a choice changes (not while typing), for the map to apply it at once. */
  onChange?: (form: HTMLFormElement) => void;
};

const asString = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const asList = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

export function FilterForm({ action, vocabulary, languages, values, errors, colourBy, onChange }: FilterFormProps) {
  const { t } = useTranslation("directory");
  const layerError = errors[PARAM.layer];
  const layersChosen = asList(values[PARAM.layer]);
  const open = asString(values[PARAM.openNow]) === "1";
  const form = useRef<HTMLFormElement>(null);
  const { search } = useLocation();
  // The fields are uncontrolled: when the URL changes (another filter, "reset"), React
  // updates their defaults, and reset() shows them. Focus stays where it was.
  useEffect(() => {
    form.current?.reset();
  }, [search]);
  return (
    <Form
      ref={form}
      method="get"
      action={action}
      noValidate
      className="directory-filters"
      aria-labelledby="directory-filters-title"
      onChange={
        onChange
          ? (event) => {
              const target = event.target as HTMLInputElement;
              if (target.type !== "search" && target.type !== "text") onChange(event.currentTarget);
            }
          : undefined
      }
    >
      <h2 id="directory-filters-title" className="directory-filters__title">
        {t("public.filters.title")}
      </h2>
      <ErrorSummary errors={Object.keys(errors).length ? errors : null} />
      <div className="directory-filters__grid">
        <Field
          name={PARAM.q}
          type="search"
          label={t("public.filters.q")}
          hint={t("public.filters.qHint")}
          error={errors[PARAM.q]}
          defaultValue={asString(values[PARAM.q])}
        />
        <Field
          as="select"
          name={PARAM.kind}
          label={t("public.filters.kind")}
          error={errors[PARAM.kind]}
          defaultValue={asString(values[PARAM.kind])}
          options={[{ value: "", label: t("public.filters.anyKind") }, ...vocabulary.kind.map((o) => ({ value: o.key, label: o.label }))]}
        />
        <Field
          as="select"
          name={PARAM.stage}
          label={t("public.filters.stage")}
          error={errors[PARAM.stage]}
          defaultValue={asString(values[PARAM.stage])}
          options={[{ value: "", label: t("public.filters.anyStage") }, ...vocabulary.stage.map((o) => ({ value: o.key, label: o.label }))]}
        />
        <Field
          as="select"
          name={PARAM.language}
          label={t("public.filters.language")}
          error={errors[PARAM.language]}
          defaultValue={asString(values[PARAM.language])}
          options={[{ value: "", label: t("public.filters.anyLanguage") }, ...languages.map((l) => ({ value: l.code, label: l.label }))]}
        />
      </div>
      <fieldset className="directory-filters__layers" aria-describedby={layerError ? `${fieldId(PARAM.layer)}-error` : undefined}>
        <legend>{t("public.filters.layers")}</legend>
        <p className="hint">{t("public.filters.layersHint")}</p>
        {layerError ? (
          <p className="field-error" id={`${fieldId(PARAM.layer)}-error`}>
            {t(layerError)}
          </p>
        ) : null}
        <ul className="directory-checkboxes">
          {vocabulary.layer.map((o, i) => (
            <li key={o.key} className="checkbox">
              <input
                type="checkbox"
                name={PARAM.layer}
                value={o.key}
                id={i === 0 ? fieldId(PARAM.layer) : `${fieldId(PARAM.layer)}-${o.key}`}
                defaultChecked={layersChosen.includes(o.key)}
              />
              <label htmlFor={i === 0 ? fieldId(PARAM.layer) : `${fieldId(PARAM.layer)}-${o.key}`}>{o.label}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="checkbox">
        <input
          type="checkbox"
          name={PARAM.openNow}
          value="1"
          id={fieldId(PARAM.openNow)}
          defaultChecked={open}
          aria-describedby={`${fieldId(PARAM.openNow)}-hint${errors[PARAM.openNow] ? ` ${fieldId(PARAM.openNow)}-error` : ""}`}
        />
        <label htmlFor={fieldId(PARAM.openNow)}>{t("public.filters.openNow")}</label>
      </div>
      <p className="hint" id={`${fieldId(PARAM.openNow)}-hint`}>
        {t("public.filters.openNowHint")}
      </p>
      {errors[PARAM.openNow] ? (
        <p className="field-error" id={`${fieldId(PARAM.openNow)}-error`}>
          {t(errors[PARAM.openNow])}
        </p>
      ) : null}
      {colourBy ? (
        <fieldset className="directory-filters__colour">
          <legend>{t("public.filters.colourBy")}</legend>
          {(["stage", "kind"] as const).map((value) => (
            <div className="checkbox" key={value}>
              <input type="radio" name={PARAM.colourBy} value={value} id={`${fieldId(PARAM.colourBy)}-${value}`} defaultChecked={colourBy === value} />
              <label htmlFor={`${fieldId(PARAM.colourBy)}-${value}`}>{t(`public.filters.colourBy_${value}`)}</label>
            </div>
          ))}
        </fieldset>
      ) : null}
      <div className="directory-filters__actions">
        <button type="submit" className="button">
          {t("public.filters.apply")}
        </button>
        <Link to={action} className="button button--secondary">
          {t("public.filters.reset")}
        </Link>
      </div>
    </Form>
  );
}
