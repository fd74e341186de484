// The HTTP layer: request id, CSP nonce, security headers, CSRF cookie, JSON logs, health
// endpoints, static files, then Remix. Tenant resolution happens inside Remix's wrapper.
import crypto from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createRemixHandler, type ServerBuild } from "@remix-run/node";
import { parse as parseCookies } from "cookie";
import type { Logger } from "../app/core/http/context.ts";
import { csrfTokenFor } from "../app/core/http/csrf.server.ts";
import { anonymousPageCache } from "./page-cache.ts";
import { contentSecurityPolicy, isPolicyFor } from "../app/core/http/csp.ts";

export function jsonLogger(base: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields });
    (level === "error" ? process.stderr : process.stdout).write(line + "\n");
  };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}

const CSRF_COOKIE = "communa_csrf";

export async function loadBuild(buildPath = path.resolve("build/index.js")): Promise<ServerBuild> {
  return (await import(pathToFileURL(buildPath).href)) as ServerBuild;
}

export function createApp(options: {
  build: ServerBuild;
  production: boolean;
  quietLogs?: boolean;
  /** The few-seconds cache of anonymous pages (server/page-cache.ts); on unless false. */
  pageCache?: boolean;
}) {
  const { build, production } = options;
  process.env.COMMUNA_BUILD_ID ??= build.assets.version;
  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);

  app.use((req, res, next) => {
    const requestId = (req.get("x-request-id") ?? "").match(/^[\w-]{8,64}$/)?.[0] ?? crypto.randomUUID();
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.requestId = requestId;
    res.locals.nonce = nonce;
    res.setHeader("X-Request-Id", requestId);
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=()");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (production) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      if (options.quietLogs && res.statusCode < 500) return;
      jsonLogger().info("request", {
        requestId,
        method: req.method,
        host: req.hostname,
        path: req.path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      });
    });
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  const entry = build.entry.module as unknown as { checkReadiness?: () => Promise<boolean> };
  if (typeof entry.checkReadiness !== "function") throw new Error("app/entry.server.tsx must export checkReadiness()");
  const checkReadiness = entry.checkReadiness;
  app.get("/readyz", async (_req, res) => {
    try {
      await checkReadiness();
      res.json({ status: "ready" });
    } catch (error) {
      // The reason goes to the log, not to whoever probes the endpoint.
      jsonLogger({ requestId: res.locals.requestId }).error("not ready", { error: String(error) });
      res.status(503).json({ status: "unavailable" });
    }
  });

  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // Static files only under their own prefixes: a catch-all static middleware would cost a
  // disk lookup on every page request (measured in the bench profile).
  app.use("/vendor", express.static("public/vendor", { maxAge: "1h" }));
  app.get("/favicon.svg", (_req, res) => res.sendFile(path.resolve("public/favicon.svg"), { maxAge: "1d" }));

  // The CSRF seed cookie: set once per browser, bound into every form token.
  app.use((req, res, next) => {
    const cookies = parseCookies(req.headers.cookie ?? "");
    let seed = cookies[CSRF_COOKIE];
    if (!seed || !/^[A-Za-z0-9_-]{32}$/.test(seed)) {
      seed = crypto.randomBytes(24).toString("base64url");
      res.append("Set-Cookie", `${CSRF_COOKIE}=${seed}; Path=/; HttpOnly; SameSite=Lax${production ? "; Secure" : ""}`);
    }
    res.locals.csrfSeed = seed;
    next();
  });

  // @remix-run/express *appends* a route's headers: a route's own policy (app/core/http/csp.ts)
  // must replace the default one, or the browser would enforce both. Only a policy carrying
  // this request's nonce does; any other is appended and can only restrict further.
  app.use((_req, res, next) => {
    const append = res.append.bind(res);
    res.append = (field: string, value?: string | string[]) => {
      if (field.toLowerCase() === "content-security-policy" && typeof value === "string" && isPolicyFor(value, res.locals.nonce)) {
        res.setHeader("Content-Security-Policy", value);
        return res;
      }
      return append(field, value);
    };
    next();
  });

  const mode = production ? "production" : "development";
  const loadContext = (req: express.Request, res: express.Response) => ({
    requestId: res.locals.requestId as string,
    nonce: res.locals.nonce as string,
    csrfSeed: res.locals.csrfSeed as string,
    clientIp: req.ip ?? req.socket.remoteAddress ?? "",
    log: jsonLogger({ requestId: res.locals.requestId }),
  });
  if (options.pageCache !== false) {
    const handle = createRemixHandler(build, mode);
    app.use(
      anonymousPageCache({
        paths: ["/"],
        ttlMs: 5_000,
        sessionCookies: ["communa_session", "__Host-communa_session", "communa_operator", "__Host-communa_operator"],
        varyCookies: ["communa_lng"],
        csrfTokenFor,
        handle: (request, context) => handle(request, context),
        loadContext,
      }),
    );
  }
  app.all("*", createRequestHandler({ build, mode, getLoadContext: loadContext }));
  return app;
}
