// maplibre's worker for the map pages of a tenant with a production base map: the worker
// fetches the vector tiles under the policy of its own script's response, which must
// therefore allow the tenant's style origin too (map-policy.server.ts). Other tenants'
// maps use the static copy under /vendor.
import { tenantLoader } from "~/core/route.server";
import { mapPolicyHeaders, mapWorkerSource } from "../../map-policy.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tenant, context }) =>
    new Response(mapWorkerSource(), {
      headers: {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": "public, max-age=3600",
        ...mapPolicyHeaders(tenant, context.nonce),
      },
    }),
  { module: "directory" },
);
