import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
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
import { tenantLoader } from "~/core/route.server";
import { navigationFor } from "~/core/ui/navigation.server";
import { ErrorPage } from "~/core/ui/ErrorPage";
import { PortalShell } from "~/core/ui/PortalShell";
import { useNonce } from "~/core/ui/nonce";
import { useRootData } from "~/core/ui/root-data";
import appStyles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const loader = tenantLoader(
  async ({ tenant, user, locale, csrfToken, t }) => {
    const d = tenant.definition;
    return json({
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
      navigation: navigationFor(tenant, t),
    });
  },
  { allowSuspended: true },
);


export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.tenant.name ? `${data.tenant.name} · Communa` : "Communa" },
  { name: "viewport", content: "width=device-width, initial-scale=1" },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  const nonce = useNonce();
  const lang = data?.locale ?? "fr";
  const theme = data?.tenant.theme;
  return (
    <html lang={lang} data-i18n-version={data?.i18nVersion}>
      <head>
        <meta charSet="utf-8" />
        <Meta />
        <Links />
        {theme ? (
          <style nonce={nonce} suppressHydrationWarning>
            {`:root{--brand:${theme.primary};--accent:${theme.accent}}`}
          </style>
        ) : null}
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
  return (
    <PortalShell>
      <Outlet />
    </PortalShell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRootData();
  const { t } = useTranslation();
  const location = useLocation();
  let status = 500;
  let reason = "server";
  if (isRouteErrorResponse(error)) {
    status = error.status;
    reason = (error.data as { reason?: string } | undefined)?.reason ?? (status === 404 ? "not-found" : "server");
  }
  const page = <ErrorPage status={status} reason={reason} path={location.pathname} />;
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
  return <PortalShell>{page}</PortalShell>;
}
