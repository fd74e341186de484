// The core's own translations, so that journeys assert the text the app is meant to show in
// each language without copying it (a wording change does not break them; a missing or
// untranslated string does).
import fs from "node:fs";
import path from "node:path";

export type Language = "fr" | "en";

const cache = new Map<string, Record<string, unknown>>();

function namespace(lng: Language, ns: string) {
  const file = path.resolve("app", "core", "locales", lng, `${ns}.json`);
  let data = cache.get(file);
  if (!data) {
    data = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    cache.set(file, data);
  }
  return data;
}

/** `text("fr", "shell.skipToContent")` or `text("en", "auth:signIn.title")`, with {{values}}. */
export function text(lng: Language, key: string, values: Record<string, string | number> = {}): string {
  const [ns, keyPath] = key.includes(":") ? key.split(":", 2) : ["common", key];
  let node: unknown = namespace(lng, ns);
  for (const part of keyPath.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== "string") throw new Error(`No string ${key} in app/core/locales/${lng}/${ns}.json`);
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
}
