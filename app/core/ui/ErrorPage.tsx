import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Translated explanation for every error the wrapper throws; never a stack trace. */
export function ErrorPage({ status, reason, path, explanation }: { status: number; reason: string; path: string; explanation?: string }) {
  const { t } = useTranslation();
  const key = ["unknown-host", "not-found", "forbidden", "suspended", "csrf", "too-large"].includes(reason) ? reason : status === 404 ? "not-found" : "server";
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{t(`error.${key}.title`)}</h1>
      <p>{t(`error.${key}.body`)}</p>
      {key === "forbidden" && explanation ? <p className="error-page__explanation">{explanation}</p> : null}
      <p className="error-page__code">{t("error.code", { status })}</p>
      {key === "unknown-host" ? <p>{t("error.unknown-host.hint")}</p> : <p><Link to="/">{t("error.backHome")}</Link></p>}
      {key === "csrf" ? <p><a href={path}>{t("error.csrf.retry")}</a></p> : null}
    </section>
  );
}
