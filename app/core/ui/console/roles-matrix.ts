// Names shared by the role x action matrix's form (PermissionMatrix.tsx) and the action that
// reads it back (roles.server.ts): one select per cell, and per cell a choice between every
// field and a list of fields. Safe for the browser bundle.

/** The value of a cell that grants nothing. */
export const NO_CHOICE = "none";
/** The value of a cell whose rules go beyond the simple choices: kept as they are. */
export const CUSTOM_CHOICE = "custom";
/** Several conditions in one cell ("published or in their neighbourhood"). */
export const CHOICE_JOIN = "+";

export const SCOPE_ALL = "all";
export const SCOPE_SOME = "some";

export const cellField = (subject: string, action: string) => `cell:${subject}:${action}`;
export const scopeField = (subject: string, action: string) => `scope:${subject}:${action}`;
export const fieldsField = (subject: string, action: string) => `fields:${subject}:${action}`;
export const MATRIX_PREFIXES = ["cell:", "scope:", "fields:"] as const;

/** Element ids, for labels, error links and aria-describedby. */
export const cellId = (subject: string, action: string) => `cell-${subject}-${action}`;
export const fieldsId = (subject: string, action: string) => `fields-${subject}-${action}`;

export function encodeChoices(choices: readonly string[]): string {
  return choices.length ? choices.join(CHOICE_JOIN) : NO_CHOICE;
}

/** The CASL cell as the console reads it (see app/core/permissions/choices.server.ts). */
export type MatrixCell = { kind: "choices"; choices: string[]; fields: string[] | null } | { kind: "custom" };
