import type { Tx } from "~/core/db/db.server";
import { DEFAULT_VOCABULARIES, type Vocabularies, type VocabularyName } from "../vocabulary";
import "./tables";

/** The tenant's kinds, layers and stages: its stored lists, or the defaults where it has none. */
export async function getVocabularies(tx: Tx): Promise<Vocabularies> {
  const rows = await tx
    .selectFrom("directory_vocabulary")
    .select(["vocabulary", "key", "labels", "colour"])
    .orderBy("vocabulary")
    .orderBy("position")
    .execute();
  const result: Vocabularies = { kind: [], layer: [], stage: [] };
  for (const r of rows) {
    result[r.vocabulary].push({ key: r.key, labels: { fr: r.labels.fr ?? r.key, en: r.labels.en ?? r.labels.fr ?? r.key }, colour: r.colour });
  }
  for (const name of Object.keys(result) as VocabularyName[]) {
    if (result[name].length === 0) result[name] = DEFAULT_VOCABULARIES[name];
  }
  return result;
}
