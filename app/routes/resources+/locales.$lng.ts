import { json } from "@remix-run/node";
import { allResources } from "~/core/i18n/resources.server";
import { isLocale } from "~/core/i18n/i18n.server";
import { notFound, staticLoader } from "~/core/route.server";

/**
 * Translations for the browser, fetched once before hydration and cached by version. The
 * same on every host (towns, the operator console, and the page of an unknown host).
 */
export const loader = /* @__PURE__ */ staticLoader(async ({ params, request }) => {
  if (!isLocale(params.lng)) notFound();
  const versioned = new URL(request.url).searchParams.has("v");
  return json(allResources[params.lng], {
    headers: { "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=300" },
  });
});
