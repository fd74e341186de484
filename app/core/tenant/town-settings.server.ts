// The town settings of the staff console (/admin/commune…): one form per section, each
// validated here with i18n keys as messages, saved as overrides over the operator's
// tenant.json (settings.server.ts) and audited with the values before and after.
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { recordAudit, staffActor, type AuditEntry } from "../audit.server";
import type { SessionUser } from "../auth/session.server";
import type { Tx } from "../db/db.server";
import { formValues, type FieldErrors, type FormValues } from "../ui/form.server";
import { AA_NORMAL, contrastRatio } from "../ui/contrast";
import { LOCALES, type Locale, type StoredTenantDefinition } from "./definition";
import { applyOverrides, readTenantOverrides, saveTenantOverrides, type TenantOverrides } from "./settings.server";
import { invalidateTenantCache } from "./tenant.server";
import { ACCESSIBILITY_STATUSES, NAME_MAX } from "./town-settings";

const NS = "console-town";
const k = (key: string) => `${NS}:${key}`;

export const TOWN_SECTIONS = ["identity", "theme", "logo", "map", "locales", "legal"] as const;
export type TownSection = (typeof TOWN_SECTIONS)[number];

/** The stored overrides each section writes (and "return to the platform's value" removes). */
export const SECTION_KEYS = {
  identity: ["name"],
  theme: ["theme"],
  logo: ["logo"],
  map: ["map"],
  locales: ["locales", "timeZone"],
  legal: ["legal", "accessibility"],
} as const satisfies Record<TownSection, readonly (keyof TenantOverrides)[]>;

/** Where each section's page is. */
export const SECTION_PATHS: Record<TownSection, string> = {
  identity: "/admin/commune/identite",
  theme: "/admin/commune/couleurs",
  logo: "/admin/commune/logo",
  map: "/admin/commune/carte",
  locales: "/admin/commune/langues",
  legal: "/admin/commune/mentions",
};

/** A section's value as it applies, in the shape the audit log records. */
export function sectionValue(definition: StoredTenantDefinition, overrides: TenantOverrides, section: TownSection): unknown {
  switch (section) {
    case "identity":
      return { name: definition.name };
    case "theme":
      return { primary: definition.theme.primary, accent: definition.theme.accent };
    case "logo":
      return overrides.logo ? { source: "console", ...overrides.logo } : { source: "platform", hasLogo: definition.hasLogo };
    case "map":
      return definition.map;
    case "locales":
      return { locales: definition.locales, timeZone: definition.timeZone };
    case "legal":
      return { legal: definition.legal, accessibility: definition.accessibility };
  }
}

/** The operator's definition (tenant.json as `tenants:sync` stored it), before any override. */
export async function platformDefinition(tx: Tx, tenantId: string): Promise<StoredTenantDefinition> {
  const row = await tx.selectFrom("tenants").select("definition").where("id", "=", tenantId).executeTakeFirstOrThrow();
  return row.definition as StoredTenantDefinition;
}

export type TownSettingsState = {
  /** The operator's values. */
  platform: StoredTenantDefinition;
  /** What applies: the operator's values with the staff's over them. */
  current: StoredTenantDefinition;
  overrides: TenantOverrides;
  /** Sections changed in the console (at least one of their keys is overridden). */
  changed: Record<TownSection, boolean>;
};

/** Read in the request's transaction, so a page shows what was just saved, whatever the tenant cache holds. */
export async function townSettingsState(tx: Tx, tenantId: string): Promise<TownSettingsState> {
  const [platform, overrides] = await Promise.all([platformDefinition(tx, tenantId), readTenantOverrides(tx)]);
  const { definition } = applyOverrides(platform, overrides);
  const changed = Object.fromEntries(TOWN_SECTIONS.map((s) => [s, SECTION_KEYS[s].some((key) => overrides[key] !== undefined)])) as Record<TownSection, boolean>;
  return { platform, current: definition, overrides, changed };
}

/** What applies now for an override key, in the shape the override stores. */
function appliedValue(definition: StoredTenantDefinition, key: keyof TenantOverrides): unknown {
  switch (key) {
    case "theme":
      return { primary: definition.theme.primary, accent: definition.theme.accent };
    case "name":
    case "map":
    case "locales":
    case "timeZone":
    case "legal":
    case "accessibility":
      return definition[key];
    default:
      return undefined;
  }
}

export type SectionChange = { set: Partial<TenantOverrides> } | { revert: true };

/**
 * Writes a section's change and its audit entry (`town.<section>`, the values that applied
 * before and after) in the caller's transaction. Setting writes only the keys whose value
 * differs from what applies, so that saving the legal notice does not freeze the
 * accessibility statement of the operator's file (and the reverse); reverting removes the
 * section's overrides. Returns false, having written nothing, when nothing would change.
 */
export async function saveTownSection(
  tx: Tx,
  input: { tenantId: string; section: TownSection; change: SectionChange; actor: AuditEntry["actor"] },
): Promise<boolean> {
  const keys = SECTION_KEYS[input.section] as readonly (keyof TenantOverrides)[];
  const state = await townSettingsState(tx, input.tenantId);
  let patch: Partial<TenantOverrides>;
  if ("revert" in input.change) {
    patch = Object.fromEntries(keys.filter((key) => state.overrides[key] !== undefined).map((key) => [key, undefined]));
  } else {
    const set = input.change.set;
    const foreign = Object.keys(set).filter((key) => !keys.includes(key as keyof TenantOverrides));
    if (foreign.length) throw new Error(`saveTownSection(${input.section}): ${foreign.join(", ")} belong to another section`);
    patch = Object.fromEntries(Object.entries(set).filter(([key, value]) => key === "logo" || !sameJson(appliedValue(state.current, key as keyof TenantOverrides), value)));
  }
  if (Object.keys(patch).length === 0) return false;
  const { before, after } = await saveTenantOverrides(tx, input.tenantId, patch);
  await recordAudit(tx, {
    actor: input.actor,
    action: `town.${input.section}`,
    subject: { type: "town", id: input.section },
    before: sectionValue(applyOverrides(state.platform, before).definition, before, input.section),
    after: sectionValue(applyOverrides(state.platform, after).definition, after, input.section),
  });
  return true;
}

export type TownNotice = "saved" | "reverted" | "unchanged";

/** The notice a section page shows after the redirect that followed its form (?ok=…). */
export function noticeOf(request: Request): TownNotice | null {
  const ok = new URL(request.url).searchParams.get("ok");
  return ok === "saved" || ok === "reverted" || ok === "unchanged" ? ok : null;
}

/**
 * The end of a section's action: saves the change with its audit entry, has this process
 * forget the cached tenant once committed, and redirects to the section's page with its notice.
 */
export async function commitTownSection(
  ctx: { tx: Tx; tenant: { id: string }; requireUser: () => SessionUser; afterCommit: (fn: () => void) => void },
  section: TownSection,
  change: SectionChange,
): Promise<Response> {
  const done = await saveTownSection(ctx.tx, { tenantId: ctx.tenant.id, section, change, actor: staffActor(ctx.requireUser()) });
  if (done) ctx.afterCommit(invalidateTenantCache);
  const notice: TownNotice = done ? ("revert" in change ? "reverted" : "saved") : "unchanged";
  return redirect(`${SECTION_PATHS[section]}?ok=${notice}`);
}

/** Equal as JSON, whatever the order of object keys (jsonb does not keep it). */
function sameJson(a: unknown, b: unknown) {
  const stable = (v: unknown): unknown =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)).map(([key, x]) => [key, stable(x)]))
      : Array.isArray(v)
        ? v.map(stable)
        : v;
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}

export type FormFailure = { ok: false; errors: FieldErrors; values: FormValues };
type FormResult<T> = { ok: true; data: T } | FormFailure;

/** Field errors as the form kit expects them: the first i18n key per field. */
function failure(error: z.ZodError, form: FormData): FormFailure {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[issue.path.join(".") || "_form"] ??= issue.message;
  return { ok: false, errors, values: formValues(form) };
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

// ---------------------------------------------------------------------------------------
// Identity

export function parseIdentityForm(form: FormData): FormResult<{ name: string }> {
  const schema = z.object({
    name: z.string().trim().min(1, k("identity.errors.nameRequired")).max(NAME_MAX, k("identity.errors.nameTooLong")),
  });
  const result = schema.safeParse({ name: text(form, "name") });
  return result.success ? { ok: true, data: result.data } : failure(result.error, form);
}

// ---------------------------------------------------------------------------------------
// Colours

/**
 * Every pairing of a town colour with a text or background colour that the stylesheets
 * make (app/styles/app.css; /theme.css sets --brand and --accent):
 * - white text on the primary colour: the header, buttons, the current page of a
 *   pagination, map clusters; and the primary colour as text on the white page (links,
 *   secondary buttons, the skip link): the same two colours, the same ratio;
 * - the primary colour as text on the light grey surface (--surface: links of the footer,
 *   notes);
 * - white text on the accent colour: app.css does not use the accent yet, but the platform
 *   already requires it of every town (tenants:sync, the operator's new-town form) so that
 *   it can be used as a background for white text.
 * `THEME_BACKGROUNDS` must match app.css's :root (a unit test compares them).
 */
export const THEME_BACKGROUNDS = { white: "#ffffff", surface: "#f6f7f9" } as const;

export const THEME_PAIRS = [
  { id: "primaryWithWhite", colour: "primary", against: THEME_BACKGROUNDS.white },
  { id: "primaryOnSurface", colour: "primary", against: THEME_BACKGROUNDS.surface },
  { id: "accentWithWhite", colour: "accent", against: THEME_BACKGROUNDS.white },
] as const;

export type ThemeColours = { primary: string; accent: string };
export type ContrastFailure = { pair: (typeof THEME_PAIRS)[number]["id"]; colour: keyof ThemeColours; ratio: number };

/** The pairings below WCAG AA for normal text (4.5:1), in THEME_PAIRS order. */
export function themeContrastFailures(theme: ThemeColours): ContrastFailure[] {
  return THEME_PAIRS.flatMap((p) => {
    const ratio = contrastRatio(theme[p.colour], p.against);
    return ratio < AA_NORMAL ? [{ pair: p.id, colour: p.colour, ratio }] : [];
  });
}

/**
 * "4,49" (fr-FR). Rounded down: 4.496 shown as "4,5" next to "at least 4,5" would read as a
 * pass, and the rule is applied to the exact ratio.
 */
export function formatRatio(ratio: number): string {
  return new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(Math.floor(ratio * 100) / 100);
}

const HEX = /^#?([0-9a-f]{6})$/i;

/**
 * A colour arrives twice, from the colour picker and from the text field (which works
 * without the picker, or when a browser has none). With scripts the page keeps them equal;
 * without, the one the user changed from the value shown (`<name>Shown`) wins, the typed text
 * when both changed.
 */
function submittedColour(form: FormData, name: keyof ThemeColours): string {
  const typed = text(form, name).trim();
  const picked = text(form, `${name}Picker`).trim().toLowerCase();
  const shown = text(form, `${name}Shown`).trim().toLowerCase();
  const typedChanged = typed !== "" && typed.toLowerCase().replace(/^#?/, "#") !== shown;
  if (!typedChanged && HEX.test(picked) && picked !== shown) return picked;
  return typed;
}

export type ThemeFailure = FormFailure & { contrast: Partial<Record<keyof ThemeColours, { pair: ContrastFailure["pair"]; ratio: string }[]>> };

export function parseThemeForm(form: FormData): { ok: true; data: ThemeColours } | ThemeFailure {
  const colour = (name: keyof ThemeColours) =>
    z
      .string()
      .trim()
      .min(1, k(`theme.errors.${name}Required`))
      .regex(HEX, k("theme.errors.format"))
      .transform((c) => `#${HEX.exec(c)![1].toLowerCase()}`);
  const schema = z.object({ primary: colour("primary"), accent: colour("accent") });
  const raw = { primary: submittedColour(form, "primary"), accent: submittedColour(form, "accent") };
  const values = { ...formValues(form), ...raw };
  const result = schema.safeParse(raw);
  if (!result.success) return { ...failure(result.error, form), values, contrast: {} };
  const failures = themeContrastFailures(result.data);
  if (failures.length === 0) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  const contrast: ThemeFailure["contrast"] = {};
  for (const f of failures) {
    errors[f.colour] = k(`theme.errors.${f.colour}Unreadable`);
    (contrast[f.colour] ??= []).push({ pair: f.pair, ratio: formatRatio(f.ratio) });
  }
  return { ok: false, errors, values, contrast };
}

// ---------------------------------------------------------------------------------------
// Map

export type TownMap = StoredTenantDefinition["map"];

/** "50,6268" as typed in French, or "50.6268"; kept to 6 decimals (about 10 cm). */
const coordinate = (min: number, max: number, key: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v.trim().replace(",", ".")) : undefined),
    z
      .number({ required_error: k("map.errors.required"), invalid_type_error: k("map.errors.number") })
      .finite(k("map.errors.number"))
      .min(min, k(key))
      .max(max, k(key))
      .transform((n) => Math.round(n * 1e6) / 1e6),
  );

export const MAP_FIELDS = ["centerLng", "centerLat", "zoom", "west", "south", "east", "north"] as const;

export function parseMapForm(form: FormData): FormResult<TownMap> {
  const longitude = () => coordinate(-180, 180, "map.errors.longitude");
  const latitude = () => coordinate(-90, 90, "map.errors.latitude");
  const schema = z
    .object({
      centerLng: longitude(),
      centerLat: latitude(),
      zoom: coordinate(0, 22, "map.errors.zoom"),
      west: longitude(),
      south: latitude(),
      east: longitude(),
      north: latitude(),
    })
    .superRefine((m, ctx) => {
      const eastOk = m.west < m.east;
      const northOk = m.south < m.north;
      if (!eastOk) ctx.addIssue({ code: "custom", path: ["east"], message: k("map.errors.westEast") });
      if (!northOk) ctx.addIssue({ code: "custom", path: ["north"], message: k("map.errors.southNorth") });
      if (eastOk && !(m.centerLng >= m.west && m.centerLng <= m.east)) ctx.addIssue({ code: "custom", path: ["centerLng"], message: k("map.errors.centreOutsideLng") });
      if (northOk && !(m.centerLat >= m.south && m.centerLat <= m.north)) ctx.addIssue({ code: "custom", path: ["centerLat"], message: k("map.errors.centreOutsideLat") });
    });
  const result = schema.safeParse(Object.fromEntries(MAP_FIELDS.map((name) => [name, text(form, name)])));
  if (!result.success) return failure(result.error, form);
  const m = result.data;
  return {
    ok: true,
    data: {
      center: [m.centerLng, m.centerLat],
      zoom: m.zoom,
      bounds: [
        [m.west, m.south],
        [m.east, m.north],
      ],
    },
  };
}

/** The map as the form's fields, for display ("." decimals, as number inputs need). */
export function mapFields(map: TownMap): Record<(typeof MAP_FIELDS)[number], string> {
  const [[west, south], [east, north]] = map.bounds;
  return { centerLng: String(map.center[0]), centerLat: String(map.center[1]), zoom: String(map.zoom), west: String(west), south: String(south), east: String(east), north: String(north) };
}

// ---------------------------------------------------------------------------------------
// Languages and time zone

/** The IANA time zones this runtime knows, the town's current one included whatever it is. */
export function timeZoneChoices(current: string): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes(current) ? zones : [current, ...zones];
}

export type TownLocales = { locales: { default: Locale; enabled: Locale[] }; timeZone: string };

export function parseLocalesForm(form: FormData, currentTimeZone: string): FormResult<TownLocales> {
  const zones = new Set(timeZoneChoices(currentTimeZone));
  const schema = z
    .object({
      enabled: z.array(z.enum(LOCALES, { errorMap: () => ({ message: k("locales.errors.unknown") }) })).min(1, k("locales.errors.noneEnabled")),
      default: z.enum(LOCALES, { errorMap: () => ({ message: k("locales.errors.defaultRequired") }) }),
      timeZone: z.string().refine((tz) => zones.has(tz), k("locales.errors.timeZone")),
    })
    .refine((l) => l.enabled.length === 0 || l.enabled.includes(l.default), { path: ["default"], message: k("locales.errors.defaultNotEnabled") });
  const enabled = form.getAll("enabled").filter((v): v is string => typeof v === "string");
  const result = schema.safeParse({ enabled, default: text(form, "default") || undefined, timeZone: text(form, "timeZone") });
  if (!result.success) {
    const out = failure(result.error, form);
    // One message for the group of boxes, wherever in the list the problem was.
    const errors = Object.fromEntries(Object.entries(out.errors).map(([field, key]) => [field.startsWith("enabled.") ? "enabled" : field, key]));
    // Checkboxes repeat their name: keep every ticked one, not only the first.
    return { ...out, errors, values: { ...out.values, enabled: enabled.join(",") } };
  }
  const { enabled: ticked, default: defaultLocale, timeZone } = result.data;
  // In the platform's order, whatever the order of the form.
  return { ok: true, data: { locales: { default: defaultLocale, enabled: LOCALES.filter((l) => ticked.includes(l)) }, timeZone } };
}

// ---------------------------------------------------------------------------------------
// Legal notice and accessibility statement

export const LEGAL_FIELDS = ["publisher", "publicationDirector", "address", "contactEmail", "hosting", "a11yStatus", "a11yAuditDate", "a11yContactEmail"] as const;

export type TownLegal = { legal: StoredTenantDefinition["legal"]; accessibility: StoredTenantDefinition["accessibility"] };

const requiredText = (key: string, max: number) => z.string().trim().min(1, k(key)).max(max, k("legal.errors.tooLong"));
const email = (key: string) => z.string().trim().min(1, k(key)).max(254, k("legal.errors.email")).email(k("legal.errors.email"));

function isCalendarDate(d: string) {
  return !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d);
}

/** The rules of tenants/<slug>/tenant.json (definition.ts), with messages for people. */
export function parseLegalForm(form: FormData): FormResult<TownLegal> {
  const schema = z
    .object({
      publisher: requiredText("legal.errors.publisherRequired", 300),
      publicationDirector: requiredText("legal.errors.directorRequired", 300),
      address: requiredText("legal.errors.addressRequired", 500),
      contactEmail: email("legal.errors.contactRequired"),
      hosting: requiredText("legal.errors.hostingRequired", 1000),
      a11yStatus: z.enum(ACCESSIBILITY_STATUSES, { errorMap: () => ({ message: k("legal.errors.statusRequired") }) }),
      a11yAuditDate: z
        .string()
        .trim()
        .transform((d) => (d === "" ? undefined : d))
        .refine((d) => d === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(d) && isCalendarDate(d)), k("legal.errors.auditDate")),
      a11yContactEmail: email("legal.errors.a11yContactRequired"),
    })
    // Under the RGAA only an audit establishes full or partial conformity.
    .refine((v) => v.a11yStatus === "none" || v.a11yAuditDate !== undefined, { path: ["a11yAuditDate"], message: k("legal.errors.auditRequired") });
  const result = schema.safeParse({ ...Object.fromEntries(LEGAL_FIELDS.map((name) => [name, text(form, name)])), a11yStatus: text(form, "a11yStatus") || undefined });
  if (!result.success) return failure(result.error, form);
  const v = result.data;
  return {
    ok: true,
    data: {
      legal: { publisher: v.publisher, publicationDirector: v.publicationDirector, address: v.address, contactEmail: v.contactEmail, hosting: v.hosting },
      accessibility: { status: v.a11yStatus, ...(v.a11yAuditDate !== undefined && { auditDate: v.a11yAuditDate }), contactEmail: v.a11yContactEmail },
    },
  };
}

export function legalFields(value: TownLegal): Record<(typeof LEGAL_FIELDS)[number], string> {
  return {
    ...value.legal,
    a11yStatus: value.accessibility.status,
    a11yAuditDate: value.accessibility.auditDate ?? "",
    a11yContactEmail: value.accessibility.contactEmail,
  };
}
