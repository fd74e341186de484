// The one wrapper every loader and action goes through. It resolves, in this order: the
// tenant (from the Host header), the module gate, the transaction scoped to the tenant, the
// signed-in user, the locale, the ability; actions are CSRF-checked first.
// Convention: throw responses (404, 403, redirect to sign-in) only before writing; return
// the redirect after a write, since a thrown response rolls the transaction back.
import { json, redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from "@remix-run/node";
import type { Params } from "@remix-run/react";
import type { TFunction } from "i18next";
import { abilityFor, hasRole, type AppAbility } from "./auth/ability.server";
import { getSessionUser, sessionTokenFrom, type SessionUser } from "./auth/session.server";
import { withTenant, type Tx } from "./db/db.server";
import { CSRF_FIELD, csrfTokenFor, isValidCsrf } from "./http/csrf.server";
import { readCookie } from "./http/cookies.server";
import { isLocale, tFor } from "./i18n/i18n.server";
import { moduleForPath } from "./modules/registry.server";
import type { Locale } from "./tenant/definition";
import { hostOf, isModuleEnabled, resolveTenant, type TenantContext } from "./tenant/tenant.server";

export const LOCALE_COOKIE = "communa_lng";

export type RouteContext = {
  request: Request;
  params: Params;
  context: AppLoadContext;
  tenant: TenantContext;
  user: SessionUser | null;
  ability: AppAbility;
  locale: Locale;
  t: TFunction;
  tx: Tx;
  csrfToken: string;
  /** The signed-in user, or a redirect to the sign-in page that comes back here. */
  requireUser: () => SessionUser;
  /** Work to run once the transaction has committed (sending mail, cache invalidation). */
  afterCommit: (fn: () => Promise<void> | void) => void;
};

export type ActionContext = RouteContext & { form: FormData };

export type RouteOptions = {
  /** The module this route belongs to: 404 when the tenant has not enabled it. */
  module?: string;
  /** Signed-in users holding one of these roles only (403 otherwise). */
  roles?: string[];
  signedIn?: boolean;
  /** Still answer while the tenant is suspended (the shell, to show the notice). */
  allowSuspended?: boolean;
};

export type ErrorReason = "unknown-host" | "not-found" | "forbidden" | "suspended" | "csrf";

export function errorResponse(status: number, reason: ErrorReason, extra: Record<string, unknown> = {}) {
  return json({ reason, ...extra }, { status });
}

export function notFound(): never {
  throw errorResponse(404, "not-found");
}

export function forbidden(message?: string): never {
  throw errorResponse(403, "forbidden", message ? { message } : {});
}

export function localeFor(request: Request, tenant: TenantContext, user: SessionUser | null): Locale {
  const enabled = (l: unknown): l is Locale => isLocale(l) && tenant.locales.includes(l);
  const fromCookie = readCookie(request, LOCALE_COOKIE);
  if (enabled(fromCookie)) return fromCookie;
  if (enabled(user?.locale)) return user.locale as Locale;
  return tenant.defaultLocale;
}

export async function requireTenant(request: Request): Promise<TenantContext> {
  const tenant = await resolveTenant(hostOf(request));
  if (!tenant) throw errorResponse(404, "unknown-host", { host: hostOf(request) });
  return tenant;
}

async function run<T>(
  args: LoaderFunctionArgs | ActionFunctionArgs,
  options: RouteOptions,
  form: FormData | null,
  fn: (ctx: RouteContext & { form: FormData }) => Promise<T>,
): Promise<T> {
  const { request, params, context } = args;
  const tenant = await requireTenant(request);
  if (tenant.status === "suspended" && !options.allowSuspended) throw errorResponse(503, "suspended");
  const pathModule = moduleForPath(new URL(request.url).pathname);
  for (const moduleId of [options.module, pathModule?.id]) {
    if (moduleId && !isModuleEnabled(tenant, moduleId)) notFound();
  }
  const pending: Array<() => Promise<void> | void> = [];
  const token = sessionTokenFrom(request);
  const result = await withTenant(tenant.id, async (tx) => {
    const user = token ? await getSessionUser(tx, token) : null;
    const locale = localeFor(request, tenant, user);
    const requireUser = () => {
      if (user) return user;
      const url = new URL(request.url);
      throw redirect(`/connexion?retour=${encodeURIComponent(url.pathname + url.search)}`);
    };
    if (options.signedIn || options.roles) requireUser();
    if (options.roles && !hasRole(user, ...options.roles)) forbidden();
    return fn({
      request,
      params,
      context,
      tenant,
      user,
      ability: abilityFor(user),
      locale,
      t: tFor(locale),
      tx,
      csrfToken: csrfTokenFor(context.csrfSeed),
      requireUser,
      afterCommit: (f) => pending.push(f),
      form: form as FormData,
    });
  });
  for (const f of pending) {
    try {
      await f();
    } catch (error) {
      context.log.error("after-commit task failed", { error: String(error) });
    }
  }
  return result;
}

/**
 * Marks a loader/action as produced by one of the request wrappers; a test walks every route
 * module and fails on any loader or action without the mark.
 */
export const WRAPPED = Symbol.for("communa.route-wrapper");
export function markWrapped<F extends (...args: never[]) => unknown>(fn: F, kind: string): F {
  Object.defineProperty(fn, WRAPPED, { value: kind });
  return fn;
}

export function tenantLoader<T>(fn: (ctx: RouteContext) => Promise<T>, options: RouteOptions = {}) {
  return markWrapped((args: LoaderFunctionArgs) => run(args, options, null, fn), "tenant");
}

export function tenantAction<T>(fn: (ctx: ActionContext) => Promise<T>, options: RouteOptions = {}) {
  return markWrapped(async (args: ActionFunctionArgs) => {
    const { request, context } = args;
    const origin = request.headers.get("origin");
    if (origin && origin !== "null" && new URL(origin).host !== request.headers.get("host")) {
      throw errorResponse(403, "csrf");
    }
    const form = await readForm(request);
    if (!isValidCsrf(context.csrfSeed, form.get(CSRF_FIELD))) throw errorResponse(403, "csrf");
    return run(args, options, form, fn as (ctx: RouteContext & { form: FormData }) => Promise<T>);
  }, "tenant");
}

async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    return new FormData();
  }
}
