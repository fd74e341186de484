// What the listing forms need from the server: the town's vocabularies in the reader's
// language, the languages to tick, the map's bounds, and the directory's settings.
import type { Tx } from "~/core/db/db.server";
import type { Locale } from "~/core/tenant/definition";
import type { TenantContext } from "~/core/tenant/tenant.server";
import type { ListingFormOptions } from "./components/ListingFields";
import type { ListingFormContext } from "./data/submission.server";
import { getVocabularies } from "./data/vocabulary.server";
import { LANGUAGE_CHOICES } from "./listing-form";
import { languageOptions, vocabularyOptions } from "./public.server";
import type { Vocabularies } from "./vocabulary";

export async function listingFormSetup(tx: Tx, tenant: TenantContext, locale: Locale): Promise<{ vocabularies: Vocabularies; context: ListingFormContext; options: ListingFormOptions }> {
  const vocabularies = await getVocabularies(tx);
  const vocabulary = vocabularyOptions(vocabularies, locale);
  const bounds = tenant.definition.map.bounds as ListingFormContext["bounds"];
  const pick = (o: { key: string; label: string }) => ({ key: o.key, label: o.label });
  return {
    vocabularies,
    context: { vocabularies, bounds },
    options: {
      kind: vocabulary.kind.map(pick),
      stage: vocabulary.stage.map(pick),
      layer: vocabulary.layer.map(pick),
      // Offered in a fixed order (French first), not sorted by name.
      languages: LANGUAGE_CHOICES.map((code) => languageOptions([code], locale)[0]),
      bounds,
    },
  };
}
