// Small pieces of the list and the listing page: the stage with its colour (always beside
// its name, never the colour alone) and the freshness / opening badges.
import { useTranslation } from "react-i18next";
import type { VocabularyOption } from "../public.server";

/** A colour dot drawn as SVG: its colour comes from the tenant's vocabulary, and the CSP forbids inline styles. */
export function Swatch({ colour }: { colour: string | null }) {
  if (!colour) return null;
  return (
    <svg className="directory-swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
      <circle cx="7" cy="7" r="6" fill={colour} stroke="#1f2937" strokeWidth="1" />
    </svg>
  );
}

export function VocabularyValue({ options, value }: { options: VocabularyOption[]; value: string | null }) {
  if (!value) return null;
  const option = options.find((o) => o.key === value);
  return (
    <span className="directory-vocab">
      <Swatch colour={option?.colour ?? null} />
      <span>{option?.label ?? value}</span>
    </span>
  );
}

export function StatusBadges({ toCheck, isDemo, openNow }: { toCheck: boolean; isDemo: boolean; openNow: boolean }) {
  const { t } = useTranslation("directory");
  if (!toCheck && !isDemo && !openNow) return null;
  return (
    <p className="directory-badges">
      {toCheck ? <span className="directory-badge directory-badge--check">{t("public.badges.toCheck")}</span> : null}
      {openNow ? <span className="directory-badge directory-badge--open">{t("public.badges.openNow")}</span> : null}
      {isDemo ? <span className="directory-badge">{t("public.badges.demo")}</span> : null}
    </p>
  );
}
