import { Link, NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "./LanguageSwitch";
import { SignOutButton } from "./SignOutButton";
import { useOperatorShellData } from "./root-data";

/**
 * The layout of the operator console (operator hosts only): no town's branding, so that it
 * is never mistaken for a town's portal.
 */
export function OperatorShell({ children }: { children: React.ReactNode }) {
  const data = useOperatorShellData();
  const { t } = useTranslation("operator");
  if (!data) return <>{children}</>;
  const { operator, locales, locale } = data;
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
          <LanguageSwitch locales={locales} current={locale} label={t("shell.languageNav")} switchPath="/operateur/langue" />
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
                  <SignOutButton action="/operateur/deconnexion" label={t("shell.signOut")} />
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
