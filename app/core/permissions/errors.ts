// Refusals of the permission functions, each with an i18n key of the `permissions`
// namespace, so that the console shows them in the reader's language.
import type { TFunction } from "i18next";

export type RuleProblemCode =
  | "notAList"
  | "tooMany"
  | "shape"
  | "unknownKey"
  | "inverted"
  | "unknownSubject"
  | "unknownAction"
  | "unknownField"
  | "unknownCondition"
  | "unknownOperator"
  | "invalidValue"
  | "placeholderPosition";

export type RuleProblem = {
  /** Position of the rule in the list, from 0; -1 for the list itself. */
  index: number;
  code: RuleProblemCode;
  /** The name at fault (subject, action, field, condition, operator, key), as written. */
  value?: string;
  /** The subject the name was checked against, when there is one. */
  subject?: string;
  /** The rule's action and subject as written, to name the rule. */
  action?: string;
  ruleSubject?: string;
};

function listed(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(", ");
  return "?";
}

/** Rules refused on save: nothing was written. */
export class PermissionRulesError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(`permission rules refused: ${problems.map((p) => `#${p.index + 1} ${p.code}${p.value ? ` (${p.value})` : ""}`).join("; ")}`);
  }

  static describeRule(rule: unknown): { action: string; ruleSubject: string } {
    const r = (rule ?? {}) as { action?: unknown; subject?: unknown };
    return { action: listed(r.action), ruleSubject: listed(r.subject) };
  }

  /** One sentence per problem, naming the rule (its number, action and subject) and the name at fault. */
  translate(t: TFunction): string[] {
    return this.problems.map((p) => {
      const problem = t(`permissions:errors.${p.code}`, { value: p.value ?? "", subject: p.subject ?? "" });
      if (p.index < 0) return problem;
      return t("permissions:errors.rule", { number: p.index + 1, action: p.action ?? "?", subject: p.ruleSubject ?? "?", problem });
    });
  }
}

export const MAX_ROLE_LABEL = 60;

export type RoleErrorCode = "unknownRole" | "invalidKey" | "reservedKey" | "keyTaken" | "labelRequired" | "labelTooLong" | "unknownLocale" | "builtinRole";

/** A refused role operation; `field` names the console input at fault. */
export class RoleDefinitionError extends Error {
  constructor(
    readonly code: RoleErrorCode,
    readonly field: "role" | "key" | "labels" | `labels.${string}`,
    readonly role: string,
  ) {
    super(`role refused: ${code} (${role})`);
  }

  translate(t: TFunction): string {
    return t(`permissions:roleErrors.${this.code}`, { role: this.role, max: MAX_ROLE_LABEL });
  }
}
