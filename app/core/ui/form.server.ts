// Server half of the form kit (see form.tsx for the components).
//
//   const parsed = parseForm(schema, form);
//   if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
//
// Error values are i18n keys ("ns:key"), never zod's English messages. A schema names its own
// message by passing a key, e.g. `z.string().min(10, "auth:errors.passwordTooShort")`; any
// other issue falls back to a generic key of `common:form.errors`.
import type { z } from "zod";
import { CSRF_FIELD } from "../http/csrf.server";

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues };

const I18N_KEY = /^[a-z][\w-]*:[\w.-]+$/;

export function issueKey(issue: z.ZodIssue): string {
  if (I18N_KEY.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return issue.received === "undefined" ? "common:form.errors.required" : "common:form.errors.invalid";
    case "too_small":
      return issue.type === "string" && Number(issue.minimum) <= 1 ? "common:form.errors.required" : "common:form.errors.tooShort";
    case "too_big":
      return "common:form.errors.tooLong";
    case "invalid_string":
      return issue.validation === "email" ? "common:form.errors.email" : "common:form.errors.invalid";
    case "invalid_enum_value":
      return "common:form.errors.choice";
    default:
      return "common:form.errors.invalid";
  }
}

/** What to send back so the form shows what the user typed: never the CSRF token nor a password. */
export function formValues(formData: FormData): FormValues {
  const values: FormValues = {};
  for (const [name, value] of formData.entries()) {
    if (typeof value !== "string" || name === CSRF_FIELD || /password/i.test(name)) continue;
    values[name] ??= value;
  }
  return values;
}

/**
 * Empty fields arrive as "" from a browser: they become `undefined`, so that a required field
 * reports "required" and an optional one (`.optional()`) passes. A name repeated in the form
 * (checkboxes) becomes an array.
 */
function formObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(formData.keys())) {
    const all = formData.getAll(name).filter((v): v is string => typeof v === "string");
    if (all.length > 1) out[name] = all;
    else out[name] = all[0] === "" ? undefined : all[0];
  }
  return out;
}

export function parseForm<S extends z.ZodTypeAny>(schema: S, formData: FormData): ParseResult<z.output<S>> {
  const result = schema.safeParse(formObject(formData));
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join(".") || "_form";
    errors[field] ??= issueKey(issue);
  }
  return { ok: false, errors, values: formValues(formData) };
}
