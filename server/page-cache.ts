// A few-seconds cache of pages that are the same for every anonymous visitor (the portal
// home): under load, most residents get the page without React rendering it again.
//
// Only the per-response and per-browser values differ between two anonymous visitors: the
// CSP nonce and the CSRF token (bound to the browser's seed cookie). The cached copy keeps
// the values of the response it was made from; a hit swaps them for the current request's.
// Nothing else in these pages depends on the visitor (no session cookie, by construction).
//
// A page is stored only when (1) its path is on the allowlist given by the server, (2) the
// route itself opts in with the `X-Communa-Page-Cache: anonymous` header (stripped before
// sending), (3) the answer is a 200 HTML page that sets no cookie.
import type { AppLoadContext } from "@remix-run/node";
import type express from "express";

export const PAGE_CACHE_HEADER = "x-communa-page-cache";

type Entry = { html: string; nonce: string; csrfToken: string; headers: [string, string][]; expires: number };

export type PageCacheOptions = {
  paths: string[];
  ttlMs: number;
  maxEntries?: number;
  /** Cookies whose presence means a signed-in (or operator) visitor: never served from cache. */
  sessionCookies: string[];
  /** Cookie whose value changes the page (the chosen language). */
  varyCookies: string[];
  csrfTokenFor: (seed: string) => string;
  handle: (request: Request, context: AppLoadContext) => Promise<Response>;
  loadContext: (req: express.Request, res: express.Response) => AppLoadContext;
  now?: () => number;
};

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

export function anonymousPageCache(options: PageCacheOptions): express.RequestHandler {
  const cache = new Map<string, Entry>();
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 500;
  const paths = new Set(options.paths);
  return async (req, res, next) => {
    const cookies = req.headers.cookie;
    if (
      req.method !== "GET" ||
      !paths.has(req.path) ||
      "_data" in req.query ||
      options.sessionCookies.some((name) => cookieValue(cookies, name) !== undefined)
    ) {
      return next();
    }
    const key = [req.hostname, req.originalUrl, ...options.varyCookies.map((c) => cookieValue(cookies, c) ?? "")].join("\n");
    const nonce: string = res.locals.nonce;
    const csrfToken = options.csrfTokenFor(res.locals.csrfSeed);
    const hit = cache.get(key);
    if (hit && hit.expires > now()) {
      // A route may put the nonce in a header too (its own Content-Security-Policy).
      for (const [name, value] of hit.headers) res.append(name, value.replaceAll(hit.nonce, nonce));
      res.status(200).send(hit.html.replaceAll(hit.nonce, nonce).replaceAll(hit.csrfToken, csrfToken));
      return;
    }
    try {
      const url = `${req.protocol}://${req.get("host")}${req.originalUrl}`;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) headers.set(name, value.join(", "));
      }
      const response = await options.handle(new Request(url, { headers }), options.loadContext(req, res));
      const cacheable =
        response.status === 200 &&
        response.headers.get(PAGE_CACHE_HEADER) === "anonymous" &&
        !response.headers.has("set-cookie") &&
        (response.headers.get("content-type") ?? "").startsWith("text/html");
      const body = Buffer.from(await response.arrayBuffer());
      const sent: [string, string][] = [];
      response.headers.forEach((value, name) => {
        if (name !== PAGE_CACHE_HEADER && name !== "content-length" && name !== "set-cookie") sent.push([name, value]);
      });
      // Several cookies would be folded into one line by forEach: send each on its own.
      for (const cookie of response.headers.getSetCookie()) sent.push(["set-cookie", cookie]);
      if (cacheable) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(key, { html: body.toString("utf8"), nonce, csrfToken, headers: sent, expires: now() + options.ttlMs });
      }
      res.status(response.status);
      for (const [name, value] of sent) res.append(name, value);
      res.send(body);
    } catch (error) {
      next(error);
    }
  };
}
