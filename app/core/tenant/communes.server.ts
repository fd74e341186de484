// Facts about a French commune from the official administrative dataset
// (@etalab/decoupage-administratif, shipped in node_modules: no network). Shared by
// `npm run tenants:sync` and the operator console's "new town" form.
import { createRequire } from "node:module";
import type { CommuneFacts } from "./definition";

type Commune = { code: string; nom: string; type: string; population?: number; codesPostaux?: string[]; departement?: string; chefLieu?: string };

// Read through require: a JSON import from node_modules would need an import attribute in
// the built server, and the file (a few MB) is only parsed by the code that needs it.
let communes: Commune[] | undefined;
function allCommunes(): Commune[] {
  communes ??= createRequire(import.meta.url)("@etalab/decoupage-administratif/data/communes.json") as Commune[];
  return communes;
}

export const INSEE_CODE = /^(\d{5}|2[AB]\d{3})$/;

export function communeFacts(inseeCode: string): CommuneFacts | null {
  const all = allCommunes();
  const matches = all.filter((c) => c.code === inseeCode);
  if (matches.length === 0) return null;
  // A code can name both a current commune and a former one merged into it: prefer the current.
  const c = matches.find((m) => m.type === "commune-actuelle") ?? matches[0];
  const parent = c.chefLieu ? all.find((p) => p.code === c.chefLieu && p.type === "commune-actuelle") : undefined;
  return {
    inseeCode: c.code,
    officialName: c.nom,
    type: c.type,
    population: typeof c.population === "number" ? c.population : null,
    // An associated or delegated commune has no postcode of its own in the dataset, and its
    // parent's list covers the whole parent town (Lille has five): claim none rather than
    // mislead. The definition's `postalCodes` says which of the parent's codes apply.
    postalCodes: c.chefLieu ? [] : (c.codesPostaux ?? []),
    departement: c.departement ?? null,
    chefLieu: c.chefLieu ?? null,
    parentName: parent?.nom ?? null,
  };
}
