import type { z } from "zod";
import type { Tx } from "../db/db.server";
import type { Locale } from "../tenant/definition";

export const BUILTIN_ROLES = ["resident", "association_member", "association_manager", "repairer", "staff", "elected"] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

/** A CASL rule as stored in JSON. */
export type PermissionRule = {
  action: string | string[];
  subject: string | string[];
  fields?: string[];
  conditions?: Record<string, unknown>;
  inverted?: boolean;
};

export type IndicatorProvider = {
  id: string;
  /** i18n key in the module's namespace. */
  labelKey: string;
  theme: "social" | "economic" | "ecological";
  unit: "count" | "kg" | "eur" | "kgco2e";
  /** Reads the core event log only, never a module's tables. */
  compute: (tx: Tx, period: { from: Date; to: Date }) => Promise<number>;
};

export type NavigationEntry = {
  /** Path on the tenant host. */
  to: string;
  /** i18n key in the module's namespace. */
  labelKey: string;
};

export type ModuleManifest = {
  id: string;
  /** First path segment of every public route of the module; used to answer 404 when disabled. */
  basePath: string;
  settings: z.ZodObject<z.ZodRawShape>;
  permissions: {
    subjects: readonly string[];
    actions: readonly string[];
    // `visitor` rules apply to everyone, signed in or not.
    defaults: Partial<Record<BuiltinRole | "visitor", PermissionRule[]>>;
  };
  navigation: NavigationEntry[];
  indicators: IndicatorProvider[];
  /**
   * Loads the module's part of a demo tenant (`tenants/<slug>/demo.json`, key = module id).
   * Must be idempotent: `npm run tenants:sync` may run it again.
   */
  seedDemo?: (tx: Tx, tenantId: string, data: unknown) => Promise<void>;
  /** Translations, namespace = module id; must hold `name` and `description`. */
  locales: Record<Locale, Record<string, unknown>>;
};

export function defineModule<const M extends ModuleManifest>(manifest: M): M {
  return manifest;
}
