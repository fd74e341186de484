// A module's settings form, generated from its zod settings schema (`manifest.settings`):
// `describeSettings` turns the schema into field descriptors the console renders
// (app/core/ui/SettingsFields.tsx), and `parseSettingsForm` turns the submitted form back into
// a settings object validated by the module's own schema. A zod type this file cannot render
// throws `UnsupportedSettingError`: a setting that silently vanished from the form could never
// be changed, so a module declaring one fails its test (settings-form.server.test.ts walks
// every registered module) rather than shipping a form with a hole in it.
import { z } from "zod";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What an empty input means for this setting. */
export type EmptyMeaning =
  /** The schema's default applies. */
  | "default"
  /** The key is left out (`.optional()`). */
  | "absent"
  /** The value is null (`.nullable()`). */
  | "null"
  /** A value is required. */
  | "required";

type Base = {
  /** Dotted path in the settings object (`map.zoom`): its i18n key under `<module>:settings.` */
  path: string;
  /** The form field's name (and, through the form kit, its id `field-<name>`). */
  name: string;
  empty: EmptyMeaning;
  /** The schema's default, when it declares one. */
  default?: Json;
};

export type TextInputType = "text" | "url" | "email";

export type SettingField =
  | (Base & { kind: "boolean" })
  | (Base & { kind: "number"; integer: boolean; min?: number; minInclusive?: boolean; max?: number; maxInclusive?: boolean; step?: number })
  | (Base & { kind: "text"; inputType: TextInputType; prefix?: string; minLength?: number; maxLength?: number })
  | (Base & { kind: "select"; options: string[] })
  /** An array of strings: a textarea, one value per line. */
  | (Base & { kind: "list"; inputType: TextInputType })
  /** An array of enum values: one checkbox per option. */
  | (Base & { kind: "multi"; options: string[] })
  /** A nested object: a fieldset of its own fields. */
  | (Base & { kind: "group"; fields: SettingField[] });

/** Form values as the form shows them: one string per field, several for a `multi`. */
export type SettingsFormValues = Record<string, string | string[]>;

export class UnsupportedSettingError extends Error {
  constructor(
    readonly path: string,
    readonly zodType: string,
  ) {
    super(`settings form: no form control for ${zodType} at "${path || "(root)"}"; support it in app/core/modules/settings-form.server.ts`);
  }
}

/** Form field names are prefixed, so that no setting can collide with the form's own fields (csrf, intent). */
export const SETTINGS_FIELD_PREFIX = "settings.";

type Unwrapped = { schema: z.ZodTypeAny; optional: boolean; nullable: boolean; default?: Json };

/** Strips the wrappers that change what "empty" means, or only add checks the final parse runs. */
function unwrap(schema: z.ZodTypeAny): Unwrapped {
  let optional = false;
  let nullable = false;
  let defaultValue: Json | undefined;
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional) {
      optional = true;
      current = current._def.innerType;
    } else if (current instanceof z.ZodNullable) {
      nullable = true;
      current = current._def.innerType;
    } else if (current instanceof z.ZodDefault) {
      // The outermost default is the one that applies.
      if (defaultValue === undefined) defaultValue = current._def.defaultValue() as Json;
      current = current._def.innerType;
    } else if (current instanceof z.ZodEffects) {
      // refine / superRefine / transform: the control is the inner type's; the module's
      // schema, effects included, judges the submitted value.
      current = current._def.schema;
    } else if (current instanceof z.ZodBranded || current instanceof z.ZodReadonly) {
      current = current instanceof z.ZodBranded ? current._def.type : current._def.innerType;
    } else {
      return { schema: current, optional, nullable, default: defaultValue };
    }
  }
}

function emptyMeaning(u: Unwrapped): EmptyMeaning {
  if (u.default !== undefined) return "default";
  if (u.optional) return "absent";
  if (u.nullable) return "null";
  return "required";
}

function stringControl(schema: z.ZodString): { inputType: TextInputType; prefix?: string; minLength?: number; maxLength?: number } {
  const out: { inputType: TextInputType; prefix?: string; minLength?: number; maxLength?: number } = { inputType: "text" };
  for (const check of schema._def.checks) {
    if (check.kind === "url") out.inputType = "url";
    else if (check.kind === "email") out.inputType = "email";
    else if (check.kind === "startsWith") out.prefix = check.value;
    else if (check.kind === "min") out.minLength = check.value;
    else if (check.kind === "max") out.maxLength = check.value;
    else if (check.kind === "length") out.minLength = out.maxLength = check.value;
  }
  return out;
}

function typeName(schema: z.ZodTypeAny): string {
  return (schema._def as { typeName?: string }).typeName ?? schema.constructor.name;
}

function describeField(path: string, schema: z.ZodTypeAny): SettingField {
  const u = unwrap(schema);
  const base: Base = { path, name: SETTINGS_FIELD_PREFIX + path, empty: emptyMeaning(u), ...(u.default !== undefined && { default: u.default }) };
  const s = u.schema;
  if (s instanceof z.ZodBoolean) return { ...base, kind: "boolean" };
  if (s instanceof z.ZodNumber) {
    const field: SettingField = { ...base, kind: "number", integer: false };
    for (const check of s._def.checks) {
      if (check.kind === "int") field.integer = true;
      else if (check.kind === "min") Object.assign(field, { min: check.value, minInclusive: check.inclusive });
      else if (check.kind === "max") Object.assign(field, { max: check.value, maxInclusive: check.inclusive });
      else if (check.kind === "multipleOf") field.step = check.value;
    }
    return field;
  }
  if (s instanceof z.ZodString) return { ...base, kind: "text", ...stringControl(s) };
  if (s instanceof z.ZodEnum) return { ...base, kind: "select", options: [...(s.options as string[])] };
  if (s instanceof z.ZodArray) {
    const item = unwrap(s._def.type);
    if (item.schema instanceof z.ZodString) return { ...base, kind: "list", inputType: stringControl(item.schema).inputType };
    if (item.schema instanceof z.ZodEnum) return { ...base, kind: "multi", options: [...(item.schema.options as string[])] };
    throw new UnsupportedSettingError(`${path}[]`, typeName(item.schema));
  }
  if (s instanceof z.ZodObject) return { ...base, kind: "group", fields: describeObject(s, path + ".") };
  throw new UnsupportedSettingError(path, typeName(s));
}

function describeObject(schema: z.ZodObject<z.ZodRawShape>, prefix: string): SettingField[] {
  return Object.entries(schema.shape).map(([key, child]) => describeField(prefix + key, child as z.ZodTypeAny));
}

/** The form fields of a module's settings schema, in declaration order. */
export function describeSettings(schema: z.ZodTypeAny): SettingField[] {
  const root = unwrap(schema).schema;
  if (!(root instanceof z.ZodObject)) throw new UnsupportedSettingError("", typeName(root));
  return describeObject(root, "");
}

/** Every leaf field (groups flattened), for code that walks them all. */
export function leafFields(fields: SettingField[]): SettingField[] {
  return fields.flatMap((f) => (f.kind === "group" ? leafFields(f.fields) : [f]));
}

// --- Values shown in the form ------------------------------------------------------------

/** A number as a French user writes it: decimal comma, no grouping (so it reads back as typed). */
export function formatSettingNumber(n: number): string {
  return String(n).replace(".", ",");
}

function getPath(settings: unknown, path: string): unknown {
  let node = settings;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function displayValue(field: SettingField, value: unknown): string | string[] {
  switch (field.kind) {
    case "boolean":
      return value === true ? "on" : "";
    case "number":
      return typeof value === "number" ? formatSettingNumber(value) : value == null ? "" : String(value);
    case "list":
      return Array.isArray(value) ? value.map(String).join("\n") : "";
    case "multi":
      return Array.isArray(value) ? value.map(String) : [];
    default:
      return value == null ? "" : String(value);
  }
}

/** The form's values for the settings as they apply (defaults included). */
export function settingsFormValues(fields: SettingField[], settings: unknown): SettingsFormValues {
  const out: SettingsFormValues = {};
  for (const f of leafFields(fields)) out[f.name] = displayValue(f, getPath(settings, f.path));
  return out;
}

/**
 * The settings as they apply for a stored value: parsed by the schema (defaults filled in);
 * a stored value that no longer validates (a setting changed since) is shown as stored, so
 * that staff see it and correct it.
 */
export function effectiveSettings(schema: z.ZodTypeAny, stored: unknown): { settings: Record<string, unknown>; valid: boolean } {
  const parsed = schema.safeParse(stored ?? {});
  if (parsed.success) return { settings: parsed.data as Record<string, unknown>, valid: true };
  return { settings: (stored ?? {}) as Record<string, unknown>, valid: false };
}

// --- Reading the submitted form ----------------------------------------------------------

/** Lenient about how French users type numbers: "1,5", "1.5", "1 000" (spaces, non-breaking or not). */
export function parseSettingNumber(raw: string): number | null {
  const compact = raw.replace(/[\s\u00a0\u202f]/g, "");
  if (!/^[+-]?\d+(?:[.,]\d+)?$/.test(compact)) return null;
  return Number(compact.replace(",", "."));
}

const CONSOLE_NS = "console-modules";
const I18N_KEY = /^[a-z][\w-]*:[\w.-]+$/;

/** The i18n key (no placeholder: the form kit's summary translates it as is) of a zod issue on `field`. */
export function settingIssueKey(issue: z.ZodIssue, field: SettingField | undefined): string {
  // A module names its own message by passing a key, e.g. `.refine(..., "directory:settings.errors.x")`.
  if (I18N_KEY.test(issue.message)) return issue.message;
  const onItem = field !== undefined && issue.path.length > field.path.split(".").length;
  if (onItem && (field.kind === "list" || field.kind === "multi")) return `${CONSOLE_NS}:errors.listItem`;
  switch (issue.code) {
    case "invalid_type":
      if (issue.received === "undefined" || issue.received === "null") return "common:form.errors.required";
      if (issue.expected === "integer") return `${CONSOLE_NS}:errors.integer`;
      return field?.kind === "number" ? `${CONSOLE_NS}:errors.number` : "common:form.errors.invalid";
    case "too_small":
    case "too_big":
      if (issue.type === "number") return `${CONSOLE_NS}:errors.range`;
      if (issue.type === "array") return `${CONSOLE_NS}:errors.listSize`;
      return issue.code === "too_small" ? "common:form.errors.tooShort" : "common:form.errors.tooLong";
    case "not_multiple_of":
      return `${CONSOLE_NS}:errors.step`;
    case "invalid_string":
      if (issue.validation === "url") return `${CONSOLE_NS}:errors.url`;
      if (issue.validation === "email") return "common:form.errors.email";
      if (typeof issue.validation === "object" && "startsWith" in issue.validation) return `${CONSOLE_NS}:errors.prefix`;
      return `${CONSOLE_NS}:errors.format`;
    case "invalid_enum_value":
      return "common:form.errors.choice";
    default:
      return "common:form.errors.invalid";
  }
}

export type SettingsParseResult =
  | { ok: true; settings: Record<string, unknown> }
  | { ok: false; errors: Record<string, string>; values: SettingsFormValues };

type Read = { value: unknown; error?: string };

function readEmpty(field: SettingField): unknown {
  // `undefined` lets the schema apply its default, leaves an optional key out, or makes a
  // required one report "required".
  return field.empty === "null" ? null : undefined;
}

function readField(field: SettingField, form: FormData): Read {
  const all = form.getAll(field.name).filter((v): v is string => typeof v === "string");
  const raw = (all[0] ?? "").trim();
  switch (field.kind) {
    case "boolean":
      // An unticked box sends nothing: the form shows every setting, so absent means false.
      return { value: all.length > 0 };
    case "number": {
      if (raw === "") return { value: readEmpty(field) };
      const n = parseSettingNumber(raw);
      return n === null ? { value: raw, error: `${CONSOLE_NS}:errors.number` } : { value: n };
    }
    case "list": {
      const lines = (all[0] ?? "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "");
      // An emptied list is a choice ("none"), unless the setting may be left out altogether.
      if (lines.length === 0) return { value: field.empty === "absent" || field.empty === "null" ? readEmpty(field) : [] };
      return { value: lines };
    }
    case "multi":
      return { value: all.filter((v) => v !== "") };
    case "group":
      return { value: undefined };
    default:
      return { value: raw === "" ? readEmpty(field) : raw };
  }
}

function readObject(fields: SettingField[], form: FormData, errors: Record<string, string>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const field of fields) {
    const key = field.path.slice(field.path.lastIndexOf(".") + 1);
    let value: unknown;
    if (field.kind === "group") {
      value = readObject(field.fields, form, errors);
      // A nested object left entirely empty is absent (its default, or left out when optional).
      if (value === undefined && field.empty === "null") value = null;
    } else {
      const read = readField(field, form);
      if (read.error) errors[field.name] = read.error;
      value = read.value;
    }
    if (value !== undefined) {
      out[key] = value;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** What the user typed, to show the form again. */
export function submittedValues(fields: SettingField[], form: FormData): SettingsFormValues {
  const out: SettingsFormValues = {};
  for (const f of leafFields(fields)) {
    const all = form.getAll(f.name).filter((v): v is string => typeof v === "string");
    out[f.name] = f.kind === "multi" ? all : f.kind === "boolean" ? (all.length > 0 ? "on" : "") : (all[0] ?? "");
  }
  return out;
}

function fieldIndex(fields: SettingField[], into = new Map<string, SettingField>()): Map<string, SettingField> {
  for (const f of fields) {
    into.set(f.path, f);
    if (f.kind === "group") fieldIndex(f.fields, into);
  }
  return into;
}

/** The deepest field an issue's path falls in (an array index falls in its list). */
function fieldOfIssue(index: Map<string, SettingField>, path: (string | number)[]): SettingField | undefined {
  for (let i = path.length; i > 0; i--) {
    const found = index.get(path.slice(0, i).join("."));
    if (found) return found;
  }
  return undefined;
}

/**
 * The settings the form submitted, validated by `schema` (the module's own): numbers read in
 * the French way, an empty optional setting left out, an empty one with a default given its
 * default. On failure: an i18n key per field name (`_form` for the object as a whole) and
 * the values as typed.
 */
export function parseSettingsForm(schema: z.ZodTypeAny, form: FormData, fields: SettingField[] = describeSettings(schema)): SettingsParseResult {
  const errors: Record<string, string> = {};
  const raw = readObject(fields, form, errors) ?? {};
  const result = schema.safeParse(raw);
  if (result.success && Object.keys(errors).length === 0) return { ok: true, settings: result.data as Record<string, unknown> };
  if (!result.success) {
    const index = fieldIndex(fields);
    for (const issue of result.error.issues) {
      const field = fieldOfIssue(index, issue.path);
      const name = field ? field.name : "_form";
      // A value that could not even be read keeps its own, more precise message.
      errors[name] ??= settingIssueKey(issue, field);
    }
  }
  return { ok: false, errors, values: submittedValues(fields, form) };
}
