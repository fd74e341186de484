// Form kit, shared by every module. Pair it with `parseForm` (form.server.ts):
//
//   const data = useActionData<typeof action>();
//   <Form method="post" noValidate className="form">
//     <CsrfInput />
//     <ErrorSummary errors={data?.errors} />
//     <Field name="email" type="email" label={t("auth:fields.email")} required
//            error={data?.errors?.email} defaultValue={data?.values?.email} />
//   </Form>
//
// `error` is an i18n key ("ns:key") as returned by parseForm; the kit translates it. A field's
// id is `field-<name>`, so names must be unique on a page. Forms use `noValidate`: the server
// is the one judge, and its messages are the translated, accessible ones.
import { useEffect, useRef, type InputHTMLAttributes, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";

export const fieldId = (name: string) => `field-${name}`;

type Common = {
  name: string;
  label: string;
  hint?: string;
  /** i18n key of the error, if any. */
  error?: string;
  required?: boolean;
};

type InputProps = Common & { as?: "input" } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "required">;
type TextareaProps = Common & { as: "textarea" } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id" | "required">;
type SelectProps = Common & {
  as: "select";
  options: { value: string; label: string }[];
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "id" | "required">;

export type FieldProps = InputProps | TextareaProps | SelectProps;

export function Field(props: FieldProps) {
  const { t } = useTranslation();
  const id = fieldId(props.name);
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const aria = {
    id,
    name: props.name,
    "aria-describedby": describedBy,
    "aria-invalid": props.error ? true : undefined,
    "aria-required": props.required ? true : undefined,
  };
  let control: React.ReactNode;
  if (props.as === "textarea") {
    const { as: _as, label: _l, hint: _h, error: _e, required: _r, name: _n, ...rest } = props;
    control = <textarea {...rest} {...aria} />;
  } else if (props.as === "select") {
    const { as: _as, label: _l, hint: _h, error: _e, required: _r, name: _n, options, ...rest } = props;
    control = (
      <select {...rest} {...aria}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    const { as: _as, label: _l, hint: _h, error: _e, required: _r, name: _n, ...rest } = props;
    control = <input type="text" {...rest} {...aria} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span className="field__required"> {t("common:form.required")}</span> : null}
      </label>
      {props.hint ? (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={errorId}>
          <span className="visually-hidden">{t("common:form.errorPrefix")} </span>
          {t(props.error)}
        </p>
      ) : null}
      {control}
    </div>
  );
}

/**
 * The list of what went wrong, at the top of the form: announced (role=alert), focused when
 * JavaScript runs, each entry a link to its field. `message` is an already translated
 * problem that belongs to no field (wrong credentials, too many attempts).
 */
export function ErrorSummary({ errors, message }: { errors?: Record<string, string> | null; message?: string | null }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors ?? {}).filter(([name]) => name !== "_form");
  const formLevel = errors?._form ? t(errors._form) : null;
  const shown = entries.length > 0 || !!message || !!formLevel;
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, errors, message]);
  if (!shown) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        {entries.length > 0 ? t("common:form.errorSummary", { count: entries.length }) : t("common:form.problem")}
      </h2>
      {message ? <p>{message}</p> : null}
      {formLevel ? <p>{formLevel}</p> : null}
      {entries.length > 0 ? (
        <ul>
          {entries.map(([name, key]) => (
            <li key={name}>
              <a href={`#${fieldId(name)}`}>{t(key)}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A success message after a redirect, announced politely. */
export function Notice({ children }: { children: React.ReactNode }) {
  return (
    <p className="notice-success" role="status">
      {children}
    </p>
  );
}
