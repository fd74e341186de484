import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useRootData } from "./root-data";
import { CsrfInput } from "./CsrfInput";

const LANGUAGE_NAMES: Record<string, string> = { fr: "Français", en: "English" };

export function PortalShell({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  const { t } = useTranslation();
  const location = useLocation();
  if (!data) return <>{children}</>;
  const { tenant, user, navigation, locale } = data;
  const here = location.pathname + location.search;
  return (
    <>
      <a className="skip-link" href="#contenu">
        {t("shell.skipToContent")}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="site-brand">
            {tenant.hasLogo ? <img src="/logo" alt="" width="40" height="40" /> : null}
            <span>
              <span className="site-brand__name">{tenant.name}</span>
              <span className="site-brand__tagline">{t("shell.tagline")}</span>
            </span>
          </Link>
          <nav aria-label={t("shell.languageNav")} className="language-switch">
            <ul>
              {tenant.locales.map((l) => (
                <li key={l}>
                  {l === locale ? (
                    <span aria-current="true" lang={l}>
                      {LANGUAGE_NAMES[l]}
                    </span>
                  ) : (
                    <a href={`/langue/${l}?retour=${encodeURIComponent(here)}`} hrefLang={l} lang={l}>
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
            <li>
              <NavLink to="/" end>
                {t("shell.home")}
              </NavLink>
            </li>
            {navigation.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
            {user?.isStaff ? (
              <li>
                <NavLink to="/admin">{t("shell.admin")}</NavLink>
              </li>
            ) : null}
            {user ? (
              <>
                <li>
                  <NavLink to="/compte">{t("shell.account", { name: user.displayName })}</NavLink>
                </li>
                <li>
                  <Form method="post" action="/deconnexion">
                    <CsrfInput />
                    <button type="submit" className="link-button">
                      {t("shell.signOut")}
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to="/connexion">{t("shell.signIn")}</NavLink>
                </li>
                <li>
                  <NavLink to="/inscription">{t("shell.signUp")}</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </header>
      {tenant.demo ? (
        <p className="banner banner--demo" role="note">
          {t("shell.demoBanner")}
        </p>
      ) : null}
      {tenant.status === "suspended" ? (
        <p className="banner banner--warning" role="alert">
          {t("shell.suspended")}
        </p>
      ) : null}
      {user && !user.emailVerified ? (
        <p className="banner banner--info" role="status">
          {t("shell.verifyEmailReminder")}
        </p>
      ) : null}
      <main id="contenu" tabIndex={-1} className="site-main">
        {children}
      </main>
      <footer className="site-footer">
        <ul>
          <li>
            <Link to="/mentions-legales">{t("shell.legalNotice")}</Link>
          </li>
          <li>
            <Link to="/confidentialite">{t("shell.privacy")}</Link>
          </li>
          <li>
            <Link to="/accessibilite">
              {t("shell.accessibility", { status: t(`shell.accessibilityStatus.${tenant.accessibilityStatus}`) })}
            </Link>
          </li>
        </ul>
        <p>{t("shell.poweredBy")}</p>
      </footer>
    </>
  );
}
