// Every declared subject of every module, by name: what rules are validated against, what
// the matrix shows and where a subject's stored rules belong (its module).
import { listModules } from "../modules/registry.server";
import { BUILTIN_ROLES } from "../modules/types";
import type { CellChoice, ModulePermissions, PermissionRule, SubjectDeclaration } from "./declarations";
import { CONDITION_CHOICES } from "./declarations";

export type CatalogModule = { id: string; permissions: ModulePermissions };

export type CatalogSubject = {
  name: string;
  module: string;
  declaration: SubjectDeclaration;
  actions: readonly string[];
  /** The matrix options of this subject: "any", then the conditions it declares, in a fixed order. */
  choices: readonly CellChoice[];
};

export type PermissionCatalog = {
  modules: readonly CatalogModule[];
  subjects: ReadonlyMap<string, CatalogSubject>;
};

export function createCatalog(modules: readonly CatalogModule[]): PermissionCatalog {
  const subjects = new Map<string, CatalogSubject>();
  for (const m of modules) {
    for (const [name, declaration] of Object.entries(m.permissions.subjects)) {
      // Stored rules are filed by module through their subject: a name must say which.
      const other = subjects.get(name);
      if (other) throw new Error(`permissions: subject "${name}" is declared by both ${other.module} and ${m.id}`);
      const conditions = declaration.conditions;
      const choices: CellChoice[] = ["any", ...CONDITION_CHOICES.filter((c) => conditions[c] !== undefined)];
      subjects.set(name, { name, module: m.id, declaration, actions: m.permissions.actions, choices });
    }
  }
  return { modules, subjects };
}

let registryCatalog: PermissionCatalog | undefined;

/** The catalog of the modules of this code base. */
export function permissionCatalog(): PermissionCatalog {
  registryCatalog ??= createCatalog(listModules().map((m) => ({ id: m.id, permissions: m.permissions })));
  return registryCatalog;
}

/** Stored rules of one role: CASL JSON rules filed by module id. */
export type StoredRoleRules = Record<string, PermissionRule[]>;

export const VISITOR = "visitor";

export function isBuiltinRole(role: string): boolean {
  return (BUILTIN_ROLES as readonly string[]).includes(role);
}

/**
 * The rules a role starts with, per module: the modules' declared defaults for the built-in
 * roles and `visitor`; nothing for a tenant's own roles, which start empty.
 */
export function defaultRoleRules(role: string, catalog: PermissionCatalog = permissionCatalog()): StoredRoleRules {
  if (role !== VISITOR && !isBuiltinRole(role)) return {};
  const out: StoredRoleRules = {};
  for (const m of catalog.modules) {
    const rules = m.permissions.defaults[role as keyof ModulePermissions["defaults"]] ?? [];
    out[m.id] = rules.map((r) => structuredClone(r));
  }
  return out;
}

/**
 * A role's rules as they apply: the stored ones per module, and for a module the stored
 * rules do not mention (added to the platform after the tenant's roles were written) the
 * module's defaults.
 */
export function effectiveRoleRules(role: string, stored: StoredRoleRules | null, catalog: PermissionCatalog = permissionCatalog()): PermissionRule[] {
  const defaults = defaultRoleRules(role, catalog);
  const out: PermissionRule[] = [];
  for (const m of catalog.modules) {
    out.push(...(stored && Object.hasOwn(stored, m.id) ? stored[m.id] : (defaults[m.id] ?? [])));
  }
  return out;
}
