// Calls route modules the way Remix does: loaders with a Request and a load context, and
// components rendered to HTML with their loader's data and the server's translations.
import crypto from "node:crypto";
import type { AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { i18nFor } from "../../app/core/i18n/i18n.server";
import type { Locale } from "../../app/core/tenant/definition";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function testContext(): AppLoadContext {
  return { requestId: "test", nonce: "test-nonce", csrfSeed: crypto.randomBytes(24).toString("base64url"), clientIp: "127.0.0.1", log: silent };
}

export function pageRequest(host: string, pathname: string, headers: Record<string, string> = {}) {
  return new Request(`http://${host}${pathname}`, { headers: { host, ...headers } });
}

type RouteModule = { loader: (args: LoaderFunctionArgs) => Promise<unknown>; default: ComponentType };

/** The page's HTML as the server would render it inside the shell (the shell itself left out). */
export async function renderPage(route: RouteModule, request: Request, locale: Locale = "fr"): Promise<string> {
  const context = testContext();
  const handler = createStaticHandler([
    {
      id: "page",
      path: new URL(request.url).pathname,
      loader: (args) => route.loader({ request: args.request, params: args.params, context }) as Promise<Response>,
      Component: route.default,
    },
  ]);
  const state = await handler.query(request);
  if (state instanceof Response) throw state;
  if (state.errors) throw Object.values(state.errors)[0];
  const router = createStaticRouter(handler.dataRoutes, state);
  return renderToString(
    <I18nextProvider i18n={i18nFor(locale)}>
      <StaticRouterProvider router={router} context={state} hydrate={false} />
    </I18nextProvider>,
  );
}

/** Visible text of rendered HTML, for assertions that read like the page. */
export function textOf(html: string) {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
