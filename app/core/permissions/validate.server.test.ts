// Stored rules are checked against the declarations: anything undeclared is refused, with a
// translated message that names the rule.
import { tFor } from "~/core/i18n/i18n.server";
import { listModules } from "~/core/modules/registry.server";
import { createCatalog, defaultRoleRules, permissionCatalog } from "./catalog.server";
import { USER_ID, USER_NEIGHBOURHOOD, USER_ORGANISATION_IDS } from "./declarations";
import { PermissionRulesError } from "./errors";
import { assertValidRules, validateRules } from "./validate.server";

const codes = (input: unknown) => validateRules(input).problems.map((p) => [p.index, p.code, p.value]);

describe("validateRules", () => {
  it("accepts every module's default rules for every role", () => {
    for (const m of listModules()) {
      for (const [role, rules] of Object.entries(m.permissions.defaults)) {
        expect({ module: m.id, role, problems: validateRules(rules).problems }).toEqual({ module: m.id, role, problems: [] });
      }
    }
  });

  it("refuses an unknown subject, action, field and condition, naming each", () => {
    expect(codes([{ action: "read", subject: "Spaceship" }])).toEqual([[0, "unknownSubject", "Spaceship"]]);
    expect(codes([{ action: "read", subject: "Initiative" }, { action: "fly", subject: "Initiative" }])).toEqual([[1, "unknownAction", "fly"]]);
    expect(codes([{ action: "update", subject: "Initiative", fields: ["name", "password_hash"] }])).toEqual([[0, "unknownField", "password_hash"]]);
    expect(codes([{ action: "read", subject: "Initiative", conditions: { submitter_email: "a@example.org" } }])).toEqual([[0, "unknownCondition", "submitter_email"]]);
  });

  it("refuses operators the SQL interpreter does not know, and misplaced placeholders", () => {
    expect(codes([{ action: "read", subject: "Initiative", conditions: { status: { $regex: "pub" } } }])).toEqual([[0, "unknownOperator", "$regex"]]);
    expect(codes([{ action: "read", subject: "Initiative", conditions: { status: { $gt: "a" } } }])).toEqual([[0, "unknownOperator", "$gt"]]);
    // A user without organisations would be granted every record by "not in my organisations".
    expect(codes([{ action: "read", subject: "Initiative", conditions: { organisation_id: { $nin: USER_ORGANISATION_IDS } } }])).toEqual([[0, "invalidValue", "organisation_id"]]);
    expect(codes([{ action: "read", subject: "Initiative", conditions: { neighbourhood: { $ne: USER_NEIGHBOURHOOD } } }])).toEqual([[0, "placeholderPosition", USER_NEIGHBOURHOOD]]);
    expect(codes([{ action: "read", subject: "Initiative", conditions: { organisation_id: USER_ORGANISATION_IDS } }])).toEqual([[0, "placeholderPosition", USER_ORGANISATION_IDS]]);
    expect(codes([{ action: "read", subject: "Initiative", conditions: { neighbourhood: "${user.email}" } }])).toEqual([[0, "invalidValue", "${user.email}"]]);
    expect(codes([{ action: "read", subject: "Initiative", conditions: { status: { published: true } } }])).toEqual([[0, "unknownOperator", "published"]]);
  });

  it("refuses rules that forbid, unknown properties and malformed rules", () => {
    expect(codes([{ action: "read", subject: "Initiative", inverted: true }])).toEqual([[0, "inverted", undefined]]);
    expect(codes([{ action: "read", subject: "Initiative", reason: "x" }])).toEqual([[0, "unknownKey", "reason"]]);
    expect(codes([{ action: [], subject: "Initiative" }])).toEqual([[0, "shape", undefined]]);
    expect(codes(["read Initiative"])).toEqual([[0, "shape", undefined]]);
    expect(codes([{ action: "read", subject: "Initiative", fields: [] }])).toEqual([[0, "shape", "fields"]]);
    expect(codes({ action: "read" })).toEqual([[-1, "notAList", undefined]]);
  });

  it("normalises: one subject per rule, actions and fields in declared order, no empty conditions", () => {
    const catalog = createCatalog([
      {
        id: "test",
        permissions: {
          subjects: { Note: { fields: ["title", "body"], conditions: { own: "author_id" } }, Tag: { fields: ["label"], conditions: {} } },
          actions: ["read", "update"],
          defaults: {},
          locales: { fr: { actions: {}, subjects: {} }, en: { actions: {}, subjects: {} } },
        },
      },
    ]);
    const rules = assertValidRules([{ action: ["update", "read", "read"], subject: ["Tag", "Note"], conditions: {} }, { action: "update", subject: "Note", fields: ["body", "title"], conditions: { author_id: USER_ID } }], catalog);
    expect(rules).toEqual([
      { action: ["read", "update"], subject: "Tag" },
      { action: ["read", "update"], subject: "Note" },
      { action: ["update"], subject: "Note", fields: ["title", "body"], conditions: { author_id: USER_ID } },
    ]);
  });

  it("throws a PermissionRulesError whose messages name the rule, in French and in English", () => {
    const error = (() => {
      try {
        assertValidRules([{ action: "read", subject: "Initiative" }, { action: "update", subject: "Initiative", fields: ["secret"] }]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PermissionRulesError);
    const problems = error as PermissionRulesError;
    expect(problems.translate(tFor("fr"))).toEqual(["Règle n° 2 (update · Initiative) : le champ « secret » n'existe pas pour « Initiative »."]);
    expect(problems.translate(tFor("en"))).toEqual(['Rule 2 (update · Initiative): the field "secret" does not exist for "Initiative".']);
  });
});

describe("the catalog", () => {
  it("refuses two modules declaring the same subject: stored rules are filed by module through it", () => {
    const module = (id: string) => ({
      id,
      permissions: { subjects: { Note: { fields: [], conditions: {} } }, actions: ["read"], defaults: {}, locales: { fr: { actions: {}, subjects: {} }, en: { actions: {}, subjects: {} } } },
    });
    expect(() => createCatalog([module("a"), module("b")])).toThrow(/Note.*a and b/);
  });

  it("gives custom roles no default rules, and the built-in roles their modules' defaults", () => {
    expect(defaultRoleRules("permanence_volunteer")).toEqual({});
    const staff = defaultRoleRules("staff");
    expect(Object.keys(staff).sort()).toEqual(permissionCatalog().modules.map((m) => m.id).sort());
    expect(staff.directory).toEqual([{ action: ["read", "create", "update", "moderate", "revert", "assign", "remind", "route", "import"], subject: "Initiative" }]);
  });

  it("has the words of every declared subject, action, condition and field in every language", () => {
    for (const m of listModules()) {
      for (const locale of ["fr", "en"] as const) {
        const t = tFor(locale);
        const missing: string[] = [];
        const need = (key: string) => {
          if (!t(`permissions:modules.${m.id}.${key}`, { defaultValue: "" })) missing.push(`${locale}: ${m.id}.${key}`);
        };
        for (const action of m.permissions.actions) need(`actions.${action}`);
        for (const [name, subject] of Object.entries(m.permissions.subjects)) {
          for (const key of ["name", "some", "object"]) need(`subjects.${name}.${key}`);
          for (const choice of Object.keys(subject.conditions)) need(`subjects.${name}.conditions.${choice}`);
          for (const field of subject.fields) need(`subjects.${name}.fields.${field}`);
        }
        expect(missing).toEqual([]);
      }
    }
  });
});
