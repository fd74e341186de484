import { Link, NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useRootData } from "./root-data";
import { LanguageSwitch } from "./LanguageSwitch";
import { SignOutButton } from "./SignOutButton";

export function PortalShell({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  const { t } = useTranslation();
  if (!data) return <>{children}</>;
  const { tenant, user, navigation, locale } = data;
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
          <LanguageSwitch locales={tenant.locales} current={locale} label={t("shell.languageNav")} switchPath="/langue" />
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
                  <SignOutButton action="/deconnexion" label={t("shell.signOut")} />
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
