// The role x action matrix staff edit without writing JSON: each cell is a set of choices
// ("any", "their own", "their organisation's", "published only", "in their neighbourhood")
// that maps to CASL rules and back, and the plain-language summary of a role's rules.
import type { TFunction } from "i18next";
import type { Locale } from "../tenant/definition";
import { permissionCatalog, type CatalogSubject, type PermissionCatalog } from "./catalog.server";
import { USER_ID, USER_NEIGHBOURHOOD, USER_ORGANISATION_IDS, type CellChoice, type PermissionRule } from "./declarations";
import { PermissionRulesError } from "./errors";

/** One action on one subject with one set of conditions: what rules are made of. */
type AtomicRule = { action: string; subject: string; fields?: readonly string[]; conditions?: Record<string, unknown> };

const asList = (v: string | readonly string[]) => (typeof v === "string" ? [v] : [...v]);

function atomise(rules: readonly PermissionRule[]): AtomicRule[] {
  const out: AtomicRule[] = [];
  for (const rule of rules) {
    for (const subject of asList(rule.subject)) {
      for (const action of asList(rule.action)) {
        const atom: AtomicRule = { action, subject };
        if (rule.fields) atom.fields = rule.fields;
        if (rule.conditions && Object.keys(rule.conditions).length) atom.conditions = rule.conditions;
        out.push(atom);
      }
    }
  }
  return out;
}

/** JSON with sorted keys: two condition objects that mean the same compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function requireSubject(catalog: PermissionCatalog, name: string, action?: string): CatalogSubject {
  const subject = catalog.subjects.get(name);
  if (!subject) throw new PermissionRulesError([{ index: -1, code: "unknownSubject", value: name }]);
  if (action !== undefined && !subject.actions.includes(action)) throw new PermissionRulesError([{ index: -1, code: "unknownAction", value: action, subject: name }]);
  return subject;
}

/** The conditions a choice stands for on a subject (undefined for "any"). */
function conditionsOf(subject: CatalogSubject, choice: CellChoice): Record<string, unknown> | undefined {
  const c = subject.declaration.conditions;
  const unsupported = () => new PermissionRulesError([{ index: -1, code: "unknownCondition", value: choice, subject: subject.name }]);
  switch (choice) {
    case "any":
      return undefined;
    case "own":
      if (!c.own) throw unsupported();
      return { [c.own]: USER_ID };
    case "organisation":
      if (!c.organisation) throw unsupported();
      return { [c.organisation]: { $in: USER_ORGANISATION_IDS } };
    case "neighbourhood":
      if (!c.neighbourhood) throw unsupported();
      return { [c.neighbourhood]: USER_NEIGHBOURHOOD };
    case "published":
      if (!c.published) throw unsupported();
      return { ...c.published };
    default:
      throw unsupported();
  }
}

/** The rule granting `action` on `subject` under `choice`, limited to `fields` when given. */
export function ruleForChoice(subjectName: string, action: string, choice: CellChoice, fields?: readonly string[] | null, catalog: PermissionCatalog = permissionCatalog()): PermissionRule {
  const subject = requireSubject(catalog, subjectName, action);
  const rule: PermissionRule = { action, subject: subjectName };
  if (fields) rule.fields = [...fields];
  const conditions = conditionsOf(subject, choice);
  if (conditions) rule.conditions = conditions;
  return rule;
}

/** The choice a rule's conditions amount to, or null when they are beyond the simple choices. */
export function choiceOf(subjectName: string, conditions: Record<string, unknown> | undefined, catalog: PermissionCatalog = permissionCatalog()): CellChoice | null {
  const subject = requireSubject(catalog, subjectName);
  if (!conditions || Object.keys(conditions).length === 0) return "any";
  const wanted = canonical(conditions);
  for (const choice of subject.choices) {
    if (choice !== "any" && canonical(conditionsOf(subject, choice)) === wanted) return choice;
  }
  return null;
}

/**
 * A cell of the matrix. `choices: []` means not allowed; `fields: null` means every field.
 * "custom": the role's rules for this cell go beyond the simple choices (edited as JSON);
 * the console shows them as such rather than guessing.
 */
export type PermissionCell = { kind: "choices"; choices: CellChoice[]; fields: string[] | null } | { kind: "custom" };

function cellOf(atoms: AtomicRule[], subject: CatalogSubject, action: string, catalog: PermissionCatalog): PermissionCell {
  const mine = atoms.filter((a) => a.subject === subject.name && a.action === action);
  if (mine.length === 0) return { kind: "choices", choices: [], fields: null };
  const chosen = new Set<CellChoice>();
  const fieldSets = new Set<string>();
  for (const atom of mine) {
    const choice = choiceOf(subject.name, atom.conditions, catalog);
    if (!choice) return { kind: "custom" };
    chosen.add(choice);
    fieldSets.add(canonical(atom.fields ? [...new Set(atom.fields)].sort() : null));
  }
  if (fieldSets.size > 1) return { kind: "custom" };
  const fields = mine[0].fields ? subject.declaration.fields.filter((f) => mine[0].fields!.includes(f)) : null;
  const choices = chosen.has("any") ? (["any"] as CellChoice[]) : subject.choices.filter((c) => chosen.has(c));
  return { kind: "choices", choices, fields };
}

export function readCell(rules: readonly PermissionRule[], subjectName: string, action: string, catalog: PermissionCatalog = permissionCatalog()): PermissionCell {
  return cellOf(atomise(rules), requireSubject(catalog, subjectName, action), action, catalog);
}

/** Merges rules that differ only by action into one rule, actions in their declared order. */
function regroup(atoms: AtomicRule[], catalog: PermissionCatalog): PermissionRule[] {
  const groups = new Map<string, { rule: PermissionRule; actions: Set<string> }>();
  for (const atom of atoms) {
    const key = canonical([atom.subject, atom.conditions ?? null, atom.fields ?? null]);
    let group = groups.get(key);
    if (!group) {
      const rule: PermissionRule = { action: [], subject: atom.subject };
      if (atom.fields) rule.fields = [...atom.fields];
      if (atom.conditions) rule.conditions = atom.conditions;
      group = { rule, actions: new Set() };
      groups.set(key, group);
    }
    group.actions.add(atom.action);
  }
  return [...groups.values()].map(({ rule, actions }) => {
    const declared = catalog.subjects.get(rule.subject as string)?.actions ?? [];
    return { ...rule, action: [...declared.filter((a) => actions.has(a)), ...[...actions].filter((a) => !declared.includes(a))] };
  });
}

/**
 * The rules with one cell replaced: `choices` empty takes the action away, "any" grants it on
 * every record, other choices grant it on the records that match any of them. Rules of other
 * cells are kept as they are (merged by identical conditions). Validate with saveRoleRules.
 */
export function setCell(
  rules: readonly PermissionRule[],
  subjectName: string,
  action: string,
  choices: readonly CellChoice[],
  fields: readonly string[] | null = null,
  catalog: PermissionCatalog = permissionCatalog(),
): PermissionRule[] {
  const subject = requireSubject(catalog, subjectName, action);
  const kept = atomise(rules).filter((a) => !(a.subject === subjectName && a.action === action));
  const picked = choices.includes("any") ? (["any"] as CellChoice[]) : [...new Set(choices)];
  for (const choice of picked) {
    const rule = ruleForChoice(subject.name, action, choice, fields, catalog);
    kept.push({ action, subject: subject.name, ...(rule.fields ? { fields: rule.fields } : {}), ...(rule.conditions ? { conditions: rule.conditions } : {}) });
  }
  return regroup(kept, catalog);
}

export type MatrixRow = {
  module: string;
  subject: string;
  /** The options of the cells of this row. */
  choices: readonly CellChoice[];
  fields: readonly string[];
  cells: { action: string; cell: PermissionCell }[];
};

/** The whole matrix of one role: one row per declared subject, one cell per action. */
export function roleMatrix(rules: readonly PermissionRule[], catalog: PermissionCatalog = permissionCatalog()): MatrixRow[] {
  const atoms = atomise(rules);
  return [...catalog.subjects.values()].map((subject) => ({
    module: subject.module,
    subject: subject.name,
    choices: subject.choices,
    fields: subject.declaration.fields,
    cells: subject.actions.map((action) => ({ action, cell: cellOf(atoms, subject, action, catalog) })),
  }));
}

const labelKey = (subject: CatalogSubject, rest: string) => `permissions:modules.${subject.module}.subjects.${subject.name}.${rest}`;
const actionKey = (subject: CatalogSubject, action: string) => `permissions:modules.${subject.module}.actions.${action}`;

export type RoleSummaryEntry = { module: string; subject: string; name: string; sentences: string[] };
export type RoleSummary = { subjects: RoleSummaryEntry[]; /** Set when the rules grant nothing at all. */ nothing: string | null };

/** "What can this role do", in the reader's language: one sentence per allowed action. */
export function summariseRole(rules: readonly PermissionRule[], t: TFunction, locale: Locale, catalog: PermissionCatalog = permissionCatalog()): RoleSummary {
  const or = new Intl.ListFormat(locale, { type: "disjunction" });
  const and = new Intl.ListFormat(locale, { type: "conjunction" });
  const subjects: RoleSummaryEntry[] = [];
  for (const row of roleMatrix(rules, catalog)) {
    const subject = catalog.subjects.get(row.subject)!;
    const sentences: string[] = [];
    for (const { action, cell } of row.cells) {
      const verb = t(actionKey(subject, action));
      if (cell.kind === "custom") {
        sentences.push(t("permissions:summary.canCustom", { action: verb, targets: t(labelKey(subject, "some")) }));
        continue;
      }
      if (cell.choices.length === 0) continue;
      const targets = cell.choices.includes("any") ? t(labelKey(subject, "object")) : or.format(cell.choices.map((c) => t(labelKey(subject, `conditions.${c}`))));
      sentences.push(
        cell.fields
          ? t("permissions:summary.canFields", { action: verb, targets, fields: and.format(cell.fields.map((f) => t(labelKey(subject, `fields.${f}`)))) })
          : t("permissions:summary.can", { action: verb, targets }),
      );
    }
    if (sentences.length) subjects.push({ module: subject.module, subject: subject.name, name: t(labelKey(subject, "name")), sentences });
  }
  return { subjects, nothing: subjects.length ? null : t("permissions:summary.nothing") };
}

/** The 403 explanation: which action on which subject the user's roles do not allow. */
export function refusalMessage(t: TFunction, action: string, subjectType: string, catalog: PermissionCatalog = permissionCatalog()): string {
  const subject = catalog.subjects.get(subjectType);
  if (!subject || !subject.actions.includes(action)) return t("permissions:refusedGeneric");
  return t("permissions:refused", { action: t(actionKey(subject, action)), object: t(labelKey(subject, "object")) });
}
