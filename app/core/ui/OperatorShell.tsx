import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "./CsrfInput";
import { useOperatorShellData } from "./root-data";

const LANGUAGE_NAMES: Record<string, string> = { fr: "Français", en: "English" };

/**
 * The layout of the operator console (operator hosts only): no town's branding, so that it
 * is never mistaken for a town's portal.
 */
export function OperatorShell({ children }: { children: React.ReactNode }) {
  const data = useOperatorShellData();
  const { t } = useTranslation("operator");
  const location = useLocation();
  if (!data) return <>{children}</>;
  const { operator, locales, locale } = data;
  const here = location.pathname + location.search;
  return (
    <>
      <a className="skip-link" href="#contenu">
        {t("shell.skipToContent")}
      </a>
      <header className="site-header site-header--operator">
        <div className="site-header__inner">
          <Link to="/operateur" className="site-brand">
            <span>
              <span className="site-brand__name">{t("shell.title")}</span>
              <span className="site-brand__tagline">{t("shell.tagline")}</span>
            </span>
          </Link>
          <nav aria-label={t("shell.languageNav")} className="language-switch">
            <ul>
              {locales.map((l) => (
                <li key={l}>
                  {l === locale ? (
                    <span aria-current="true" lang={l}>
                      {LANGUAGE_NAMES[l]}
                    </span>
                  ) : (
                    <a href={`/operateur/langue/${l}?retour=${encodeURIComponent(here)}`} hrefLang={l} lang={l}>
                      {LANGUAGE_NAMES[l]}
                    </a>
                  )}
                </li>
              ))}
            </ul>
          </nav>
        </div>
        <nav aria-label={t("shell.mainNav")} className="main-nav">
          <ul>
            {operator ? (
              <>
                <li>
                  <NavLink to="/operateur" end>
                    {t("shell.tenants")}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/operateur/communes/nouvelle">{t("shell.newTenant")}</NavLink>
                </li>
                <li className="main-nav__who">{t("shell.signedInAs", { name: operator.displayName })}</li>
                <li>
                  <Form method="post" action="/operateur/deconnexion">
                    <CsrfInput />
                    <button type="submit" className="link-button">
                      {t("shell.signOut")}
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <li>
                <NavLink to="/operateur/connexion">{t("shell.signIn")}</NavLink>
              </li>
            )}
          </ul>
        </nav>
      </header>
      <main id="contenu" tabIndex={-1} className="site-main">
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("shell.footer")}</p>
        <p>{t("shell.poweredBy")}</p>
      </footer>
    </>
  );
}
