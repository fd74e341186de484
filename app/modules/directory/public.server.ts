// What the list, the map and the map's data endpoint share on the server: the tenant's
// vocabularies in the visitor's language and the filters read from the URL against them.
import type { Tx } from "~/core/db/db.server";
import type { Locale } from "~/core/tenant/definition";
import type { TenantContext } from "~/core/tenant/tenant.server";
import { getVocabularies } from "./data/vocabulary.server";
import { parseFilters } from "./filters";
import { directorySettingsSchema, type DirectorySettings } from "./schemas";
import type { Vocabularies, VocabularyEntry } from "./vocabulary";

export type VocabularyOption = { key: string; label: string; colour: string | null };
export type VocabularyOptions = { kind: VocabularyOption[]; stage: VocabularyOption[]; layer: VocabularyOption[] };

const options = (entries: VocabularyEntry[], locale: Locale): VocabularyOption[] =>
  entries.map((e) => ({ key: e.key, label: locale === "en" ? e.labels.en : e.labels.fr, colour: e.colour }));

export function vocabularyOptions(vocabularies: Vocabularies, locale: Locale): VocabularyOptions {
  return { kind: options(vocabularies.kind, locale), stage: options(vocabularies.stage, locale), layer: options(vocabularies.layer, locale) };
}

export async function readFilters(tx: Tx, request: Request, locale: Locale) {
  const vocabularies = await getVocabularies(tx);
  const parsed = parseFilters(new URL(request.url).searchParams, {
    kind: vocabularies.kind.map((e) => e.key),
    stage: vocabularies.stage.map((e) => e.key),
    layer: vocabularies.layer.map((e) => e.key),
  });
  return { ...parsed, vocabulary: vocabularyOptions(vocabularies, locale) };
}

/** Language codes with their names in the visitor's language ("ar" → "Arabe"). */
export function languageOptions(codes: string[], locale: Locale): { code: string; label: string }[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale], { type: "language" });
  } catch {
    names = null;
  }
  return codes
    .map((code) => {
      let label = code;
      try {
        label = names?.of(code) ?? code;
      } catch {
        label = code;
      }
      return { code, label: label.charAt(0).toLocaleUpperCase(locale) + label.slice(1) };
    })
    .sort((a, b) => a.label.localeCompare(b.label, locale));
}

export function directorySettings(tenant: TenantContext): DirectorySettings {
  // Settings are validated when the tenant folder is synced; defaults rather than a 500 if
  // a stored value no longer fits a newer schema.
  const parsed = directorySettingsSchema.safeParse(tenant.modules.directory?.settings ?? {});
  return parsed.success ? parsed.data : directorySettingsSchema.parse({});
}
