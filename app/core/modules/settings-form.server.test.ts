// The settings form generated from a zod schema: every kind of setting the describer knows,
// the French way of typing numbers, empty inputs, errors per field, and every registered
// module's schema (with its labels and help texts in both languages).
import { z } from "zod";
import { allResources } from "../i18n/resources.server";
import { listModules } from "./registry.server";
import {
  describeSettings,
  leafFields,
  parseSettingNumber,
  parseSettingsForm,
  settingsFormValues,
  UnsupportedSettingError,
  type SettingField,
} from "./settings-form.server";

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(`settings.${name}`, v);
  }
  return data;
}

const kitchenSink = z
  .object({
    enabled: z.boolean().default(true),
    months: z.number().int().min(1).max(36).default(6),
    ratio: z.number().gt(0).lt(10).multipleOf(0.5).optional(),
    licence: z.enum(["etalab-2.0", "odbl-1.0"]).default("etalab-2.0"),
    homepage: z.string().url().startsWith("https://").optional(),
    contact: z.string().email().nullable(),
    signature: z.string().max(40).default("La mairie"),
    slugs: z.array(z.string().regex(/^[a-z-]+$/)).default([]),
    days: z.array(z.enum(["mon", "tue", "wed"])).default(["mon"]),
    map: z
      .object({ zoom: z.number().int().min(1).max(20).default(13), label: z.string().min(2).optional() })
      .default({}),
    checked: z.string().refine((v) => v !== "interdit", "example:settings.errors.reserved").optional(),
  })
  .strict();

describe("describeSettings", () => {
  const fields = describeSettings(kitchenSink);
  const byPath = new Map(leafFields(fields).map((f) => [f.path, f]));

  it("gives every kind of setting its control, with bounds, default and what empty means", () => {
    expect(fields.map((f) => [f.path, f.kind])).toEqual([
      ["enabled", "boolean"],
      ["months", "number"],
      ["ratio", "number"],
      ["licence", "select"],
      ["homepage", "text"],
      ["contact", "text"],
      ["signature", "text"],
      ["slugs", "list"],
      ["days", "multi"],
      ["map", "group"],
      ["checked", "text"],
    ]);
    expect(byPath.get("enabled")).toMatchObject({ name: "settings.enabled", empty: "default", default: true });
    expect(byPath.get("months")).toMatchObject({ integer: true, min: 1, minInclusive: true, max: 36, maxInclusive: true, default: 6, empty: "default" });
    expect(byPath.get("ratio")).toMatchObject({ integer: false, min: 0, minInclusive: false, max: 10, maxInclusive: false, step: 0.5, empty: "absent" });
    expect(byPath.get("ratio")).not.toHaveProperty("default");
    expect(byPath.get("licence")).toMatchObject({ options: ["etalab-2.0", "odbl-1.0"], default: "etalab-2.0" });
    expect(byPath.get("homepage")).toMatchObject({ inputType: "url", prefix: "https://", empty: "absent" });
    expect(byPath.get("contact")).toMatchObject({ inputType: "email", empty: "null" });
    expect(byPath.get("signature")).toMatchObject({ inputType: "text", maxLength: 40, default: "La mairie" });
    expect(byPath.get("slugs")).toMatchObject({ inputType: "text", default: [] });
    expect(byPath.get("days")).toMatchObject({ options: ["mon", "tue", "wed"], default: ["mon"] });
    expect(byPath.get("map.zoom")).toMatchObject({ name: "settings.map.zoom", integer: true, default: 13 });
    expect(byPath.get("map.label")).toMatchObject({ minLength: 2, empty: "absent" });
    expect(byPath.get("checked")).toMatchObject({ kind: "text", empty: "absent" });
    const required = describeSettings(z.object({ name: z.string() }))[0];
    expect(required.empty).toBe("required");
  });

  it.each([
    ["a date", z.object({ since: z.date() }), "since"],
    ["a union", z.object({ either: z.union([z.string(), z.number()]) }), "either"],
    ["a record", z.object({ labels: z.record(z.string()) }), "labels"],
    ["an array of objects", z.object({ rows: z.array(z.object({ a: z.string() })) }), "rows[]"],
    ["an array of numbers", z.object({ sizes: z.array(z.number()) }), "sizes[]"],
    ["a literal", z.object({ version: z.literal(1) }), "version"],
    ["a nested unsupported type", z.object({ map: z.object({ at: z.date().optional() }) }), "map.at"],
    ["a schema that is not an object", z.string(), ""],
  ])("refuses %s loudly, naming the setting", (_what, schema, path) => {
    let thrown: unknown;
    try {
      describeSettings(schema);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedSettingError);
    expect((thrown as UnsupportedSettingError).path).toBe(path);
  });
});

describe("parseSettingNumber", () => {
  it.each([
    ["12", 12],
    ["1,5", 1.5],
    ["1.5", 1.5],
    [" 1 000 ", 1000],
    ["1\u202f000,25", 1000.25],
    ["-3", -3],
  ])("reads %j as %d", (raw, n) => expect(parseSettingNumber(raw)).toBe(n));

  it.each(["", "abc", "1,2,3", "1e3", "12 mois", "0x10", ","])("refuses %j", (raw) => expect(parseSettingNumber(raw)).toBeNull());
});

describe("parseSettingsForm", () => {
  const full = {
    enabled: "on",
    months: "12",
    ratio: "2,5",
    licence: "odbl-1.0",
    homepage: "https://mairie.example.org/",
    contact: "contact@example.org",
    signature: "Le service",
    slugs: "lomme\n\n  hellemmes  \r\n",
    days: ["tue", "wed"],
    "map.zoom": "15",
    "map.label": "Centre",
    checked: "ok",
  };

  it("reads every kind of field back into the schema's types", () => {
    const result = parseSettingsForm(kitchenSink, form(full));
    expect(result).toEqual({
      ok: true,
      settings: {
        enabled: true,
        months: 12,
        ratio: 2.5,
        licence: "odbl-1.0",
        homepage: "https://mairie.example.org/",
        contact: "contact@example.org",
        signature: "Le service",
        slugs: ["lomme", "hellemmes"],
        days: ["tue", "wed"],
        map: { zoom: 15, label: "Centre" },
        checked: "ok",
      },
    });
  });

  it("leaves an empty optional setting out, gives an empty one its default, null when nullable, false for an unticked box", () => {
    const result = parseSettingsForm(kitchenSink, form({ months: "", ratio: "", licence: "", homepage: " ", contact: "", signature: "", slugs: "", "map.zoom": "", "map.label": "" }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings).toEqual({ enabled: false, months: 6, licence: "etalab-2.0", contact: null, signature: "La mairie", slugs: [], days: [], map: { zoom: 13 } });
    expect(result.settings).not.toHaveProperty("ratio");
    expect(result.settings).not.toHaveProperty("homepage");
  });

  it("reports each bad field with a translatable key and gives back what was typed", () => {
    const result = parseSettingsForm(
      kitchenSink,
      form({ ...full, months: "40", ratio: "trois", licence: "cc0", homepage: "http://mairie.example.org/", contact: "pas-un-courriel", slugs: "lomme\nPas Valide", "map.zoom": "2,5", checked: "interdit" }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      "settings.months": "console-modules:errors.range",
      "settings.ratio": "console-modules:errors.number",
      "settings.licence": "common:form.errors.choice",
      "settings.homepage": "console-modules:errors.prefix",
      "settings.contact": "common:form.errors.email",
      "settings.slugs": "console-modules:errors.listItem",
      "settings.map.zoom": "console-modules:errors.integer",
      "settings.checked": "example:settings.errors.reserved",
    });
    expect(result.values).toMatchObject({ "settings.months": "40", "settings.ratio": "trois", "settings.slugs": "lomme\nPas Valide", "settings.days": ["tue", "wed"], "settings.enabled": "on" });
  });

  it("names a missing required setting and a value that is not a web address", () => {
    const schema = z.object({ name: z.string(), site: z.string().url().optional(), step: z.number().multipleOf(5).optional() });
    const result = parseSettingsForm(schema, form({ name: "", site: "mairie", step: "7" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      "settings.name": "common:form.errors.required",
      "settings.site": "console-modules:errors.url",
      "settings.step": "console-modules:errors.step",
    });
  });

  it("puts an error on the whole object in `_form`", () => {
    const schema = z.object({ min: z.number().default(1), max: z.number().default(2) }).refine((s) => s.min <= s.max);
    const result = parseSettingsForm(schema, form({ min: "5", max: "3" }));
    expect(result).toMatchObject({ ok: false, errors: { _form: "common:form.errors.invalid" } });
  });

  it("shows stored settings the way they are typed (decimal comma, one value per line)", () => {
    const values = settingsFormValues(describeSettings(kitchenSink), kitchenSink.parse({ ratio: 2.5, slugs: ["a", "b"], contact: null }));
    expect(values).toMatchObject({
      "settings.enabled": "on",
      "settings.months": "6",
      "settings.ratio": "2,5",
      "settings.slugs": "a\nb",
      "settings.days": ["mon"],
      "settings.map.zoom": "13",
      "settings.contact": "",
      "settings.homepage": "",
    });
    // What the form shows reads back to the same settings.
    const again = parseSettingsForm(kitchenSink, form(Object.fromEntries(Object.entries(values).map(([k, v]) => [k.slice("settings.".length), v]).filter(([, v]) => v !== ""))));
    expect(again).toEqual({ ok: true, settings: kitchenSink.parse({ ratio: 2.5, slugs: ["a", "b"], contact: null }) });
  });
});

describe("every registered module", () => {
  const lookup = (tree: unknown, key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
  const withGroups = (fields: SettingField[]): SettingField[] => fields.flatMap((f) => (f.kind === "group" ? [f, ...withGroups(f.fields)] : [f]));

  it.each(listModules().map((m) => [m.id, m] as const))("%s: has a settings form, every setting labelled and explained in fr and en", (id, manifest) => {
    const fields = describeSettings(manifest.settings);
    for (const lang of ["fr", "en"] as const) {
      const ns = allResources[lang][id];
      for (const f of withGroups(fields)) {
        for (const part of ["label", "help"]) {
          expect(lookup(ns, `settings.${f.path}.${part}`), `${id}:settings.${f.path}.${part} (${lang})`).toEqual(expect.any(String));
        }
        if (f.kind === "select" || f.kind === "multi") {
          const options = (lookup(ns, `settings.${f.path}`) as { options?: Record<string, string> }).options ?? {};
          for (const o of f.options) expect(options[o], `${id}:settings.${f.path}.options["${o}"] (${lang})`).toEqual(expect.any(String));
        }
      }
    }
    // Its defaults (an empty object) read back through the form unchanged.
    const defaults = manifest.settings.parse({});
    const shown = settingsFormValues(fields, defaults);
    const data = new FormData();
    for (const [name, value] of Object.entries(shown)) for (const v of Array.isArray(value) ? value : [value]) if (v !== "") data.append(name, v);
    expect(parseSettingsForm(manifest.settings, data, fields)).toEqual({ ok: true, settings: defaults });
  });
});
