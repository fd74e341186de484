// Applies the `tenants/` folder to the database, idempotently, in one transaction: either
// every definition is valid and applied, or nothing is written and every problem is listed
// with its file and field.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { Kysely, PostgresDialect, sql } from "kysely";
import { z } from "zod";
import {
  describeIssues,
  tenantDefinitionSchema,
  type CommuneFacts,
  type StoredTenantDefinition,
  type TenantDefinition,
} from "../app/core/tenant/definition.ts";
import { getModule } from "../app/core/modules/registry.server.ts";
import { defaultRoleRules, VISITOR } from "../app/core/permissions/catalog.server.ts";
import { communeFacts } from "../app/core/tenant/communes.server.ts";
import { BUILTIN_ROLES, type BuiltinRole } from "../app/core/modules/types.ts";
import frRoles from "../app/core/locales/fr/roles.json" with { type: "json" };
import enRoles from "../app/core/locales/en/roles.json" with { type: "json" };
import { contrastRatio, AA_NORMAL } from "../app/core/ui/contrast.ts";
import { hashPassword } from "../app/core/auth/password.server.ts";
import type { DB } from "../app/core/db/schema.ts";

export class TenantDefinitionError extends Error {
  constructor(public problems: string[]) {
    super("Invalid tenant definitions, nothing was applied:\n" + problems.map((p) => "  - " + p).join("\n"));
  }
}

export { communeFacts };

/**
 * The postcodes to show: the definition's own list when it has one, else the dataset's. A
 * declared code must be one the dataset knows for the commune, or for its parent when the
 * commune is associated with another (a typo would otherwise be published as fact).
 */
export function resolvePostalCodes(commune: CommuneFacts, declared: string[] | undefined): { codes: string[] } | { problem: string } {
  if (!declared) return { codes: commune.postalCodes };
  if (commune.chefLieu) {
    const parent = communeFacts(commune.chefLieu);
    const known = parent?.postalCodes ?? [];
    const unknown = declared.filter((code) => !known.includes(code));
    if (unknown.length) {
      return {
        problem: `${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not among the postcodes of ${parent?.officialName ?? commune.chefLieu} (${known.join(", ") || "none in the dataset"}), the commune ${commune.officialName} is associated with`,
      };
    }
    return { codes: declared };
  }
  // A current commune the dataset lists without postcodes cannot be checked: trust the file.
  if (commune.postalCodes.length === 0) return { codes: declared };
  const unknown = declared.filter((code) => !commune.postalCodes.includes(code));
  if (unknown.length) {
    return { problem: `${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not among the postcodes of ${commune.officialName} in the dataset (${commune.postalCodes.join(", ")})` };
  }
  return { codes: declared };
}

const LOGO_TYPES: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp" };
const MAX_LOGO_BYTES = 256 * 1024;

const demoSchema = z
  .object({
    password: z.string().min(10),
    organisations: z.array(z.object({ name: z.string().min(1).max(200), kind: z.string().min(1) })).default([]),
    accounts: z
      .array(
        z.object({
          email: z.string().email().max(254),
          displayName: z.string().min(1).max(100),
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
    let postalCodes: string[] = [];
    if (commune) {
      const resolved = resolvePostalCodes(commune, definition.postalCodes);
      if ("problem" in resolved) problems.push(`${file}: postalCodes: ${resolved.problem}`);
      else postalCodes = resolved.codes;
    }
    for (const key of ["primary", "accent"] as const) {
      const colour = definition.theme[key];
      const ratio = contrastRatio(colour, "#ffffff");
      if (ratio < AA_NORMAL) {
        problems.push(`${file}: theme.${key}: white text on ${colour} has contrast ${ratio.toFixed(2)}:1, below the ${AA_NORMAL}:1 that WCAG AA requires`);
      }
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
    loaded.push({ slug, file, definition, stored: { ...definition, commune: { ...commune, postalCodes }, hasLogo: !!logo }, moduleSettings, logo, demo });
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

/** The owner role, for command-line tools: FORCEd RLS applies to it unless it is a superuser. */
export function ownerDb(ownerUrl: string) {
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

// Stored with each tenant's roles so that custom roles, added later, carry their own labels.
const ROLE_LABELS = Object.fromEntries(
  BUILTIN_ROLES.map((key) => [key, { fr: frRoles.labels[key], en: enRoles.labels[key] }]),
) as Record<BuiltinRole, { fr: string; en: string }>;

export async function syncTenants(options: { ownerUrl: string; dir?: string; log?: (m: string) => void }) {
  const log = options.log ?? console.log;
  const tenants = loadTenantFolder(options.dir);
  const db = ownerDb(options.ownerUrl);
  try {
    await db.transaction().execute(async (tx) => {
      // Hosts taken by tenants that are not in this folder: the trigger would refuse them
      // anyway, but this names the file and the other tenant.
      const taken: string[] = [];
      for (const t of tenants) {
        const others = await tx
          .selectFrom("tenants")
          .select(["slug", "hosts"])
          .where("slug", "<>", t.slug)
          .where(sql<boolean>`hosts && ${sql.val(t.definition.hosts)}::text[]`)
          .execute();
        for (const other of others) {
          for (const host of t.definition.hosts.filter((h) => other.hosts.includes(h))) {
            taken.push(`${t.file}: hosts: "${host}" is already used by tenant ${other.slug} in the database`);
          }
        }
      }
      if (taken.length) throw new TenantDefinitionError(taken);
      for (const t of tenants) {
        // Update, else insert: an INSERT ... ON CONFLICT would run the host-uniqueness
        // trigger on the proposed row, whose fresh id makes the tenant's own hosts collide.
        const values = { name: t.definition.name, hosts: t.definition.hosts, definition: JSON.stringify(t.stored) };
        const row =
          (await tx.updateTable("tenants").set({ ...values, updated_at: new Date() }).where("slug", "=", t.slug).returning("id").executeTakeFirst()) ??
          (await tx.insertInto("tenants").values({ slug: t.slug, ...values }).returning("id").executeTakeFirstOrThrow());
        // The owner is subject to RLS too (FORCE): scope the writes to this tenant.
        await sql`select set_config('app.tenant_id', ${row.id}, true)`.execute(tx);
        for (const [moduleId, state] of Object.entries(t.moduleSettings)) {
          await tx
            .insertInto("tenant_modules")
            .values({ tenant_id: row.id, module_id: moduleId, enabled: state.enabled, settings: JSON.stringify(state.settings) })
            .onConflict((oc) =>
              oc
                .columns(["tenant_id", "module_id"])
                .doUpdateSet({ enabled: state.enabled, settings: JSON.stringify(state.settings), updated_at: new Date() })
                // Once staff changed a module in the console, the console is its source of truth.
                .where("tenant_modules.managed_by", "=", "file"),
            )
            .execute();
        }
        // A module left out of the file is switched off; its settings are kept for a return.
        let dropped = tx
          .updateTable("tenant_modules")
          .set({ enabled: false, updated_at: new Date() })
          .where("tenant_id", "=", row.id)
          .where("enabled", "=", true)
          .where("managed_by", "=", "file");
        const kept = Object.keys(t.moduleSettings);
        if (kept.length) dropped = dropped.where("module_id", "not in", kept);
        await dropped.execute();
        // Permission rules: the modules' defaults for the modules a role has no rules for
        // yet (`||` keeps the right-hand side, the stored rules, on a module both have).
        for (const key of BUILTIN_ROLES) {
          await tx
            .insertInto("roles")
            .values({ tenant_id: row.id, key, is_builtin: true, labels: JSON.stringify(ROLE_LABELS[key]), rules: JSON.stringify(defaultRoleRules(key)) })
            .onConflict((oc) =>
              oc.columns(["tenant_id", "key"]).doUpdateSet({ is_builtin: true, labels: JSON.stringify(ROLE_LABELS[key]), rules: sql`excluded.rules || roles.rules` }),
            )
            .execute();
        }
        await tx
          .insertInto("visitor_permissions")
          .values({ tenant_id: row.id, rules: JSON.stringify(defaultRoleRules(VISITOR)) })
          .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ rules: sql`excluded.rules || visitor_permissions.rules` }))
          .execute();
        // A logo uploaded by staff in the console wins over the file's.
        const staffLogo = await tx
          .selectFrom("tenant_settings")
          .select("tenant_id")
          .where("tenant_id", "=", row.id)
          .where(sql<boolean>`overrides ? 'logo'`)
          .executeTakeFirst();
        if (staffLogo) {
          log(`tenant ${t.slug}: logo uploaded in the console kept`);
        } else if (t.logo) {
          await tx
            .insertInto("tenant_assets")
            .values({ tenant_id: row.id, key: "logo", content_type: t.logo.contentType, bytes: t.logo.bytes })
            .onConflict((oc) => oc.columns(["tenant_id", "key"]).doUpdateSet({ content_type: t.logo!.contentType, bytes: t.logo!.bytes, updated_at: new Date() }))
            .execute();
        } else {
          await tx.deleteFrom("tenant_assets").where("tenant_id", "=", row.id).where("key", "=", "logo").execute();
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
    try {
      await getModule(moduleId)!.seedDemo?.(tx as never, tenantId, data);
    } catch (error) {
      // The transaction is rolled back either way; say which file and part was at fault.
      const demoFile = path.join(path.dirname(t.file), "demo.json");
      if (error instanceof z.ZodError) throw new TenantDefinitionError(describeIssues(error).map((issue) => `${demoFile}: modules.${moduleId}.${issue}`));
      throw error;
    }
  }
}
