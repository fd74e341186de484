// Form pieces of the roles pages whose messages arrive already translated: the refusals of
// the permission core (RoleDefinitionError, PermissionRulesError) name the role, the rule or
// the cell at fault, which a bare i18n key cannot. Same markup and classes as the form kit.
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

/**
 * What went wrong, above the form: announced, focused when JavaScript runs, each entry tied
 * to a control linking to it (`errors`, by element id), then the problems tied to none.
 */
export function MessageSummary({ errors, messages, intro }: { errors?: Record<string, string> | null; messages?: string[] | null; intro?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const linked = Object.entries(errors ?? {});
  const loose = messages ?? [];
  const count = linked.length + loose.length;
  useEffect(() => {
    if (count > 0) ref.current?.focus();
  }, [count, errors, messages]);
  if (count === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        {t("common:form.errorSummary", { count })}
      </h2>
      {intro ? <p>{intro}</p> : null}
      <ul>
        {linked.map(([id, message]) => (
          <li key={id}>
            <a href={`#${id}`}>{message}</a>
          </li>
        ))}
        {loose.map((message, i) => (
          <li key={i}>{message}</li>
        ))}
      </ul>
    </div>
  );
}

/** The message under a control, linked to it by aria-describedby (`<id>-error`). */
export function ControlError({ id, message }: { id: string; message?: string | null }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <p className="field-error" id={`${id}-error`}>
      <span className="visually-hidden">{t("common:form.errorPrefix")} </span>
      {message}
    </p>
  );
}

export const describedBy = (...ids: Array<string | false | null | undefined>) => ids.filter(Boolean).join(" ") || undefined;

type TextFieldProps = { id: string; name: string; label: string; hint?: string; error?: string | null; required?: boolean; defaultValue?: string; maxLength?: number };

export function TextField({ id, name, label, hint, error, required, defaultValue, maxLength }: TextFieldProps) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span className="field__required"> {t("common:form.required")}</span> : null}
      </label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <ControlError id={id} message={error} />
      <input
        type="text"
        id={id}
        name={name}
        defaultValue={defaultValue}
        maxLength={maxLength}
        aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
        aria-invalid={error ? true : undefined}
        aria-required={required ? true : undefined}
      />
    </div>
  );
}

type SelectFieldProps = { id: string; name: string; label: string; error?: string | null; defaultValue?: string; options: { value: string; label: string }[] };

export function SelectField({ id, name, label, error, defaultValue, options }: SelectFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <ControlError id={id} message={error} />
      <select id={id} name={name} defaultValue={defaultValue} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? true : undefined}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
