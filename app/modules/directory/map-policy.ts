// A map page's document takes the policy its loader answered (see map-policy.server.ts):
// Remix sends a document's headers only from a route's `headers` export.
import type { HeadersFunction } from "@remix-run/node";

export const mapPageHeaders: HeadersFunction = ({ loaderHeaders, errorHeaders }) => {
  const policy = (errorHeaders ?? loaderHeaders).get("Content-Security-Policy");
  const headers: Record<string, string> = {};
  if (policy) headers["Content-Security-Policy"] = policy;
  return headers;
};
