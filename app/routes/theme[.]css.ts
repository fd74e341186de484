import { tenantLoader } from "~/core/route.server";

/**
 * The town's colours as a stylesheet rather than an inline <style>: the CSP then needs no
 * style nonce, which React cannot carry through hydration (browsers hide nonce values).
 */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tenant }) => {
    const { primary, accent } = tenant.definition.theme;
    return new Response(`:root{--brand:${primary};--accent:${accent}}\n`, {
      headers: { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=60" },
    });
  },
  { allowSuspended: true },
);
