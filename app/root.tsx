import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { hasRole } from "~/core/auth/ability.server";
import { OPERATOR_HOME, OPERATOR_LOCALES, operatorLoader, tenantOrOperatorLoader } from "~/core/operator/route.server";
import { tenantLoader } from "~/core/route.server";
import { navigationFor } from "~/core/ui/navigation.server";
import { ErrorPage } from "~/core/ui/ErrorPage";
import { OperatorShell } from "~/core/ui/OperatorShell";
import { PortalShell } from "~/core/ui/PortalShell";
import { useNonce } from "~/core/ui/nonce";
import { useShellData } from "~/core/ui/root-data";
import appStyles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

// One root loader for both kinds of host. The wrapper calls are marked pure: the browser
// bundle keeps any top-level call it cannot prove side-effect free, and there the .server
// modules that define these wrappers are empty.
export const loader = /* @__PURE__ */ tenantOrOperatorLoader({
  tenant: /* @__PURE__ */ tenantLoader(
    async ({ tenant, user, locale, csrfToken, t, ability }) => {
      const d = tenant.definition;
      return json({
        shell: "tenant" as const,
        locale,
        i18nVersion: process.env.COMMUNA_BUILD_ID ?? "dev",
        csrfToken,
        tenant: {
          slug: tenant.slug,
          name: tenant.name,
          status: tenant.status,
          demo: d.demo,
          hasLogo: d.hasLogo,
          theme: d.theme,
          locales: tenant.locales,
          accessibilityStatus: d.accessibility.status,
        },
        user: user
          ? { displayName: user.displayName, isStaff: hasRole(user, "staff"), emailVerified: user.emailVerified }
          : null,
        navigation: await navigationFor(tenant, t, ability),
      });
    },
    { allowSuspended: true },
  ),
  // The operator console has no town: its shell needs only the operator, if signed in.
  operator: /* @__PURE__ */ operatorLoader(
    async ({ request, operator, locale, csrfToken, t }) => {
      if (new URL(request.url).pathname === "/") throw redirect(OPERATOR_HOME);
      return json({
        shell: "operator" as const,
        locale,
        i18nVersion: process.env.COMMUNA_BUILD_ID ?? "dev",
        csrfToken,
        title: t("shell.title"),
        consoleName: t("shell.consoleName"),
        locales: OPERATOR_LOCALES,
        operator: operator ? { displayName: operator.displayName } : null,
      });
    },
    { public: true },
  ),
});


export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.shell === "operator" ? data.title : data?.tenant.name ? `${data.tenant.name} · Communa` : "Communa" },
  { name: "viewport", content: "width=device-width, initial-scale=1" },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useShellData();
  const nonce = useNonce();
  const lang = data?.locale ?? "fr";
  const theme = data?.shell === "tenant" ? data.tenant.theme : undefined;
  return (
    <html lang={lang} data-i18n-version={data?.i18nVersion}>
      <head>
        <meta charSet="utf-8" />
        <Meta />
        <Links />
        {theme ? <link rel="stylesheet" href={`/theme.css?v=${encodeURIComponent(theme.primary + theme.accent)}`} /> : null}
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useShellData();
  if (data?.shell === "operator") {
    return (
      <OperatorShell>
        <Outlet />
      </OperatorShell>
    );
  }
  return (
    <PortalShell>
      <Outlet />
    </PortalShell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useShellData();
  const { t } = useTranslation();
  const location = useLocation();
  let status = 500;
  let reason = "server";
  /** A refusal's translated explanation (what the user's role may not do), when it has one. */
  let explanation: string | undefined;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    reason = (error.data as { reason?: string } | undefined)?.reason ?? (status === 404 ? "not-found" : "server");
    const said = (error.data as { message?: unknown } | undefined)?.message;
    if (reason === "forbidden" && typeof said === "string") explanation = said;
  }
  // On the operator host a town's route simply does not exist: not "no town at this address".
  if (data?.shell === "operator" && reason === "unknown-host") reason = "not-found";
  const page = <ErrorPage status={status} reason={reason} path={location.pathname} explanation={explanation} />;
  if (!data) {
    return (
      <main id="contenu" className="error-standalone">
        <p className="brand-line">Communa</p>
        {page}
        <p>
          <small>{t("error.poweredBy")}</small>
        </p>
      </main>
    );
  }
  if (data.shell === "operator") return <OperatorShell>{page}</OperatorShell>;
  return <PortalShell>{page}</PortalShell>;
}
