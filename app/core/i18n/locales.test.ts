// French and English must say the same things: the same keys in every namespace of the core
// and of every module, no empty string, and the same {{placeholders}} (a translation that
// drops {{name}} would drop the town's name from the page).
import fs from "node:fs";
import path from "node:path";
import { listModules } from "~/core/modules/registry.server";
import { allResources } from "./resources.server";

type Tree = Record<string, unknown>;

/** Leaf strings by dotted key. */
function flatten(tree: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (tree === null || typeof tree !== "object" || Array.isArray(tree)) {
    out.set(prefix, tree);
    return out;
  }
  for (const [key, value] of Object.entries(tree as Tree)) {
    for (const [k, v] of flatten(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

// Languages need different plural forms (French has `_many`, English does not): compare the
// keys without the plural suffix, and require a general form (`_other`, or the bare key that
// i18next falls back on) wherever one is pluralised.
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, "");
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

function problems(fr: unknown, en: unknown): string[] {
  const out: string[] = [];
  const maps = { fr: flatten(fr), en: flatten(en) };
  const bases = { fr: new Set([...maps.fr.keys()].map(base)), en: new Set([...maps.en.keys()].map(base)) };
  for (const [lang, other] of [["fr", "en"], ["en", "fr"]] as const) {
    for (const key of bases[lang]) if (!bases[other].has(key)) out.push(`${key}: in ${lang}, missing in ${other}`);
    for (const [key, value] of maps[lang]) {
      if (typeof value !== "string") out.push(`${key} (${lang}): ${JSON.stringify(value)} is not a string`);
      else if (value.trim() === "") out.push(`${key} (${lang}): empty string`);
      if (PLURAL.test(key) && !maps[lang].has(`${base(key)}_other`) && !maps[lang].has(base(key))) {
        out.push(`${key} (${lang}): plural without a general form (_other or the bare key)`);
      }
    }
  }
  // Same placeholders for each key, plural forms of one key taken together.
  const vars = (lang: "fr" | "en") => {
    const byKey = new Map<string, Set<string>>();
    for (const [key, value] of maps[lang]) {
      if (typeof value !== "string") continue;
      const set = byKey.get(base(key)) ?? new Set<string>();
      // `count` may be left implicit in a singular form ("un élément").
      for (const v of placeholders(value)) if (v !== "count") set.add(v);
      byKey.set(base(key), set);
    }
    return byKey;
  };
  const frVars = vars("fr");
  const enVars = vars("en");
  for (const [key, set] of frVars) {
    const other = enVars.get(key);
    if (!other) continue;
    const a = [...set].sort().join(", ");
    const b = [...other].sort().join(", ");
    if (a !== b) out.push(`${key}: placeholders differ (fr: ${a || "none"}; en: ${b || "none"})`);
  }
  return out;
}

const coreDir = (lang: string) => path.resolve("app/core/locales", lang);
const jsonFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as unknown;

describe("core translations", () => {
  it("have the same namespace files in fr and en, all of them served", () => {
    expect(jsonFiles(coreDir("en"))).toEqual(jsonFiles(coreDir("fr")));
    const namespaces = jsonFiles(coreDir("fr")).map((f) => f.replace(/\.json$/, ""));
    expect(Object.keys(allResources.fr)).toEqual(expect.arrayContaining(namespaces));
    expect(Object.keys(allResources.en).sort()).toEqual(Object.keys(allResources.fr).sort());
  });

  it.each(jsonFiles(coreDir("fr")))("%s: same keys and placeholders in fr and en, no empty string", (file) => {
    expect(problems(readJson(path.join(coreDir("fr"), file)), readJson(path.join(coreDir("en"), file)))).toEqual([]);
  });
});

describe("module translations", () => {
  const modules = listModules();

  it("exist for every module, with its name and description", () => {
    expect(modules.length).toBeGreaterThan(0);
    for (const m of modules) {
      for (const lang of ["fr", "en"] as const) {
        expect(m.locales[lang], `${m.id} (${lang})`).toMatchObject({ name: expect.any(String), description: expect.any(String) });
      }
    }
  });

  it.each(modules.map((m) => [m.id, m] as const))("%s: same keys and placeholders in fr and en, no empty string", (_id, m) => {
    expect(problems(m.locales.fr, m.locales.en)).toEqual([]);
  });

  it.each(modules.map((m) => m.id))("%s: same locale files in fr and en", (id) => {
    const dir = path.resolve("app/modules", id, "locales");
    const fr = path.join(dir, "fr");
    if (fs.existsSync(fr)) expect(jsonFiles(path.join(dir, "en"))).toEqual(jsonFiles(fr));
    else expect(fs.existsSync(path.join(dir, "fr.json")) && fs.existsSync(path.join(dir, "en.json"))).toBe(true);
  });
});

describe("the parity check itself", () => {
  it("reports missing keys, empty strings and lost placeholders", () => {
    expect(
      problems(
        { a: "Bonjour {{name}}", b: "", c: { d: "x" }, items_one: "un", items_other: "{{count}} éléments", n: 3 },
        { a: "Hello", c: {}, items_one: "one item", e: "extra", n: "three" },
      ).sort(),
    ).toEqual(
      [
        "a: placeholders differ (fr: name; en: none)",
        "b (fr): empty string",
        "b: in fr, missing in en",
        "c.d: in fr, missing in en",
        "e: in en, missing in fr",
        "items_one (en): plural without a general form (_other or the bare key)",
        "n (fr): 3 is not a string",
      ].sort(),
    );
  });
});
