import type { TenantContext } from "../tenant/tenant.server";
import { hostOf } from "../tenant/tenant.server";

/**
 * A path on this site to go back to after a form, or "/". Anything that could leave the
 * site (`//evil`, `/\evil`, `https://…`, control characters) is refused: an open redirect
 * on a town's portal would serve phishing.
 */
export function safeReturnPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  return value;
}

/**
 * Scheme and host for absolute links in emails: the host the request came in on, which
 * resolved to this tenant (so it is one of its host names), with the request's port.
 */
export function tenantOrigin(request: Request, tenant: Pick<TenantContext, "hosts">): string {
  const url = new URL(request.url);
  const host = hostOf(request);
  const safeHost = tenant.hosts.includes(host) ? host : tenant.hosts[0];
  const port = (request.headers.get("host") ?? url.host).match(/:(\d+)$/)?.[1];
  return `${url.protocol}//${safeHost}${port ? `:${port}` : ""}`;
}
