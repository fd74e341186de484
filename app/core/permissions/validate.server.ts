// Validation of CASL JSON rules against the modules' declarations. A stored rule may only
// name declared subjects, actions and fields, test declared condition attributes with the
// operators the SQL interpreter knows, and use the user placeholders where they can only
// narrow what is granted. Rules only grant: with several roles per user, a "cannot" rule of
// one role would silently take away what another role grants.
import { permissionCatalog, type CatalogSubject, type PermissionCatalog } from "./catalog.server";
import { USER_ID, USER_NEIGHBOURHOOD, USER_ORGANISATION_IDS, type PermissionRule } from "./declarations";
import { PermissionRulesError, type RuleProblem, type RuleProblemCode } from "./errors";

export const MAX_RULES = 500;
const RULE_KEYS = new Set(["action", "subject", "fields", "conditions", "inverted"]);
/** Operators of stored conditions; the SQL interpreter (sql.server.ts) knows the same ones. */
export const CONDITION_OPERATORS = ["$eq", "$ne", "$in", "$nin"] as const;
const SCALAR_PLACEHOLDERS = new Set([USER_ID, USER_NEIGHBOURHOOD]);
const MAX_VALUE_LENGTH = 200;

/** The attributes a subject's rules may test: those its declared conditions name. */
export function conditionAttributes(subject: CatalogSubject): Set<string> {
  const c = subject.declaration.conditions;
  const out = new Set<string>();
  for (const attribute of [c.own, c.organisation, c.neighbourhood]) if (attribute) out.add(attribute);
  for (const attribute of Object.keys(c.published ?? {})) out.add(attribute);
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function names(value: unknown): string[] | null {
  if (typeof value === "string" && value !== "") return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && v !== "")) return [...new Set(value as string[])];
  return null;
}

type Check = (code: RuleProblemCode, value?: string, subject?: string) => void;

function checkScalar(value: unknown, placeholders: "scalar" | "none", problem: Check, attribute: string) {
  if (typeof value === "number" || typeof value === "boolean") return;
  if (typeof value !== "string" || value.length > MAX_VALUE_LENGTH) return problem("invalidValue", attribute);
  if (!value.includes("${")) return;
  if (value === USER_ORGANISATION_IDS) return problem("placeholderPosition", value);
  if (!SCALAR_PLACEHOLDERS.has(value)) return problem("invalidValue", value);
  if (placeholders === "none") problem("placeholderPosition", value);
}

function checkCondition(attribute: string, value: unknown, problem: Check) {
  if (!isPlainObject(value)) {
    // `null` tests that the attribute is empty.
    if (value !== null) checkScalar(value, "scalar", problem, attribute);
    return;
  }
  const operators = Object.entries(value);
  if (operators.length === 0) return problem("invalidValue", attribute);
  for (const [operator, operand] of operators) {
    switch (operator) {
      case "$eq":
        if (operand !== null) checkScalar(operand, "scalar", problem, attribute);
        break;
      case "$ne":
        // A placeholder there would widen the grant for a user who lacks the value.
        if (operand !== null) checkScalar(operand, "none", problem, attribute);
        break;
      case "$in":
        if (operand === USER_ORGANISATION_IDS) break;
        if (!Array.isArray(operand) || operand.length > 100) problem("invalidValue", attribute);
        else for (const item of operand) checkScalar(item, "scalar", problem, attribute);
        break;
      case "$nin":
        if (!Array.isArray(operand) || operand.length > 100) problem("invalidValue", attribute);
        else for (const item of operand) checkScalar(item, "none", problem, attribute);
        break;
      default:
        problem("unknownOperator", operator);
    }
  }
}

/**
 * Checks every rule and returns them normalised (one subject per rule, no duplicate names,
 * no empty conditions) with every problem found, each naming its rule.
 */
export function validateRules(input: unknown, catalog: PermissionCatalog = permissionCatalog()): { rules: PermissionRule[]; problems: RuleProblem[] } {
  if (!Array.isArray(input)) return { rules: [], problems: [{ index: -1, code: "notAList" }] };
  if (input.length > MAX_RULES) return { rules: [], problems: [{ index: -1, code: "tooMany", value: String(MAX_RULES) }] };
  const problems: RuleProblem[] = [];
  const rules: PermissionRule[] = [];
  input.forEach((raw: unknown, index) => {
    const named = PermissionRulesError.describeRule(raw);
    const before = problems.length;
    const problem: Check = (code, value, subject) => problems.push({ index, code, value, subject, ...named });
    if (!isPlainObject(raw)) return problem("shape");
    for (const key of Object.keys(raw)) if (!RULE_KEYS.has(key)) problem("unknownKey", key);
    if (raw.inverted !== undefined && raw.inverted !== false) problem("inverted");
    const subjectNames = names(raw.subject);
    const actions = names(raw.action);
    if (!subjectNames || !actions) return problem("shape");
    const fields = raw.fields === undefined ? undefined : names(raw.fields);
    if (fields === null) return problem("shape", "fields");
    if (raw.conditions !== undefined && !isPlainObject(raw.conditions)) return problem("shape", "conditions");
    const conditions = raw.conditions as Record<string, unknown> | undefined;
    const subjects: CatalogSubject[] = [];
    for (const name of subjectNames) {
      const subject = catalog.subjects.get(name);
      if (!subject) {
        problem("unknownSubject", name);
        continue;
      }
      subjects.push(subject);
      for (const action of actions) if (!subject.actions.includes(action)) problem("unknownAction", action, name);
      for (const field of fields ?? []) if (!subject.declaration.fields.includes(field)) problem("unknownField", field, name);
      const attributes = conditionAttributes(subject);
      for (const [attribute, value] of Object.entries(conditions ?? {})) {
        if (!attributes.has(attribute)) problem("unknownCondition", attribute, name);
        else checkCondition(attribute, value, problem);
      }
    }
    if (problems.length > before) return;
    for (const subject of subjects) {
      const rule: PermissionRule = { action: subject.actions.filter((a) => actions.includes(a)), subject: subject.name };
      if (fields) rule.fields = subject.declaration.fields.filter((f) => fields.includes(f));
      if (conditions && Object.keys(conditions).length > 0) rule.conditions = structuredClone(conditions);
      rules.push(rule);
    }
  });
  return { rules, problems };
}

/** The rules normalised, or a PermissionRulesError listing every problem. */
export function assertValidRules(input: unknown, catalog: PermissionCatalog = permissionCatalog()): PermissionRule[] {
  const { rules, problems } = validateRules(input, catalog);
  if (problems.length) throw new PermissionRulesError(problems);
  return rules;
}
