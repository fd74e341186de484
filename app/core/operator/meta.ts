import type { MetaDescriptor } from "@remix-run/node";
import { titledMeta } from "../ui/meta";

type Match = { id: string; data: unknown; meta?: MetaDescriptor[] } | undefined;

/** "page · Console de l'opérateur · Communa": the console's name comes from the root shell data. */
export function operatorMeta(matches: ReadonlyArray<Match>, title: string | undefined): MetaDescriptor[] {
  const root = matches.find((m) => m?.id === "root")?.data as { consoleName?: string } | undefined;
  return titledMeta(matches, title, root?.consoleName);
}
