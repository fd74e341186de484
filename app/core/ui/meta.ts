import type { MetaDescriptor } from "@remix-run/node";

/**
 * A route's `meta` replaces its parents' entirely in Remix v2: keep theirs (viewport and the
 * like) and put "page · town · Communa" in place of their title.
 */
export function titledMeta(
  matches: ReadonlyArray<{ meta?: MetaDescriptor[] } | undefined>,
  title: string | undefined,
  town: string | undefined,
): MetaDescriptor[] {
  const inherited = matches.flatMap((m) => m?.meta ?? []).filter((d) => !("title" in d));
  return [...inherited, { title: [title, town, "Communa"].filter(Boolean).join(" · ") }];
}
