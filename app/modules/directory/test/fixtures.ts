// Fixtures for the directory's tests: the load context the HTTP server would give, a signed-in
// staff member, listings written through the app role (row-level security applies).
import type { AppLoadContext } from "@remix-run/node";
import type { Insertable } from "kysely";
import { createSession } from "~/core/auth/session.server";
import { withTenant } from "~/core/db/db.server";
import { CSRF_FIELD, csrfTokenFor } from "~/core/http/csrf.server";
import type { DirectoryInitiativesTable } from "../data/tables";

export const CSRF_SEED = "directory-test-seed-0123456789ab";

export function loadContext(): AppLoadContext {
  const quiet = () => undefined;
  return { requestId: "test-request", nonce: "test-nonce", csrfSeed: CSRF_SEED, clientIp: "127.0.0.1", log: { info: quiet, warn: quiet, error: quiet } };
}

/** Arguments of a loader or action for `path` on the tenant's host (port 3700, as a dev server would). */
export function routeArgs(host: string, path: string, init: RequestInit = {}) {
  return { request: new Request(`http://${host}:3700${path}`, init), params: {}, context: loadContext() };
}

/** A multipart POST carrying the CSRF token, as the browser sends the forms. */
export function postForm(host: string, path: string, fields: Record<string, string | File>, cookie?: string) {
  const form = new FormData();
  form.set(CSRF_FIELD, csrfTokenFor(CSRF_SEED));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return routeArgs(host, path, { method: "POST", body: form, headers: cookie ? { cookie } : {} });
}

/** A signed-in user holding `roles`; returns the Cookie header of their session. */
export async function signedIn(tenantId: string, roles: string[], displayName = "Agent Test"): Promise<{ cookie: string; userId: string }> {
  return withTenant(tenantId, async (tx) => {
    const user = await tx
      .insertInto("users")
      .values({ tenant_id: tenantId, email: `${crypto.randomUUID()}@example.org`, password_hash: "not-used", display_name: displayName })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const role of roles) await tx.insertInto("user_roles").values({ tenant_id: tenantId, user_id: user.id, role }).execute();
    const setCookie = await createSession(tx, tenantId, user.id, {});
    return { cookie: setCookie.split(";")[0], userId: user.id };
  });
}

export type InitiativeInput = Omit<Insertable<DirectoryInitiativesTable>, "tenant_id">;

export async function insertInitiative(tenantId: string, values: Partial<InitiativeInput> & { name: string }): Promise<string> {
  const row = await withTenant(tenantId, (tx) =>
    tx
      .insertInto("directory_initiatives")
      .values({ tenant_id: tenantId, kind: "buying_group", status: "published", opening_hours: "[]", ...values })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Calls a wrapped loader/action and returns its Response, whether it returned or threw it. */
export async function respond(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    throw new Error(`expected a Response, got ${typeof result}`);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
