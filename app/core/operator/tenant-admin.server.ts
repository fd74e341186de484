// What the operator console changes about the towns: creating one from its INSEE code,
// suspending and resuming it, exporting all its data. The platform row (`tenants`) is
// written only through the SECURITY DEFINER functions of db/migrations/2026112207 (the app
// role may only read it); the town's own first rows and the audit entry of every action are
// written in the SAME transaction, scoped to that town once the platform step is done, so
// that an action and its record commit, or fail, together.
import { sql } from "kysely";
import { z } from "zod";
import { recordAudit, type AuditEntry } from "../audit.server";
import { createInvitation } from "../auth/invitations.server";
import type { Tx, withTenant as WithTenant } from "../db/db.server";
import { tenantOrigin } from "../http/urls.server";
import { tFor } from "../i18n/i18n.server";
import { BUILTIN_ROLES } from "../modules/types";
import { getModule } from "../modules/registry.server";
import { defaultRoleRules, VISITOR } from "../permissions/catalog.server";
import { communeFacts, INSEE_CODE } from "../tenant/communes.server";
import { LOCALES, tenantDefinitionSchema, type CommuneFacts, type StoredTenantDefinition } from "../tenant/definition";
import { exportTenant, type ExportManifest } from "../tenant/portability.server";
import { AA_NORMAL, contrastRatio } from "../ui/contrast";
import type { FieldErrors } from "../ui/form.server";
import { isOperatorHost } from "./hosts.server";
import type { OperatorSession } from "./session.server";

/** Time zones of French communes, mainland first; the form offers these only. */
export const FRENCH_TIME_ZONES = [
  "Europe/Paris",
  "America/Guadeloupe",
  "America/Martinique",
  "America/Cayenne",
  "Indian/Reunion",
  "Indian/Mayotte",
  "America/Miquelon",
  "America/St_Barthelemy",
  "America/Marigot",
  "Pacific/Wallis",
  "Pacific/Tahiti",
  "Pacific/Noumea",
] as const;

const ZONE_BY_DEPARTEMENT: Record<string, (typeof FRENCH_TIME_ZONES)[number]> = {
  "971": "America/Guadeloupe",
  "972": "America/Martinique",
  "973": "America/Cayenne",
  "974": "Indian/Reunion",
  "975": "America/Miquelon",
  "976": "Indian/Mayotte",
  "977": "America/St_Barthelemy",
  "978": "America/Marigot",
  "986": "Pacific/Wallis",
  "987": "Pacific/Tahiti",
  "988": "Pacific/Noumea",
};

/** The time zone the form proposes for a commune (the operator may choose another). */
export function suggestedTimeZone(facts: CommuneFacts): string {
  return (facts.departement && ZONE_BY_DEPARTEMENT[facts.departement]) || "Europe/Paris";
}

/** A slug proposed from the commune's name: "Saint-Étienne-du-Rouvray" → "saint-etienne-du-rouvray". */
export function suggestedSlug(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const COLOUR = /^#[0-9a-fA-F]{6}$/;

const required = (key: string) => z.string({ required_error: key }).trim().min(1, key);
const email = (key: string) => required(key).toLowerCase().max(254, "common:form.errors.email").email("common:form.errors.email");
/** "50,6268" as typed in French, or "50.6268". */
const coordinate = (min: number, max: number, key: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v.trim().replace(",", ".")) : undefined),
    z.number({ required_error: key, invalid_type_error: key }).finite(key).min(min, key).max(max, key),
  );
const contrastingColour = (key: string) =>
  required(key)
    .regex(COLOUR, "operator:create.errors.colourInvalid")
    .transform((c) => c.toLowerCase())
    .refine((c) => contrastRatio(c, "#ffffff") >= AA_NORMAL, "operator:create.errors.colourContrast");

/** The "new town" form; messages are i18n keys. */
export const newTenantSchema = z.object({
  inseeCode: required("operator:create.errors.inseeRequired").toUpperCase().regex(INSEE_CODE, "operator:create.errors.inseeInvalid"),
  name: required("operator:create.errors.nameRequired").max(120, "common:form.errors.tooLong"),
  slug: required("operator:create.errors.slugRequired").toLowerCase().regex(SLUG, "operator:create.errors.slugInvalid"),
  hosts: required("operator:create.errors.hostsRequired")
    .transform((text) => [...new Set(text.split(/[\s,;]+/).map((h) => h.trim().toLowerCase().replace(/\.$/, "")).filter(Boolean))])
    .refine((hosts) => hosts.length >= 1 && hosts.length <= 10, "operator:create.errors.hostsCount")
    .refine((hosts) => hosts.every((h) => HOST.test(h)), "operator:create.errors.hostsInvalid")
    .refine((hosts) => !hosts.some(isOperatorHost), "operator:create.errors.hostsOperator"),
  modules: z
    .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
    .refine((ids) => ids.every((id) => getModule(id)), "operator:create.errors.moduleUnknown"),
  timeZone: z.enum(FRENCH_TIME_ZONES, { errorMap: () => ({ message: "operator:create.errors.timeZone" }) }),
  primary: contrastingColour("operator:create.errors.colourRequired"),
  accent: contrastingColour("operator:create.errors.colourRequired"),
  latitude: coordinate(-90, 90, "operator:create.errors.latitude"),
  longitude: coordinate(-180, 180, "operator:create.errors.longitude"),
  publisher: required("operator:create.errors.publisherRequired").max(300, "common:form.errors.tooLong"),
  publicationDirector: required("operator:create.errors.directorRequired").max(300, "common:form.errors.tooLong"),
  address: required("operator:create.errors.addressRequired").max(500, "common:form.errors.tooLong"),
  legalEmail: email("operator:create.errors.legalEmailRequired"),
  hosting: required("operator:create.errors.hostingRequired").max(500, "common:form.errors.tooLong"),
  accessibilityEmail: email("operator:create.errors.accessibilityEmailRequired"),
  staffEmail: email("operator:create.errors.staffEmailRequired"),
});
export type NewTenantInput = z.output<typeof newTenantSchema>;

/** Half-width of the first map view around the town hall; staff set the real bounds later. */
const MAP_SPAN = { lng: 0.08, lat: 0.05 };
const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** The definition stored for the new town, validated as `tenants:sync` validates a file. */
export function definitionFor(input: NewTenantInput, facts: CommuneFacts): StoredTenantDefinition {
  const modules = Object.fromEntries(input.modules.map((id) => [id, { enabled: true, settings: getModule(id)!.settings.parse({}) }]));
  const definition = tenantDefinitionSchema.parse({
    name: input.name,
    inseeCode: facts.inseeCode,
    hosts: input.hosts,
    locales: { default: "fr", enabled: [...LOCALES] },
    timeZone: input.timeZone,
    theme: { primary: input.primary, accent: input.accent },
    map: {
      center: [round(input.longitude), round(input.latitude)],
      zoom: 13,
      bounds: [
        [round(Math.max(-180, input.longitude - MAP_SPAN.lng)), round(Math.max(-90, input.latitude - MAP_SPAN.lat))],
        [round(Math.min(180, input.longitude + MAP_SPAN.lng)), round(Math.min(90, input.latitude + MAP_SPAN.lat))],
      ],
    },
    modules,
    legal: {
      publisher: input.publisher,
      publicationDirector: input.publicationDirector,
      address: input.address,
      contactEmail: input.legalEmail,
      hosting: input.hosting,
    },
    // Only an audit establishes conformity under the RGAA: a new site is declared "none".
    accessibility: { status: "none", contactEmail: input.accessibilityEmail },
    demo: false,
  });
  return { ...definition, commune: facts, hasLogo: false };
}

/** The transaction's remaining statements are the town's: row-level security scopes them. */
async function enterTenant(tx: Tx, tenantId: string) {
  await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(tx);
}

export function operatorActor(operator: OperatorSession): AuditEntry["actor"] {
  return { kind: "operator", id: operator.id, label: `${operator.displayName} <${operator.email}>` };
}

type PgError = { code?: string; constraint?: string; detail?: string; message?: string };

export type CreateTenantResult =
  | { ok: true; tenantId: string; slug: string }
  | { ok: false; errors: FieldErrors; takenHosts?: string[] };

async function takenHosts(tx: Tx, hosts: string[]): Promise<string[]> {
  const rows = await tx
    .selectFrom("tenants")
    .select("hosts")
    .where(sql<boolean>`hosts && ${sql.val(hosts)}::text[]`)
    .execute();
  return hosts.filter((h) => rows.some((r) => r.hosts.includes(h)));
}

/**
 * Creates the town, its built-in roles (default permission rules), its modules with their
 * default settings, and the invitation of its first staff account (mailed once committed),
 * and audits it all. Field errors come back before anything is written; a slug or host
 * taken meanwhile by another creation aborts the platform statement, and the whole
 * transaction with it.
 */
export async function createTenant(
  ctx: { tx: Tx; operator: OperatorSession; request: Request; afterCommit: (fn: () => Promise<void> | void) => void },
  input: NewTenantInput,
): Promise<CreateTenantResult> {
  const { tx, operator } = ctx;
  const facts = communeFacts(input.inseeCode);
  if (!facts) return { ok: false, errors: { inseeCode: "operator:create.errors.inseeUnknown" } };
  const errors: FieldErrors = {};
  if (await tx.selectFrom("tenants").select("id").where("slug", "=", input.slug).executeTakeFirst()) errors.slug = "operator:create.errors.slugTaken";
  const taken = await takenHosts(tx, input.hosts);
  if (taken.length) errors.hosts = "operator:create.errors.hostsTaken";
  if (Object.keys(errors).length) return { ok: false, errors, takenHosts: taken };

  const stored = definitionFor(input, facts);
  let tenantId: string;
  try {
    const { rows } = await sql<{ id: string }>`
      select platform_create_tenant(${operator.sessionId}, ${input.slug}, ${input.name}, ${sql.val(input.hosts)}::text[], ${JSON.stringify(stored)}::jsonb) as id`.execute(tx);
    tenantId = rows[0].id;
  } catch (error) {
    const e = error as PgError;
    if (e.code === "23505" && e.constraint === "tenants_slug_key") return { ok: false, errors: { slug: "operator:create.errors.slugTaken" } };
    if (e.code === "23505") return { ok: false, errors: { hosts: "operator:create.errors.hostsTaken" }, takenHosts: e.detail?.split(",") ?? [] };
    throw error;
  }

  await enterTenant(tx, tenantId);
  const labels = Object.fromEntries(LOCALES.map((l) => [l, tFor(l, "roles")] as const));
  // The built-in roles with the modules' default permission rules, as `tenants:sync` stores them.
  for (const key of BUILTIN_ROLES) {
    const roleLabels = Object.fromEntries(LOCALES.map((l) => [l, labels[l](`labels.${key}`)]));
    await tx
      .insertInto("roles")
      .values({ tenant_id: tenantId, key, is_builtin: true, labels: JSON.stringify(roleLabels), rules: JSON.stringify(defaultRoleRules(key)) })
      .execute();
  }
  await tx.insertInto("visitor_permissions").values({ tenant_id: tenantId, rules: JSON.stringify(defaultRoleRules(VISITOR)) }).execute();
  for (const [moduleId, state] of Object.entries(stored.modules)) {
    await tx
      .insertInto("tenant_modules")
      .values({ tenant_id: tenantId, module_id: moduleId, enabled: state.enabled, settings: JSON.stringify(state.settings) })
      .execute();
  }
  const actor = operatorActor(operator);
  await createInvitation(
    {
      tx,
      tenant: { id: tenantId, name: input.name },
      afterCommit: ctx.afterCommit,
      origin: tenantOrigin(ctx.request, { hosts: input.hosts }),
      locale: stored.locales.default,
    },
    { email: input.staffEmail, role: "staff", invitedBy: { kind: "operator", label: actor.label } },
  );
  await recordAudit(tx, {
    actor,
    action: "tenant.create",
    subject: { type: "tenant", id: tenantId },
    after: {
      slug: input.slug,
      name: input.name,
      inseeCode: facts.inseeCode,
      hosts: input.hosts,
      modules: input.modules,
      timeZone: input.timeZone,
      theme: stored.theme,
      invitedStaff: input.staffEmail,
    },
  });
  return { ok: true, tenantId, slug: input.slug };
}

export type TenantStatus = "active" | "suspended";

/**
 * Suspends or resumes a town: the portal then answers with a notice and refuses every
 * sign-in and action; nothing of its data is touched, so resuming restores it all. A second
 * click asking for the state already in force changes nothing and logs nothing.
 */
export async function setTenantStatus(tx: Tx, operator: OperatorSession, tenantId: string, status: TenantStatus): Promise<{ changed: boolean }> {
  const { rows } = await sql<{ previous: TenantStatus }>`
    select platform_set_tenant_status(${operator.sessionId}, ${tenantId}::uuid, ${status}) as previous`.execute(tx);
  const previous = rows[0].previous;
  if (previous === status) return { changed: false };
  await enterTenant(tx, tenantId);
  await recordAudit(tx, {
    actor: operatorActor(operator),
    action: status === "suspended" ? "tenant.suspend" : "tenant.resume",
    subject: { type: "tenant", id: tenantId },
    before: { status: previous },
    after: { status },
  });
  return { changed: true };
}

/**
 * The town's whole export, read in one snapshot through the app role (row-level security
 * still scopes every table), then recorded in the town's audit log: an archive full of
 * residents' data never leaves without a trace.
 */
export async function exportTenantForOperator(
  withTenant: typeof WithTenant,
  operator: OperatorSession,
  tenantId: string,
): Promise<{ zip: Uint8Array<ArrayBuffer>; manifest: ExportManifest }> {
  const result = await withTenant(tenantId, (ttx) => exportTenant(ttx, tenantId), { snapshot: true });
  await withTenant(tenantId, (ttx) =>
    recordAudit(ttx, {
      actor: operatorActor(operator),
      action: "tenant.export",
      subject: { type: "tenant", id: tenantId },
      after: { tables: result.manifest.tables.map((t) => ({ name: t.name, rows: t.rows })) },
    }),
  );
  return result;
}
