// What a module declares about its permissions: subjects with their fields and the
// conditions staff may pick for them, actions, default rules per role and the words the
// console and the summaries use. The declarations are the schema every stored rule is
// validated against; nothing outside them can be saved.
import type { BuiltinRole } from "../modules/types";
import type { Locale } from "../tenant/definition";

/** Conditions staff pick without writing JSON, besides "any". */
export const CONDITION_CHOICES = ["own", "organisation", "published", "neighbourhood"] as const;
export type ConditionChoice = (typeof CONDITION_CHOICES)[number];
/** One option of a cell of the role x action matrix. */
export type CellChoice = "any" | ConditionChoice;

export type ConditionValue = string | number | boolean;

/** Values the ability fills in per user when it is built (the user's id, organisations, neighbourhood). */
export const USER_ID = "${user.id}";
export const USER_ORGANISATION_IDS = "${user.organisationIds}";
export const USER_NEIGHBOURHOOD = "${user.neighbourhood}";
export const PLACEHOLDERS = [USER_ID, USER_ORGANISATION_IDS, USER_NEIGHBOURHOOD] as const;

export type SubjectDeclaration = {
  /** Attributes a rule may restrict (`fields`), e.g. the fields a role may change. */
  fields: readonly string[];
  /** The conditions the subject supports, each naming the attribute it tests. */
  conditions: {
    /** Attribute holding the id of the user who owns the record. */
    own?: string;
    /** Attribute holding the id of the organisation the record belongs to. */
    organisation?: string;
    /** Attribute holding the record's neighbourhood, compared with the user's. */
    neighbourhood?: string;
    /** Attribute values that make a record public, e.g. `{ status: "published" }`. */
    published?: Readonly<Record<string, ConditionValue>>;
  };
};

/** A CASL rule as stored in JSON (rules only grant: see validate.server.ts). */
export type PermissionRule = {
  action: string | readonly string[];
  subject: string | readonly string[];
  fields?: readonly string[];
  conditions?: Record<string, unknown>;
};

/** `visitor` rules apply to everyone, signed in or not. */
export type DefaultRoleKey = BuiltinRole | "visitor";

/** Words of the console and the summaries, in the `permissions` namespace under `modules.<module id>`. */
export type PermissionLabels = {
  /** Infinitive, lower case: "consulter", "read". */
  actions: Record<string, string>;
  subjects: Record<
    string,
    {
      /** Column header: "Initiatives". */
      name: string;
      /** "certaines initiatives" / "some initiatives" (rules beyond the simple choices). */
      some: string;
      /** The subject as the object of an action, every record: "les initiatives" / "initiatives". */
      object: string;
      /** One phrase per condition the subject supports: "les initiatives publiées". */
      conditions: Partial<Record<ConditionChoice, string>>;
      fields: Record<string, string>;
    }
  >;
};

export type ModulePermissions = {
  subjects: Readonly<Record<string, SubjectDeclaration>>;
  actions: readonly string[];
  defaults: Partial<Record<DefaultRoleKey, readonly PermissionRule[]>>;
  locales: Record<Locale, PermissionLabels>;
};

type TypedRule<S extends string, A extends string> = {
  action: A | readonly A[];
  subject: S | readonly S[];
  fields?: readonly string[];
  conditions?: Record<string, unknown>;
};

/**
 * Declares a module's permissions; default rules naming an undeclared subject or action do
 * not compile (fields and conditions are checked at run time by the validator's test).
 */
export function definePermissions<const S extends Record<string, SubjectDeclaration>, const A extends readonly string[]>(declaration: {
  subjects: S;
  actions: A;
  defaults: Partial<Record<DefaultRoleKey, readonly TypedRule<Extract<keyof S, string>, A[number]>[]>>;
  locales: Record<Locale, PermissionLabels>;
}): Omit<ModulePermissions, "subjects" | "actions"> & { subjects: S; actions: A } {
  return declaration;
}
