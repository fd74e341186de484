// Field-level permissions: what a role may change on a record. A rule without `fields`
// grants every declared field of its subject.
import { subject as asSubject, type AnyAbility } from "@casl/ability";
import { permittedFieldsOf } from "@casl/ability/extra";
import { permissionCatalog } from "./catalog.server";

/**
 * The declared fields of `subjectType` the ability allows `action` on; for `record` when
 * given (rules with conditions are matched against it), else for the type.
 */
export function permittedFields(ability: AnyAbility, action: string, subjectType: string, record?: Record<string, unknown>): string[] {
  const declared = permissionCatalog().subjects.get(subjectType)?.declaration.fields;
  if (!declared) throw new Error(`permissions: subject "${subjectType}" is not declared by any module`);
  const target = record ? asSubject(subjectType, { ...record }) : subjectType;
  const allowed = new Set(permittedFieldsOf(ability, action, target, { fieldsFrom: (rule) => rule.fields ?? [...declared] }));
  return declared.filter((f) => allowed.has(f));
}

/** `data` without the fields the ability does not allow `action` on (see permittedFields). */
export function pickPermittedFields<T extends Record<string, unknown>>(
  ability: AnyAbility,
  action: string,
  subjectType: string,
  data: T,
  record?: Record<string, unknown>,
): Partial<T> {
  const allowed = new Set(permittedFields(ability, action, subjectType, record));
  return Object.fromEntries(Object.entries(data).filter(([key]) => allowed.has(key))) as Partial<T>;
}
