// The frame every page of the town settings shares: breadcrumb, title, the notice after a
// save, where the value comes from, and the form that returns to the platform's value.
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../CsrfInput";
import { Notice } from "../form";

export type TownNoticeKind = "saved" | "reverted" | "unchanged";

export function TownPageHeader({ title, intro, overview = false }: { title: string; intro?: string; overview?: boolean }) {
  const { t } = useTranslation("console-town");
  return (
    <>
      <nav aria-label={t("breadcrumb.label")} className="town-breadcrumb">
        <ol>
          <li>
            <Link to="/admin">{t("breadcrumb.console")}</Link>
          </li>
          {overview ? null : (
            <li>
              <Link to="/admin/commune">{t("overview.title")}</Link>
            </li>
          )}
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <h1>{title}</h1>
      {intro ? <p className="lead">{intro}</p> : null}
    </>
  );
}

export function TownNotice({ notice }: { notice: TownNoticeKind | null }) {
  const { t } = useTranslation("console-town");
  return notice ? <Notice>{t(`notice.${notice}`)}</Notice> : null;
}

/** Where the section's value comes from: the operator's file, or a change made here. */
export function TownSourceStatus({ changed }: { changed: boolean }) {
  const { t } = useTranslation("console-town");
  return (
    <p className={changed ? "town-source town-source--changed" : "town-source"}>
      <strong>{t("source.label")}</strong> {changed ? t("source.changed") : t("source.platform")}
    </p>
  );
}

/**
 * "Return to the platform's value": removes the section's overrides. `platformValue` says
 * what will apply then; `help` replaces the generic explanation (the logo's is particular).
 */
export function TownRevert({ changed, platformValue, label, help }: { changed: boolean; platformValue?: React.ReactNode; label?: string; help?: string }) {
  const { t } = useTranslation("console-town");
  if (!changed) return null;
  return (
    <section aria-labelledby="town-revert-title" className="town-revert">
      <h2 id="town-revert-title">{t("source.revertTitle")}</h2>
      <p>{help ?? t("source.revertHelp")}</p>
      {platformValue ? <div className="town-revert__value">{platformValue}</div> : null}
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="revert" />
        <button type="submit" className="button button--secondary">
          {label ?? t("source.revert")}
        </button>
      </Form>
    </section>
  );
}
