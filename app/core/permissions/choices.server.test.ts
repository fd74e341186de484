// The matrix staff edit without JSON: each choice maps to rules and back, a cell changes
// without touching the others, and a role's rules read as plain sentences.
import { tFor } from "~/core/i18n/i18n.server";
import { defaultRoleRules } from "./catalog.server";
import { readCell, roleMatrix, ruleForChoice, setCell, summariseRole, refusalMessage, choiceOf } from "./choices.server";
import { USER_NEIGHBOURHOOD, USER_ORGANISATION_IDS, type PermissionRule } from "./declarations";
import { PermissionRulesError } from "./errors";
import { assertValidRules } from "./validate.server";

describe("choices <-> rules", () => {
  it("maps each choice the subject supports to a rule that validates, and reads it back", () => {
    expect(ruleForChoice("Initiative", "read", "any")).toEqual({ action: "read", subject: "Initiative" });
    expect(ruleForChoice("Initiative", "read", "published")).toEqual({ action: "read", subject: "Initiative", conditions: { status: "published" } });
    expect(ruleForChoice("Initiative", "update", "organisation")).toEqual({ action: "update", subject: "Initiative", conditions: { organisation_id: { $in: USER_ORGANISATION_IDS } } });
    expect(ruleForChoice("Initiative", "read", "neighbourhood")).toEqual({ action: "read", subject: "Initiative", conditions: { neighbourhood: USER_NEIGHBOURHOOD } });
    for (const choice of ["any", "published", "organisation", "neighbourhood"] as const) {
      const rule = ruleForChoice("Initiative", "read", choice);
      expect(assertValidRules([rule])).toHaveLength(1);
      expect(readCell([rule], "Initiative", "read")).toEqual({ kind: "choices", choices: [choice], fields: null });
    }
  });

  it("refuses a choice the subject does not support (listings have no owner), an unknown action or subject", () => {
    expect(() => ruleForChoice("Initiative", "read", "own")).toThrow(PermissionRulesError);
    expect(() => ruleForChoice("Initiative", "fly", "any")).toThrow(PermissionRulesError);
    expect(() => setCell([], "Spaceship", "read", ["any"])).toThrow(PermissionRulesError);
  });

  it("recognises conditions written in another key order, and nothing beyond the choices", () => {
    expect(choiceOf("Initiative", { status: "published" })).toBe("published");
    expect(choiceOf("Initiative", { status: { $in: ["published", "pending"] } })).toBeNull();
    expect(choiceOf("Initiative", undefined)).toBe("any");
  });

  it("sets one cell and keeps the others, merging rules that differ only by action", () => {
    let rules: PermissionRule[] = [];
    rules = setCell(rules, "Initiative", "read", ["published", "organisation"]);
    rules = setCell(rules, "Initiative", "update", ["organisation"], ["name", "description"]);
    rules = setCell(rules, "Initiative", "moderate", ["organisation"]);
    expect(readCell(rules, "Initiative", "read")).toEqual({ kind: "choices", choices: ["organisation", "published"], fields: null });
    expect(readCell(rules, "Initiative", "update")).toEqual({ kind: "choices", choices: ["organisation"], fields: ["name", "description"] });
    expect(readCell(rules, "Initiative", "create")).toEqual({ kind: "choices", choices: [], fields: null });
    // read and moderate on "their organisation's" share one rule.
    expect(rules.filter((r) => JSON.stringify(r.conditions) === JSON.stringify({ organisation_id: { $in: USER_ORGANISATION_IDS } }) && !r.fields)).toEqual([
      { action: ["read", "moderate"], subject: "Initiative", conditions: { organisation_id: { $in: USER_ORGANISATION_IDS } } },
    ]);
    rules = setCell(rules, "Initiative", "read", []);
    expect(readCell(rules, "Initiative", "read")).toEqual({ kind: "choices", choices: [], fields: null });
    expect(readCell(rules, "Initiative", "moderate")).toEqual({ kind: "choices", choices: ["organisation"], fields: null });
    // "any" covers everything else picked with it.
    rules = setCell(rules, "Initiative", "read", ["published", "any"]);
    expect(readCell(rules, "Initiative", "read")).toEqual({ kind: "choices", choices: ["any"], fields: null });
    expect(assertValidRules(rules)).toHaveLength(rules.length);
  });

  it("shows a cell whose rules go beyond the choices as custom", () => {
    const rules = [{ action: "read", subject: "Initiative", conditions: { status: { $in: ["published", "pending"] } } }];
    expect(readCell(rules, "Initiative", "read")).toEqual({ kind: "custom" });
    const mixedFields = [
      { action: "update", subject: "Initiative", fields: ["name"], conditions: { status: "published" } },
      { action: "update", subject: "Initiative", fields: ["description"], conditions: { neighbourhood: USER_NEIGHBOURHOOD } },
    ];
    expect(readCell(mixedFields, "Initiative", "update")).toEqual({ kind: "custom" });
  });

  it("lays out the whole matrix of a role: one row per subject, one cell per action", () => {
    const matrix = roleMatrix(defaultRoleRules("association_manager").directory).filter((row) => row.module === "directory");
    expect(matrix).toHaveLength(1);
    expect(matrix[0].subject).toBe("Initiative");
    expect(matrix[0].choices).toEqual(["any", "organisation", "published", "neighbourhood"]);
    expect(matrix[0].cells.map((c) => [c.action, c.cell.kind === "choices" ? c.cell.choices : "custom"])).toEqual([
      ["read", ["organisation"]],
      ["create", []],
      ["update", ["organisation"]],
      ["moderate", []],
      ["revert", []],
      ["claim", ["published"]],
      ["assign", []],
      ["remind", []],
      ["route", []],
      ["import", []],
    ]);
  });
});

describe("what can this role do", () => {
  it("says it in French and in English, from the default rules", () => {
    const rules = defaultRoleRules("association_manager").directory;
    const fr = summariseRole(rules, tFor("fr"), "fr");
    expect(fr.nothing).toBeNull();
    expect(fr.subjects).toHaveLength(1);
    expect(fr.subjects[0].name).toBe("Initiatives");
    expect(fr.subjects[0].sentences[0]).toBe("Peut consulter les initiatives de son organisation.");
    expect(fr.subjects[0].sentences[1]).toMatch(/^Peut modifier les initiatives de son organisation, pour ces champs seulement : nom, type, .* et accessibilité\.$/);
    const en = summariseRole(defaultRoleRules("visitor").directory, tFor("en"), "en");
    expect(en.subjects[0].sentences).toEqual(["Can view published initiatives.", "Can propose initiatives."]);
  });

  it("joins several choices with 'or', marks custom rules, and says when a role grants nothing", () => {
    const rules = setCell([{ action: "update", subject: "Initiative", conditions: { status: { $ne: "refused" } } }], "Initiative", "read", ["published", "neighbourhood"]);
    expect(summariseRole(rules, tFor("fr"), "fr").subjects[0].sentences).toEqual([
      "Peut consulter les initiatives publiées ou les initiatives de son quartier.",
      "Peut modifier certaines initiatives, selon une règle personnalisée.",
    ]);
    expect(summariseRole([], tFor("fr"), "fr")).toEqual({ subjects: [], nothing: "Ce rôle ne donne aucun droit." });
  });

  it("explains a refusal with the action and the subject", () => {
    expect(refusalMessage(tFor("fr"), "moderate", "Initiative")).toBe(
      "Votre rôle ne vous autorise pas à modérer les initiatives. Si vous pensez que c'est une erreur, contactez la mairie.",
    );
    expect(refusalMessage(tFor("en"), "update", "Initiative")).toMatch(/^Your role does not allow you to edit initiatives\./);
    expect(refusalMessage(tFor("fr"), "fly", "Spaceship")).toMatch(/^Votre rôle ne vous autorise pas à faire cela\./);
  });
});
