import type { z } from "zod";
import type { Tx } from "../db/db.server";
import type { ModuleEmailBuilder } from "../email/templates.server";
import type { Logger } from "../http/context";
import type { ModulePermissions } from "../permissions/declarations";
import type { Locale } from "../tenant/definition";

export const BUILTIN_ROLES = ["resident", "association_member", "association_manager", "repairer", "staff", "elected"] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

export type IndicatorProvider = {
  id: string;
  /** i18n key in the module's namespace. */
  labelKey: string;
  theme: "social" | "economic" | "ecological";
  /** "eur" values are in cents (as formatMoney expects), so sums stay exact integers. */
  unit: "count" | "kg" | "eur" | "kgco2e";
  /** Reads the core event log only, never a module's tables. */
  compute: (tx: Tx, period: { from: Date; to: Date }) => Promise<number>;
};

export type NavigationEntry = {
  /** Path on the tenant host. */
  to: string;
  /** i18n key in the module's namespace. */
  labelKey: string;
  /** Shown only to those whose rules allow this (e.g. a dashboard for elected officials). */
  can?: { action: string; subject: string };
};

export type ModuleManifest = {
  id: string;
  /** First path segment of every public route of the module; used to answer 404 when disabled. */
  basePath: string;
  settings: z.ZodObject<z.ZodRawShape>;
  /** Subjects, actions, fields, conditions and default rules per role: `definePermissions` (app/core/permissions). */
  permissions: ModulePermissions;
  navigation: NavigationEntry[];
  /** Staff tools of the module, listed on the staff console's home (/admin). */
  adminNavigation?: NavigationEntry[];
  indicators: IndicatorProvider[];
  /**
   * Loads the module's part of a demo tenant (`tenants/<slug>/demo.json`, key = module id).
   * Must be idempotent: `npm run tenants:sync` may run it again.
   */
  seedDemo?: (tx: Tx, tenantId: string, data: unknown) => Promise<void>;
  /**
   * Email templates of the module, by name, sent with
   * `queueEmail(mail, { module: id, template, locale, vars, to })`.
   */
  // `never`: each template types its own vars; the registry cannot know them.
  emails?: Record<string, ModuleEmailBuilder<never>>;
  /** Scheduled background jobs (graphile-worker crontab), run once per tenant that enabled the module. */
  jobs?: ModuleJob[];
  /** Translations, namespace = module id; must hold `name` and `description`. */
  locales: Record<Locale, Record<string, unknown>>;
};

/** The tenant a job runs for (no request: no user, no host header). */
export type JobTenant = { id: string; slug: string; name: string; hosts: string[]; timeZone: string; defaultLocale: Locale };

export type ModuleJobContext = {
  /** A transaction scoped to the tenant (`withTenant`): row-level security applies. */
  tx: Tx;
  tenant: JobTenant;
  /** The module's settings for this tenant, defaults applied. */
  settings: Record<string, unknown>;
  /** The clock of the run: jobs compare dates with it, never with their own `new Date()`. */
  now: Date;
  /** Scheme and host for absolute links in emails. */
  origin: string;
  afterCommit: (fn: () => Promise<void> | void) => void;
  log: Logger;
};

export type ModuleJob = {
  /** Task name, unique in the module; the queue knows it as `<module>.<id>`. */
  id: string;
  /** Crontab schedule: minute hour day-of-month month day-of-week, in UTC. */
  schedule: string;
  /** Must be idempotent: a run may be repeated (retry, two runs close together). Returns counts for the log. */
  run: (ctx: ModuleJobContext) => Promise<Record<string, number> | void>;
};

export function defineModule<const M extends ModuleManifest>(manifest: M): M {
  return manifest;
}
