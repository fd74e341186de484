import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { allResources } from "~/core/i18n/resources.server";
import { isLocale } from "~/core/i18n/i18n.server";
import { operatorLoader, tenantOrOperatorLoader } from "~/core/operator/route.server";
import { notFound, tenantLoader } from "~/core/route.server";

/** Translations for the browser, fetched once before hydration and cached by version. */
async function translations({ params, request }: Pick<LoaderFunctionArgs, "params" | "request">) {
  if (!isLocale(params.lng)) notFound();
  const versioned = new URL(request.url).searchParams.has("v");
  return json(allResources[params.lng], {
    headers: { "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=300" },
  });
}

// The operator console hydrates with the same translations as the towns' portals.
export const loader = /* @__PURE__ */ tenantOrOperatorLoader({
  tenant: tenantLoader(translations, { allowSuspended: true }),
  operator: operatorLoader(translations, { public: true }),
});
