// Test support for the account code: a tenant transaction that runs after-commit work the
// way the route wrapper does, and the arguments Remix passes to a loader or an action.
// Imported by tests only.
import crypto from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { withTenant } from "../db/db.server";
import { csrfTokenFor } from "../http/csrf.server";
import type { AccountEnv } from "./accounts.server";
import { sessionCookieName } from "./session.server";

export type TenantRef = { id: string; slug: string; host: string };

export const townName = (tenant: TenantRef) => `Ville ${tenant.slug}`;

/** Like the route wrapper: one tenant transaction, then the after-commit tasks in order. */
export async function inTenant<T>(tenant: TenantRef, fn: (env: AccountEnv) => Promise<T>): Promise<T> {
  const pending: Array<() => Promise<void> | void> = [];
  const result = await withTenant(tenant.id, (tx) =>
    fn({ tx, tenant: { id: tenant.id, name: townName(tenant) }, afterCommit: (f) => pending.push(f), locale: "fr", origin: `http://${tenant.host}` }),
  );
  for (const f of pending) await f();
  return result;
}

export const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function loadContext(overrides: Partial<AppLoadContext> = {}): AppLoadContext {
  return {
    requestId: "test-" + crypto.randomBytes(6).toString("hex"),
    nonce: crypto.randomBytes(16).toString("base64"),
    csrfSeed: crypto.randomBytes(24).toString("base64url"),
    clientIp: "203.0.113.10",
    log: silentLog,
    ...overrides,
  };
}

type RequestOptions = { cookie?: string; clientIp?: string; csrf?: string | null; userAgent?: string };

const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/** Arguments for a route action: a form POSTed to `path` on the tenant's host, with a valid CSRF field. */
export function postArgs(tenant: TenantRef, path: string, fields: Record<string, string>, options: RequestOptions = {}) {
  const context = loadContext(options.clientIp ? { clientIp: options.clientIp } : {});
  const body = new URLSearchParams(fields);
  if (options.csrf !== null) body.set("csrf", options.csrf ?? csrfTokenFor(context.csrfSeed));
  const headers: Record<string, string> = {
    host: tenant.host,
    "content-type": "application/x-www-form-urlencoded",
    "user-agent": options.userAgent ?? USER_AGENT,
  };
  if (options.cookie) headers.cookie = options.cookie;
  return { request: new Request(`http://${tenant.host}${path}`, { method: "POST", headers, body }), params: {}, context };
}

/** Arguments for a route loader: a GET of `path` on the tenant's host. */
export function getArgs(tenant: TenantRef, path: string, options: RequestOptions & { params?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { host: tenant.host, "user-agent": options.userAgent ?? USER_AGENT };
  if (options.cookie) headers.cookie = options.cookie;
  return {
    request: new Request(`http://${tenant.host}${path}`, { headers }),
    params: options.params ?? {},
    context: loadContext(options.clientIp ? { clientIp: options.clientIp } : {}),
  };
}

/** The Cookie header a browser would send back after this Set-Cookie. */
export function cookieFrom(response: Response): string {
  const header = response.headers.get("set-cookie") ?? "";
  const match = header.match(new RegExp(`${sessionCookieName()}=([^;]*)`));
  if (!match) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
  return `${sessionCookieName()}=${match[1]}`;
}

/** Runs a loader or action and returns its response, whether it was returned or thrown. */
export async function respond(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    if (!(result instanceof Response)) throw new Error("expected a Response");
    return result;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}
