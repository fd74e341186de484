// The staff console's roles pages (app/routes/admin+/roles*): who holds each role, the
// role's name in the reader's language, and the matrix form read back into CASL rules.
// Every function runs in the wrapper's transaction, scoped to the tenant.
import crypto from "node:crypto";
import type { TFunction } from "i18next";
import { sql } from "kysely";
import { listRoles, roleLabel } from "../../auth/roles.server";
import type { Tx } from "../../db/db.server";
import { listModules } from "../../modules/registry.server";
import { permissionCatalog, VISITOR, type CatalogSubject, type PermissionCatalog } from "../../permissions/catalog.server";
import { readCell, setCell, summariseRole, type RoleSummary } from "../../permissions/choices.server";
import type { CellChoice, PermissionRule } from "../../permissions/declarations";
import type { Locale } from "../../tenant/definition";
import { isModuleEnabled, type TenantContext } from "../../tenant/tenant.server";
import {
  CHOICE_JOIN,
  CUSTOM_CHOICE,
  MATRIX_PREFIXES,
  NO_CHOICE,
  SCOPE_ALL,
  SCOPE_SOME,
  cellField,
  cellId,
  fieldsField,
  fieldsId,
  scopeField,
} from "./roles-matrix";

const currentTenant = sql<string>`nullif(current_setting('app.tenant_id', true), '')::uuid`;

export type RoleKind = "visitor" | "builtin" | "custom";

export type ConsoleRole = { key: string; kind: RoleKind; labels: Record<string, string> };

/** A role of this tenant, `visitor` included; null for a key the tenant does not have. */
export async function findRole(tx: Tx, key: string): Promise<ConsoleRole | null> {
  if (key === VISITOR) return { key, kind: "visitor", labels: {} };
  const role = (await listRoles(tx)).find((r) => r.key === key);
  return role ? { key, kind: role.isBuiltin ? "builtin" : "custom", labels: role.labels } : null;
}

/** Every role of the tenant: everyone first, then the built-in roles, then the town's own. */
export async function listConsoleRoles(tx: Tx): Promise<ConsoleRole[]> {
  const roles = await listRoles(tx);
  return [
    { key: VISITOR, kind: "visitor", labels: {} },
    ...roles.map((r): ConsoleRole => ({ key: r.key, kind: r.isBuiltin ? "builtin" : "custom", labels: r.labels })),
  ];
}

/** How many accounts hold each role (an account holding it for two organisations counts once). */
export async function roleHolderCounts(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx
    .selectFrom("user_roles")
    .select(["role", sql<string>`count(distinct user_id)`.as("holders")])
    .where("tenant_id", "=", currentTenant)
    .groupBy("role")
    .execute();
  return new Map(rows.map((r) => [r.role, Number(r.holders)]));
}

export async function roleHolderCount(tx: Tx, key: string): Promise<number> {
  const row = await tx
    .selectFrom("user_roles")
    .select(sql<string>`count(distinct user_id)`.as("holders"))
    .where("tenant_id", "=", currentTenant)
    .where("role", "=", key)
    .executeTakeFirstOrThrow();
  return Number(row.holders);
}

/** The role's name for the reader: the platform's words for its own roles, the town's for the others. */
export function roleName(t: TFunction, locale: Locale, role: ConsoleRole): string {
  if (role.kind === "visitor") return t("console-roles:visitor");
  return roleLabel(t, locale, { key: role.key, isBuiltin: role.kind === "builtin", labels: role.labels });
}

/** "Bénévole de permanence" -> "benevole_de_permanence": the key a custom role gets when staff type none. */
export function deriveRoleKey(label: string): string {
  const key = label
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+/, "")
    .slice(0, 40)
    .replace(/_+$/, "");
  // A key must start with a letter; a name starting with a figure still gets one.
  return /^[0-9]/.test(key) ? `role_${key}`.slice(0, 40).replace(/_+$/, "") : key;
}

/** The modules the town has enabled: the console shows their rules; the others' stay as they are, unseen. */
export function enabledModuleIds(tenant: TenantContext): Set<string> {
  return new Set(listModules().filter((m) => isModuleEnabled(tenant, m.id)).map((m) => m.id));
}

/** "What this role can do", for the modules the town has enabled. */
export function consoleSummary(rules: readonly PermissionRule[], t: TFunction, locale: Locale, tenant: TenantContext): RoleSummary {
  const enabled = enabledModuleIds(tenant);
  const subjects = summariseRole(rules, t, locale).subjects.filter((s) => enabled.has(s.module));
  return { subjects, nothing: subjects.length ? null : t("permissions:summary.nothing") };
}

/** Changes whenever the rules do: the page rebuilds its form from the stored rules after a save. */
export function rulesRevision(rules: readonly PermissionRule[]): string {
  return crypto.createHash("sha256").update(JSON.stringify(rules)).digest("hex").slice(0, 16);
}

/** The fields of the matrix form, as posted: to show the form again as the user left it. */
export function matrixValues(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(form.keys())) {
    if (!MATRIX_PREFIXES.some((p) => name.startsWith(p))) continue;
    const all = form.getAll(name).filter((v): v is string => typeof v === "string");
    out[name] = name.startsWith("fields:") ? all : (all[0] ?? "");
  }
  return out;
}

export type MatrixFormResult =
  | { ok: true; rules: PermissionRule[]; changed: number }
  | {
      ok: false;
      /** Problems tied to one control of the form, by element id. */
      errors: Record<string, string>;
      /** Problems tied to no control (a name that matches no cell). */
      messages: string[];
    };

const sameList = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === b || (a !== null && b !== null && a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n"));

/**
 * The role's rules with every posted cell applied through setCell. A cell left as it was is
 * not touched (its rules keep their shape), nor is a "custom" cell posted back as "custom".
 * Any unknown subject, action, choice or field refuses the whole form.
 */
export function applyMatrixForm(current: readonly PermissionRule[], form: FormData, t: TFunction, catalog: PermissionCatalog = permissionCatalog()): MatrixFormResult {
  const errors: Record<string, string> = {};
  const messages: string[] = [];
  const names = (subject: CatalogSubject, action: string) => ({
    subject: t(`permissions:modules.${subject.module}.subjects.${subject.name}.name`),
    action: t(`permissions:modules.${subject.module}.actions.${action}`),
  });

  const cells: { subject: CatalogSubject; action: string }[] = [];
  for (const name of new Set(form.keys())) {
    const prefix = MATRIX_PREFIXES.find((p) => name.startsWith(p));
    if (!prefix) continue;
    const [subjectName, action, ...rest] = name.slice(prefix.length).split(":");
    const subject = catalog.subjects.get(subjectName ?? "");
    if (!subject || rest.length > 0) {
      messages.push(t("console-roles:errors.cell", { cell: name, problem: t("permissions:errors.unknownSubject", { value: subjectName ?? "" }) }));
      continue;
    }
    if (!subject.actions.includes(action ?? "")) {
      messages.push(t("console-roles:errors.cell", { cell: name, problem: t("permissions:errors.unknownAction", { value: action ?? "", subject: subject.name }) }));
      continue;
    }
    if (prefix === "cell:") cells.push({ subject, action: action! });
  }

  let rules = [...current];
  let changed = 0;
  for (const { subject, action } of cells) {
    const label = names(subject, action);
    const posted = form.getAll(cellField(subject.name, action));
    const value = posted.length === 1 && typeof posted[0] === "string" ? posted[0] : null;
    const before = readCell(current, subject.name, action, catalog);
    const refuse = () => {
      errors[cellId(subject.name, action)] = t("console-roles:errors.invalidChoice", { value: value ?? "", ...label });
    };
    if (value === CUSTOM_CHOICE) {
      if (before.kind !== "custom") refuse();
      continue;
    }
    const choices = value === null ? null : value === NO_CHOICE ? [] : value.split(CHOICE_JOIN);
    if (!choices || new Set(choices).size !== choices.length || !choices.every((c) => (subject.choices as readonly string[]).includes(c))) {
      refuse();
      continue;
    }

    const scope = form.getAll(scopeField(subject.name, action));
    const picked = form.getAll(fieldsField(subject.name, action));
    let fields: string[] | null = before.kind === "choices" ? before.fields : null;
    if (scope.length > 1 || (scope.length === 1 && scope[0] !== SCOPE_ALL && scope[0] !== SCOPE_SOME)) {
      errors[fieldsId(subject.name, action)] = t("console-roles:errors.invalidScope", label);
      continue;
    }
    if (scope[0] === SCOPE_ALL) fields = null;
    if (scope[0] === SCOPE_SOME) {
      const unknown = picked.find((f) => typeof f !== "string" || !subject.declaration.fields.includes(f));
      if (unknown !== undefined) {
        errors[fieldsId(subject.name, action)] = t("console-roles:errors.cell", {
          cell: `${label.subject} — ${label.action}`,
          problem: t("permissions:errors.unknownField", { value: String(unknown), subject: subject.name }),
        });
        continue;
      }
      if (picked.length === 0 && choices.length > 0) {
        errors[fieldsId(subject.name, action)] = t("console-roles:errors.fieldsRequired", label);
        continue;
      }
      fields = subject.declaration.fields.filter((f) => picked.includes(f));
    }

    const unchanged =
      before.kind === "choices" && sameList(before.choices, choices) && (choices.length === 0 || sameList(before.fields, fields));
    if (unchanged) continue;
    rules = setCell(rules, subject.name, action, choices as CellChoice[], choices.length ? fields : null, catalog);
    changed += 1;
  }

  if (messages.length || Object.keys(errors).length) return { ok: false, errors, messages };
  return { ok: true, rules, changed };
}
