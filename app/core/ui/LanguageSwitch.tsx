import { useLocation } from "@remix-run/react";

// Each language is named in itself, so these names are not translated.
const LANGUAGE_NAMES: Record<string, string> = { fr: "Français", en: "English" };

/**
 * The language links of a shell's header. `switchPath` is the route that stores the choice
 * (the portal and the operator console each have their own) and sends back to this page.
 */
export function LanguageSwitch({
  locales,
  current,
  label,
  switchPath,
}: {
  locales: readonly string[];
  current: string;
  label: string;
  switchPath: string;
}) {
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <nav aria-label={label} className="language-switch">
      <ul>
        {locales.map((l) => (
          <li key={l}>
            {l === current ? (
              <span aria-current="true" lang={l}>
                {LANGUAGE_NAMES[l]}
              </span>
            ) : (
              <a href={`${switchPath}/${l}?retour=${encodeURIComponent(here)}`} hrefLang={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
