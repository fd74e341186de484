import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";

// The page is fully usable before this runs (server-rendered, forms work without
// JavaScript); the translations for the page's language are fetched once, cached by the
// browser, and the app hydrates with the same strings the server used.
async function hydrate() {
  const lng = document.documentElement.lang || "fr";
  const version = document.documentElement.dataset.i18nVersion ?? "";
  const response = await fetch(`/resources/locales/${lng}?v=${version}`);
  const resources = await response.json();
  await i18next.use(initReactI18next).init({
    resources: { [lng]: resources },
    lng,
    fallbackLng: lng,
    defaultNS: "common",
    ns: Object.keys(resources),
    interpolation: { escapeValue: false },
  });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
