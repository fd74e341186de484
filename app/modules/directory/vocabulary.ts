// Default vocabularies of the directory, from the field notes. A tenant's staff may store its
// own list per vocabulary (table directory_vocabulary); a stored list replaces the default.
export type VocabularyName = "kind" | "layer" | "stage";
export type VocabularyEntry = { key: string; labels: { fr: string; en: string }; colour: string | null };
export type Vocabularies = Record<VocabularyName, VocabularyEntry[]>;

const entry = (key: string, fr: string, en: string, colour: string | null = null): VocabularyEntry => ({ key, labels: { fr, en }, colour });

export const DEFAULT_VOCABULARIES: Vocabularies = {
  kind: [
    entry("buying_group", "Groupement d'achat", "Buying group", "#1d4ed8"),
    entry("cooperative_supermarket", "Projet de supermarché coopératif", "Cooperative supermarket project", "#7a1fa2"),
    entry("amap", "AMAP", "Community-supported agriculture (AMAP)", "#15803d"),
    entry("repair_cafe", "Repair café", "Repair café", "#b45309"),
    entry("give_box", "Boîte à dons", "Give box", "#be123c"),
    entry("shared_garden", "Jardin partagé", "Shared garden", "#047857"),
    entry("tool_library", "Outilthèque", "Tool library", "#4338ca"),
  ],
  // Thematic layers of the field notes' collaborative map.
  layer: [
    entry("se_nourrir", "Se nourrir", "Food"),
    entry("echanger", "Échanger", "Exchange"),
    entry("se_deplacer", "Se déplacer", "Getting around"),
    entry("bidouiller", "Bidouiller", "Make and repair"),
    entry("se_loger", "Se loger", "Housing"),
    entry("travailler", "Travailler", "Work"),
  ],
  // Stages of cooperative shop projects, with the colour code the field notes asked for.
  stage: [
    entry("gestation", "En gestation", "In gestation", "#6b7280"),
    entry("selling_a_little", "Association qui vend un peu", "Association selling a little", "#b45309"),
    entry("test_grocery", "Épicerie test", "Test grocery", "#1d4ed8"),
    entry("cooperative_shop", "Coopérative avec magasin", "Cooperative with a shop", "#15803d"),
  ],
};

export function vocabularyLabel(entries: VocabularyEntry[], key: string | null | undefined, locale: string): string {
  const found = entries.find((e) => e.key === key);
  if (!found) return key ?? "";
  return locale === "en" ? found.labels.en : found.labels.fr;
}

export type VocabularyValue = { key: string; label: string };
export type VocabularyValues = Record<VocabularyName, VocabularyValue[]>;

/** Each vocabulary as key + label in one language: what the pages that document the values show. */
export function localisedVocabularies(vocabularies: Vocabularies, locale: string): VocabularyValues {
  const values = (name: VocabularyName) => vocabularies[name].map((e) => ({ key: e.key, label: vocabularyLabel(vocabularies[name], e.key, locale) }));
  return { kind: values("kind"), layer: values("layer"), stage: values("stage") };
}
