// Applies the `tenants/` folder to the database, idempotently, in one transaction: either
// every definition is valid and applied, or nothing is written and every problem is listed
// with its file and field.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { Kysely, PostgresDialect, sql } from "kysely";
import { z } from "zod";
import communes from "@etalab/decoupage-administratif/data/communes.json" with { type: "json" };
import {
  describeIssues,
  tenantDefinitionSchema,
  type CommuneFacts,
  type StoredTenantDefinition,
  type TenantDefinition,
} from "../app/core/tenant/definition.ts";
import { getModule } from "../app/core/modules/registry.server.ts";
import { BUILTIN_ROLES } from "../app/core/modules/types.ts";
import { contrastRatio, AA_NORMAL } from "../app/core/ui/contrast.ts";
import { hashPassword } from "../app/core/auth/password.server.ts";
import type { DB } from "../app/core/db/schema.ts";

export class TenantDefinitionError extends Error {
  constructor(public problems: string[]) {
    super("Invalid tenant definitions, nothing was applied:\n" + problems.map((p) => "  - " + p).join("\n"));
  }
}

type Commune = { code: string; nom: string; type: string; population?: number; codesPostaux?: string[]; departement?: string; chefLieu?: string };
const COMMUNES = communes as Commune[];

export function communeFacts(inseeCode: string): CommuneFacts | null {
  const matches = COMMUNES.filter((c) => c.code === inseeCode);
  if (matches.length === 0) return null;
  // A code can name both a current commune and a former one merged into it: prefer the current.
  const c = matches.find((m) => m.type === "commune-actuelle") ?? matches[0];
  const parent = c.chefLieu ? COMMUNES.find((p) => p.code === c.chefLieu && p.type === "commune-actuelle") : undefined;
  return {
    inseeCode: c.code,
    officialName: c.nom,
    type: c.type,
    population: typeof c.population === "number" ? c.population : null,
    postalCodes: c.codesPostaux ?? parent?.codesPostaux ?? [],
    departement: c.departement ?? null,
    chefLieu: c.chefLieu ?? null,
    parentName: parent?.nom ?? null,
  };
}

const LOGO_TYPES: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp" };
const MAX_LOGO_BYTES = 256 * 1024;

const demoSchema = z
  .object({
    password: z.string().min(10),
    organisations: z.array(z.object({ name: z.string().min(1), kind: z.string().min(1) })).default([]),
    accounts: z
      .array(
        z.object({
          email: z.string().email(),
          displayName: z.string().min(1),
          roles: z.array(z.object({ role: z.enum(BUILTIN_ROLES), organisation: z.string().optional() })).min(1),
        }),
      )
      .default([]),
    modules: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
type DemoData = z.infer<typeof demoSchema>;

type LoadedTenant = {
  slug: string;
  file: string;
  definition: TenantDefinition;
  stored: StoredTenantDefinition;
  moduleSettings: Record<string, { enabled: boolean; settings: Record<string, unknown> }>;
  logo?: { contentType: string; bytes: Buffer };
  demo?: DemoData;
};

function readJson(file: string, problems: string[]): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    problems.push(`${file}: not valid JSON (${(error as Error).message})`);
    return undefined;
  }
}

/** Reads and validates every tenant folder; throws TenantDefinitionError listing all problems. */
export function loadTenantFolder(dir = "tenants"): LoadedTenant[] {
  const problems: string[] = [];
  const loaded: LoadedTenant[] = [];
  const slugs = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const slug of slugs) {
    const file = path.join(dir, slug, "tenant.json");
    if (!fs.existsSync(file)) continue;
    const before = problems.length;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) problems.push(`${file}: folder name "${slug}" must be lowercase letters, digits and dashes`);
    const raw = readJson(file, problems);
    if (raw === undefined) continue;
    const parsed = tenantDefinitionSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of describeIssues(parsed.error)) problems.push(`${file}: ${issue}`);
      continue;
    }
    const definition = parsed.data;
    const commune = communeFacts(definition.inseeCode);
    if (!commune) problems.push(`${file}: inseeCode: no commune with INSEE code ${definition.inseeCode} in the administrative dataset`);
    if (contrastRatio(definition.theme.primary, "#ffffff") < AA_NORMAL) {
      problems.push(`${file}: theme.primary: white text on ${definition.theme.primary} has contrast ${contrastRatio(definition.theme.primary, "#ffffff").toFixed(2)}:1, below the 4.5:1 that WCAG AA requires`);
    }
    if (contrastRatio(definition.theme.accent, "#ffffff") < AA_NORMAL) {
      problems.push(`${file}: theme.accent: contrast with white is below 4.5:1 (WCAG AA)`);
    }
    const moduleSettings: LoadedTenant["moduleSettings"] = {};
    for (const [id, config] of Object.entries(definition.modules)) {
      const manifest = getModule(id);
      if (!manifest) {
        problems.push(`${file}: modules.${id}: unknown module`);
        continue;
      }
      const settings = manifest.settings.safeParse(config.settings);
      if (!settings.success) {
        for (const issue of describeIssues(settings.error)) problems.push(`${file}: modules.${id}.settings.${issue}`);
        continue;
      }
      moduleSettings[id] = { enabled: config.enabled, settings: settings.data };
    }
    let logo: LoadedTenant["logo"];
    if (definition.theme.logo) {
      const logoFile = path.join(dir, slug, definition.theme.logo);
      if (!fs.existsSync(logoFile)) problems.push(`${file}: theme.logo: file ${logoFile} not found`);
      else {
        const bytes = fs.readFileSync(logoFile);
        if (bytes.length > MAX_LOGO_BYTES) problems.push(`${file}: theme.logo: ${bytes.length} bytes, over the ${MAX_LOGO_BYTES} allowed`);
        else logo = { contentType: LOGO_TYPES[path.extname(logoFile).toLowerCase()], bytes };
      }
    }
    let demo: DemoData | undefined;
    const demoFile = path.join(dir, slug, "demo.json");
    if (definition.demo && fs.existsSync(demoFile)) {
      const rawDemo = readJson(demoFile, problems);
      const parsedDemo = demoSchema.safeParse(rawDemo);
      if (!parsedDemo.success) for (const issue of describeIssues(parsedDemo.error)) problems.push(`${demoFile}: ${issue}`);
      else {
        demo = parsedDemo.data;
        const orgNames = new Set(demo.organisations.map((o) => o.name));
        demo.accounts.forEach((a, i) =>
          a.roles.forEach((r, j) => {
            if (r.organisation && !orgNames.has(r.organisation)) problems.push(`${demoFile}: accounts.${i}.roles.${j}.organisation: no organisation named "${r.organisation}"`);
            if ((r.role === "association_member" || r.role === "association_manager") && !r.organisation) problems.push(`${demoFile}: accounts.${i}.roles.${j}.organisation: required for ${r.role}`);
          }),
        );
        for (const id of Object.keys(demo.modules)) if (!moduleSettings[id]) problems.push(`${demoFile}: modules.${id}: module not enabled or unknown for this tenant`);
      }
    }
    if (problems.length > before || !commune) continue;
    loaded.push({ slug, file, definition, stored: { ...definition, commune, hasLogo: !!logo }, moduleSettings, logo, demo });
  }
  const hostOwners = new Map<string, string>();
  for (const t of loaded) {
    for (const host of t.definition.hosts) {
      const other = hostOwners.get(host);
      if (other) problems.push(`${t.file}: hosts: "${host}" is already used by tenant ${other}`);
      hostOwners.set(host, t.slug);
    }
  }
  if (problems.length) throw new TenantDefinitionError(problems);
  return loaded;
}

function ownerDb(ownerUrl: string) {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ownerUrl, max: 2 }) }) });
}

export async function tenantCount(ownerUrl: string): Promise<number> {
  const db = ownerDb(ownerUrl);
  try {
    const row = await db.selectFrom("tenants").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await db.destroy();
  }
}

const ROLE_LABELS: Record<string, { fr: string; en: string }> = {
  resident: { fr: "Habitant·e", en: "Resident" },
  association_member: { fr: "Membre d'association", en: "Association member" },
  association_manager: { fr: "Responsable d'association", en: "Association manager" },
  repairer: { fr: "Réparateur·rice", en: "Repairer" },
  staff: { fr: "Agent·e de la ville", en: "City staff" },
  elected: { fr: "Élu·e", en: "Elected official" },
};

export async function syncTenants(options: { ownerUrl: string; dir?: string; log?: (m: string) => void }) {
  const log = options.log ?? console.log;
  const tenants = loadTenantFolder(options.dir);
  const db = ownerDb(options.ownerUrl);
  try {
    await db.transaction().execute(async (tx) => {
      for (const t of tenants) {
        const row = await tx
          .insertInto("tenants")
          .values({ slug: t.slug, name: t.definition.name, hosts: t.definition.hosts, definition: JSON.stringify(t.stored) })
          .onConflict((oc) =>
            oc.column("slug").doUpdateSet({
              name: t.definition.name,
              hosts: t.definition.hosts,
              definition: JSON.stringify(t.stored),
              updated_at: new Date(),
            }),
          )
          .returning("id")
          .executeTakeFirstOrThrow();
        // The owner is subject to RLS too (FORCE): scope the writes to this tenant.
        await sql`select set_config('app.tenant_id', ${row.id}, true)`.execute(tx);
        for (const [moduleId, state] of Object.entries(t.moduleSettings)) {
          await tx
            .insertInto("tenant_modules")
            .values({ tenant_id: row.id, module_id: moduleId, enabled: state.enabled, settings: JSON.stringify(state.settings) })
            .onConflict((oc) => oc.columns(["tenant_id", "module_id"]).doUpdateSet({ enabled: state.enabled, settings: JSON.stringify(state.settings), updated_at: new Date() }))
            .execute();
        }
        for (const key of BUILTIN_ROLES) {
          await tx
            .insertInto("roles")
            .values({ tenant_id: row.id, key, is_builtin: true, labels: JSON.stringify(ROLE_LABELS[key]) })
            .onConflict((oc) => oc.columns(["tenant_id", "key"]).doUpdateSet({ is_builtin: true, labels: JSON.stringify(ROLE_LABELS[key]) }))
            .execute();
        }
        if (t.logo) {
          await tx
            .insertInto("tenant_assets")
            .values({ tenant_id: row.id, key: "logo", content_type: t.logo.contentType, bytes: t.logo.bytes })
            .onConflict((oc) => oc.columns(["tenant_id", "key"]).doUpdateSet({ content_type: t.logo!.contentType, bytes: t.logo!.bytes, updated_at: new Date() }))
            .execute();
        }
        if (t.demo) await loadDemo(tx, row.id, t);
        log(`tenant ${t.slug}: applied (${t.definition.hosts.join(", ")})`);
      }
    });
  } finally {
    await db.destroy();
  }
  return tenants.map((t) => t.slug);
}

async function loadDemo(tx: Kysely<DB>, tenantId: string, t: LoadedTenant) {
  const demo = t.demo!;
  const orgIds = new Map<string, string>();
  for (const o of demo.organisations) {
    const org = await tx
      .insertInto("organisations")
      .values({ tenant_id: tenantId, name: o.name, kind: o.kind, is_demo: true })
      .onConflict((oc) => oc.columns(["tenant_id", "name"]).doUpdateSet({ kind: o.kind }))
      .returning("id")
      .executeTakeFirstOrThrow();
    orgIds.set(o.name, org.id);
  }
  const passwordHash = await hashPassword(demo.password);
  for (const a of demo.accounts) {
    const inserted = await tx
      .insertInto("users")
      .values({
        tenant_id: tenantId,
        email: a.email,
        display_name: a.displayName,
        password_hash: passwordHash,
        email_verified_at: new Date(),
        is_demo: true,
        locale: null,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "email"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    // An existing demo account keeps whatever was changed since (password, roles).
    if (!inserted) continue;
    for (const r of a.roles) {
      await tx
        .insertInto("user_roles")
        .values({ tenant_id: tenantId, user_id: inserted.id, role: r.role, organisation_id: r.organisation ? orgIds.get(r.organisation)! : null })
        .execute();
    }
  }
  for (const [moduleId, data] of Object.entries(demo.modules)) {
    await getModule(moduleId)!.seedDemo?.(tx as never, tenantId, data);
  }
}
