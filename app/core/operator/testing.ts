// Test support for the operator console: a browser with its own CSRF seed, client address
// and cookies, requests on any host, and a signed-in operator. Imported by tests only.
import crypto from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { csrfTokenFor } from "../http/csrf.server";
import { withPlatform } from "../db/db.server";
import { createOperator } from "../../../db/operators";
import { hashToken } from "../auth/session.server";
import { createOperatorSession, operatorCookieName } from "./session.server";

export const OPERATOR_HOST = "admin.localhost";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export type Browser = { context: AppLoadContext; csrf: string; cookies: Map<string, string> };

export function browser(): Browser {
  const csrfSeed = crypto.randomBytes(24).toString("base64url");
  const clientIp = `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;
  const context = { requestId: "test", nonce: "nonce", csrfSeed, clientIp, log: silent } as AppLoadContext;
  return { context, csrf: csrfTokenFor(csrfSeed), cookies: new Map() };
}

const cookieHeader = (b: Browser) => [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

/** Keeps the cookie a response sets (one Set-Cookie at most in these routes). */
export function keepCookies(b: Browser, response: Response) {
  const set = response.headers.get("set-cookie");
  if (!set) return;
  const [pair] = set.split(";");
  const name = pair.slice(0, pair.indexOf("="));
  const value = pair.slice(pair.indexOf("=") + 1);
  if (value) b.cookies.set(name, value);
  else b.cookies.delete(name);
}

export function get(b: Browser, host: string, path: string) {
  return new Request(`http://${host}${path}`, { headers: { host, cookie: cookieHeader(b) } });
}

/** A form POST; a field given as an array is repeated (checkboxes). `csrf: null` leaves the token out. */
export function post(b: Browser, host: string, path: string, fields: Record<string, string | string[]>, options: { csrf?: string | null } = {}) {
  const body = new URLSearchParams();
  if (options.csrf !== null) body.set("csrf", options.csrf ?? b.csrf);
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return new Request(`http://${host}${path}`, {
    method: "POST",
    headers: { host, cookie: cookieHeader(b), "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
}

/** Remix answers a thrown Response like a returned one. */
export async function settle(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    if (value instanceof Response) return value;
    throw new Error("expected a Response");
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

/** A browser holding the session of a fresh operator. */
export async function operatorBrowser(displayName = "Opé Test") {
  const email = `op-${crypto.randomBytes(4).toString("hex")}@communa.test`;
  const operatorId = await createOperator(process.env.TEST_OWNER_DATABASE_URL!, { email, displayName, password: "Un-mot-de-passe-solide-42" });
  const cookie = await withPlatform((tx) => createOperatorSession(tx, operatorId, {}));
  const token = cookie.split(";")[0].split("=")[1];
  const b = browser();
  b.cookies.set(operatorCookieName(), token);
  return { b, operatorId, email, sessionId: hashToken(token) };
}
