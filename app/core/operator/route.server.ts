// The wrappers of every loader and action of the operator console, the counterpart of
// tenantLoader/tenantAction for the people who run the platform. In this order: the host
// must be an operator host (on a town's host these routes do not exist: 404), actions are
// CSRF-checked, a platform transaction is opened (no tenant set: tenant tables read as
// empty), the operator session is loaded, then the locale. A handler reaches one town's
// data only through `withTenant(tenantId, ...)`, a transaction of its own scoped to that town.
// Route files write `export const loader = /* @__PURE__ */ operatorLoader(...)`: without the
// mark the browser bundle keeps the call (a top-level side effect for esbuild), and this
// module is empty there, so the page's script would throw and never hydrate.
import { redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from "@remix-run/node";
import type { Params } from "@remix-run/react";
import type { TFunction } from "i18next";
import { withPlatform, withTenant, type Tx } from "../db/db.server";
import { CSRF_FIELD, csrfTokenFor, isValidCsrf } from "../http/csrf.server";
import { readCookie } from "../http/cookies.server";
import { isLocale, tFor } from "../i18n/i18n.server";
import { DEFAULT_MAX_BODY_BYTES, errorResponse, LOCALE_COOKIE, markWrapped, readLimitedForm, WRAPPED } from "../route.server";
import { LOCALES, type Locale } from "../tenant/definition";
import { hostOf } from "../tenant/tenant.server";
import { isOperatorHost } from "./hosts.server";
import { getOperatorSession, operatorTokenFrom, type OperatorSession } from "./session.server";

export const OPERATOR_HOME = "/operateur";
export const OPERATOR_SIGN_IN = "/operateur/connexion";

export type OperatorRouteContext = {
  request: Request;
  params: Params;
  context: AppLoadContext;
  /** The signed-in operator; always set unless the route is `public`. */
  operator: OperatorSession | null;
  locale: Locale;
  /** Translations bound to the `operator` namespace. */
  t: TFunction;
  /** The platform transaction: platform tables only. */
  tx: Tx;
  csrfToken: string;
  /** One town's data, in a transaction of its own scoped to that town by row-level security. */
  withTenant: typeof withTenant;
  afterCommit: (fn: () => Promise<void> | void) => void;
};

export type OperatorActionContext = OperatorRouteContext & { form: FormData };

export type OperatorRouteOptions = {
  /** Answers without a signed-in operator (the sign-in page, the shell). Default: sign-in required. */
  public?: boolean;
};

export const OPERATOR_LOCALES: readonly Locale[] = LOCALES;

export function operatorLocale(request: Request): Locale {
  const fromCookie = readCookie(request, LOCALE_COOKIE);
  return isLocale(fromCookie) ? fromCookie : "fr";
}

/** Operator routes do not exist on a town's host. */
export function requireOperatorHost(request: Request) {
  if (!isOperatorHost(hostOf(request))) throw errorResponse(404, "not-found");
}

/** Only paths of the console itself: an open redirect would help phishing. */
export function safeOperatorReturn(value: unknown): string {
  if (typeof value !== "string") return OPERATOR_HOME;
  return value === OPERATOR_HOME || value.startsWith(OPERATOR_HOME + "/") || value.startsWith(OPERATOR_HOME + "?") ? value : OPERATOR_HOME;
}

async function run<T>(
  args: LoaderFunctionArgs | ActionFunctionArgs,
  options: OperatorRouteOptions,
  form: FormData | null,
  fn: (ctx: OperatorActionContext) => Promise<T>,
): Promise<T> {
  const { request, params, context } = args;
  const pending: Array<() => Promise<void> | void> = [];
  const token = operatorTokenFrom(request);
  const locale = operatorLocale(request);
  const result = await withPlatform(async (tx) => {
    const operator = token ? await getOperatorSession(tx, token) : null;
    if (!operator && !options.public) {
      const url = new URL(request.url);
      throw redirect(`${OPERATOR_SIGN_IN}?retour=${encodeURIComponent(url.pathname + url.search)}`);
    }
    return fn({
      request,
      params,
      context,
      operator,
      locale,
      t: tFor(locale, "operator"),
      tx,
      csrfToken: csrfTokenFor(context.csrfSeed),
      withTenant,
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

export function operatorLoader<T>(fn: (ctx: OperatorRouteContext) => Promise<T>, options: OperatorRouteOptions = {}) {
  return markWrapped(async (args: LoaderFunctionArgs) => {
    requireOperatorHost(args.request);
    return run(args, options, null, fn);
  }, "operator");
}

export function operatorAction<T>(fn: (ctx: OperatorActionContext) => Promise<T>, options: OperatorRouteOptions = {}) {
  return markWrapped(async (args: ActionFunctionArgs) => {
    const { request, context } = args;
    requireOperatorHost(request);
    // The same CSRF rules as tenantAction: same-origin when the browser says, and the
    // signed double-submit token in the form.
    const origin = request.headers.get("origin");
    if (origin && origin !== "null" && new URL(origin).host !== request.headers.get("host")) {
      throw errorResponse(403, "csrf");
    }
    const form = await readLimitedForm(request, DEFAULT_MAX_BODY_BYTES);
    if (!isValidCsrf(context.csrfSeed, form.get(CSRF_FIELD))) throw errorResponse(403, "csrf");
    return run(args, options, form, fn);
  }, "operator");
}

/**
 * A loader that exists on both kinds of host (the root shell, the browser's translations):
 * a town's host goes to the tenant loader, an operator host to the operator loader. Both
 * must themselves be wrapped.
 */
export function tenantOrOperatorLoader<A, B>(handlers: {
  tenant: (args: LoaderFunctionArgs) => Promise<A>;
  operator: (args: LoaderFunctionArgs) => Promise<B>;
}) {
  for (const [kind, handler] of Object.entries(handlers)) {
    if (!(WRAPPED in handler)) throw new Error(`tenantOrOperatorLoader: the ${kind} handler is not a wrapped loader`);
  }
  return markWrapped(
    (args: LoaderFunctionArgs): Promise<A | B> =>
      isOperatorHost(hostOf(args.request)) ? handlers.operator(args) : handlers.tenant(args),
    "tenant-or-operator",
  );
}

