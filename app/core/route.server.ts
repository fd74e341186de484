// The one wrapper every loader and action goes through. It resolves, in this order: the
// tenant (from the Host header), the module gate, the transaction scoped to the tenant, the
// signed-in user, the locale, the ability (loaded on first use); actions are CSRF-checked first.
// Convention: throw responses (404, 403, redirect to sign-in) only before writing; return
// the redirect after a write, since a thrown response rolls the transaction back.
import { json, redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from "@remix-run/node";
import type { Params } from "@remix-run/react";
import type { TFunction } from "i18next";
import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery, type DatabaseConnection, type Driver } from "kysely";
import { subject as asSubject } from "@casl/ability";
import { hasRole } from "./auth/ability.server";
import { getSessionUser, sessionTokenFrom, type SessionUser } from "./auth/session.server";
import { withTenant, type Tx } from "./db/db.server";
import type { DB } from "./db/schema";
import { CSRF_FIELD, csrfTokenFor, isValidCsrf } from "./http/csrf.server";
import { readCookie } from "./http/cookies.server";
import { isLocale, tFor } from "./i18n/i18n.server";
import { moduleForPath } from "./modules/registry.server";
import { abilityFor, type AppAbility } from "./permissions/ability.server";
import { refusalMessage } from "./permissions/choices.server";
import type { Locale } from "./tenant/definition";
import { hostOf, isModuleEnabled, resolveTenant, type TenantContext } from "./tenant/tenant.server";

export const LOCALE_COOKIE = "communa_lng";

/** How long a proof of the password opens sensitive console actions. */
export const REAUTH_WINDOW_MS = 15 * 60 * 1000;
/** Where staff confirm their password again, and set up two-factor sign-in. */
export const REAUTH_PATH = "/admin/confirmer";
export const TWO_FACTOR_SETUP_PATH = "/compte/double-authentification";

export type RouteContext = {
  request: Request;
  params: Params;
  context: AppLoadContext;
  tenant: TenantContext;
  user: SessionUser | null;
  /**
   * The user's CASL ability from the tenant's stored rules (their roles plus `visitor`),
   * loaded in this request's transaction on the first call (one query), then reused.
   */
  ability: () => Promise<AppAbility>;
  /**
   * Throws 403 with a translated explanation unless the ability allows `action` on
   * `subjectType` (on `record` when given: rules with conditions are matched against it).
   * A record the user may not even see should answer 404 instead: filter reads with
   * `accessibleWhere` (app/core/permissions/sql.server.ts) and call `notFound()`.
   */
  authorize: (action: string, subjectType: string, record?: Record<string, unknown>) => Promise<void>;
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
  /**
   * Users whose ability allows this action on this subject type only: a visitor is sent to
   * sign in, a signed-in user gets 403 with a translated explanation.
   */
  can?: { action: string; subject: string };
  signedIn?: boolean;
  /**
   * A page of the staff console: signed-in `staff` only (403 otherwise). When the town makes
   * two-factor sign-in mandatory for staff, a staff account without it is sent to set it up.
   */
  console?: boolean;
  /**
   * A sensitive console page or action (permissions, people, town settings): the password
   * must have been proven in this session within REAUTH_WINDOW_MS, else the user is sent to
   * confirm it and brought back.
   */
  sensitive?: boolean;
  /** Still answer while the tenant is suspended (the shell, to show the notice). */
  allowSuspended?: boolean;
  /** Largest request body an action accepts (default DEFAULT_MAX_BODY_BYTES); raise it for uploads. */
  maxBodyBytes?: number;
};

export type ErrorReason = "unknown-host" | "not-found" | "forbidden" | "suspended" | "csrf" | "too-large";

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
  const body = async (tx: Tx) => {
    const url = new URL(request.url);
    const here = encodeURIComponent(url.pathname + url.search);
    let user = token ? await getSessionUser(tx, token) : null;
    // While the town requires two-factor sign-in for staff, a staff account without it holds
    // no staff powers anywhere (its other roles still apply) until it sets it up.
    const staffLocked = user !== null && tenant.console.staffTwoFactorRequired && !user.twoFactorEnabled && hasRole(user, "staff");
    if (staffLocked) user = { ...user!, roles: user!.roles.filter((r) => r.role !== "staff") };
    const locale = localeFor(request, tenant, user);
    const requireUser = () => {
      if (user) return user;
      throw redirect(`/connexion?retour=${here}`);
    };
    if (options.signedIn || options.roles || options.console || options.sensitive) requireUser();
    if (options.console && staffLocked) throw redirect(`${TWO_FACTOR_SETUP_PATH}?retour=${here}`);
    if (options.roles && !hasRole(user, ...options.roles)) forbidden();
    if (options.console && !hasRole(user, "staff")) forbidden();
    if (options.sensitive) {
      const provenAt = user!.reauthenticatedAt?.getTime() ?? 0;
      // An action's URL is the page that posted it (Remix forms post to their route).
      if (Date.now() - provenAt > REAUTH_WINDOW_MS) throw redirect(`${REAUTH_PATH}?retour=${here}`);
    }
    const t = tFor(locale);
    let loaded: Promise<AppAbility> | undefined;
    const ability = () => (loaded ??= abilityFor(tx, user));
    const authorize = async (action: string, subjectType: string, record?: Record<string, unknown>) => {
      if (!(await ability()).can(action, record ? asSubject(subjectType, { ...record }) : subjectType)) forbidden(refusalMessage(t, action, subjectType));
    };
    if (options.can) {
      const { action, subject } = options.can;
      if (!user && !(await ability()).can(action, subject)) requireUser();
      await authorize(action, subject);
    }
    return fn({
      request,
      params,
      context,
      tenant,
      user,
      ability,
      authorize,
      locale,
      t,
      tx,
      csrfToken: csrfTokenFor(context.csrfSeed),
      requireUser,
      afterCommit: (f) => pending.push(f),
      form: form as FormData,
    });
  };
  // Without a session there is no user to look up before the loader runs: its transaction
  // waits for its first query, and a loader that makes none (the shell, the portal home)
  // costs no database round trip at all.
  const result = token || form ? await withTenant(tenant.id, body) : await transactionOnFirstQuery(tenant.id).transaction().execute(body);
  for (const f of pending) {
    try {
      await f();
    } catch (error) {
      context.log.error("after-commit task failed", { error: String(error) });
    }
  }
  return result;
}

const ROLLED_BACK = new Error("the loader threw: its transaction is rolled back");

/**
 * A database whose one transaction is a `withTenant` transaction opened by the first query
 * and not before. Kysely's commit and rollback of that transaction settle the `withTenant`
 * one, which commits, or rolls back, as the wrapper's transaction always did.
 */
function transactionOnFirstQuery(tenantId: string): Kysely<DB> {
  let outcome!: { commit: () => void; rollback: () => void };
  const decided = new Promise<void>((commit, reject) => (outcome = { commit, rollback: () => reject(ROLLED_BACK) }));
  decided.catch(() => undefined);
  let opened: Promise<Tx> | undefined;
  let finished: Promise<unknown> = Promise.resolve();
  const open = () =>
    (opened ??= new Promise<Tx>((resolve, reject) => {
      finished = withTenant(tenantId, (tx) => {
        resolve(tx);
        return decided;
      });
      finished.catch(reject);
    }));
  const connection: DatabaseConnection = {
    executeQuery: async <R>(query: CompiledQuery) => (await open()).executeQuery(query as CompiledQuery<R>),
    async *streamQuery<R>(query: CompiledQuery, chunkSize?: number) {
      // Kysely's query builders always pass a chunk size; 100 is their own default.
      yield* (await open()).getExecutor().stream(query as CompiledQuery<R>, chunkSize ?? 100);
    },
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: async () => undefined,
    commitTransaction: async () => {
      outcome.commit();
      await finished;
    },
    rollbackTransaction: async () => {
      outcome.rollback();
      await finished.catch(() => undefined);
    },
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
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

/**
 * For the few resources that are the same on every host and read no data (the browser's
 * translations): no tenant, no user, no database. The error page of an unknown host needs
 * them too, to hydrate in the visitor's language.
 */
export function staticLoader<T>(fn: (args: LoaderFunctionArgs) => Promise<T>) {
  return markWrapped((args: LoaderFunctionArgs) => fn(args), "static");
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
    const form = await readLimitedForm(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    if (!isValidCsrf(context.csrfSeed, form.get(CSRF_FIELD))) throw errorResponse(403, "csrf");
    return run(args, options, form, fn as (ctx: RouteContext & { form: FormData }) => Promise<T>);
  }, "tenant");
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Parses the form body, refusing (413) one larger than `limit` before buffering it whole:
 * the declared length is checked first, and a body without one is counted as it streams.
 */
export async function readLimitedForm(request: Request, limit: number): Promise<FormData> {
  const tooLarge = () => errorResponse(413, "too-large", { limitBytes: limit });
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new FormData();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return await new Response(Buffer.concat(chunks), {
      headers: { "content-type": request.headers.get("content-type") ?? "application/x-www-form-urlencoded" },
    }).formData();
  } catch {
    return new FormData();
  }
}
