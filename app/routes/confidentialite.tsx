import { json, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { ATTEMPT_WINDOW_MS } from "~/core/auth/rate-limit.server";
import { SESSION_TTL_DAYS } from "~/core/auth/session.server";
import { EMAIL_RETENTION_DAYS } from "~/core/retention.server";
import { tenantLoader } from "~/core/route.server";
import { titledMeta } from "~/core/ui/meta";

// Every duration on this page comes from the code that enforces it (session lifetime,
// rate-limit window, app/core/retention.server.ts).

const CATEGORIES = ["account", "password", "sessions", "emails", "rateLimit"] as const;

/** What personal data the platform processes for this town, why, for how long, and the reader's rights. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tenant, t }) => {
    const { legal } = tenant.definition;
    return json({
      title: t("legal:privacy.title"),
      name: tenant.name,
      legal,
      durations: {
        sessions: { days: SESSION_TTL_DAYS },
        emails: { days: EMAIL_RETENTION_DAYS },
        rateLimit: { minutes: Math.round(ATTEMPT_WINDOW_MS / 60_000) },
      } as Record<string, Record<string, number>>,
    });
  },
  { allowSuspended: true },
);

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.name);

export default function Privacy() {
  const { name, legal, durations } = useLoaderData<typeof loader>();
  const { t } = useTranslation("legal");
  const mail = <a href={`mailto:${legal.contactEmail}`} />;
  const contact = { email: legal.contactEmail, publisher: legal.publisher, address: legal.address };
  return (
    <article className="legal-page" aria-labelledby="privacy-title">
      <h1 id="privacy-title">{t("privacy.title")}</h1>
      <p className="lead">{t("platformOf", { name })}</p>
      <p>{t("privacy.intro", { name })}</p>

      <h2>{t("privacy.controllerTitle")}</h2>
      <p>
        <Trans t={t} i18nKey="privacy.controller" values={contact} components={{ mail }} />
      </p>

      <h2>{t("privacy.dataTitle")}</h2>
      <p>{t("privacy.dataIntro")}</p>
      {CATEGORIES.map((category) => (
        <section key={category} aria-labelledby={`data-${category}`} className="legal-data">
          <h3 id={`data-${category}`}>{t(`privacy.${category}.title`)}</h3>
          <dl className="legal-facts">
            <dt>{t("privacy.what")}</dt>
            <dd>{t(`privacy.${category}.what`)}</dd>
            <dt>{t("privacy.why")}</dt>
            <dd>{t(`privacy.${category}.why`)}</dd>
            <dt>{t("privacy.howLong")}</dt>
            <dd>{t(`privacy.${category}.howLong`, durations[category] ?? {})}</dd>
          </dl>
        </section>
      ))}

      <h2>{t("privacy.basisTitle")}</h2>
      <p>{t("privacy.basisPublicInterest")}</p>
      <p>{t("privacy.basisConsent")}</p>

      <h2>{t("privacy.recipientsTitle")}</h2>
      <ul>
        <li>{t("privacy.recipientsStaff", { publisher: legal.publisher })}</li>
        <li>{t("privacy.recipientsOperator", { publisher: legal.publisher, hosting: legal.hosting })}</li>
      </ul>
      <p>{t("privacy.recipientsNone")}</p>

      <h2>{t("privacy.cookiesTitle")}</h2>
      <p>{t("privacy.cookies", durations.sessions)}</p>

      <h2>{t("privacy.rightsTitle")}</h2>
      <p>{t("privacy.rights")}</p>
      <p>
        <Trans t={t} i18nKey="privacy.rightsHow" values={contact} components={{ mail }} />
      </p>
      <p>{t("privacy.rightsDelay")}</p>

      <h2>{t("privacy.complaintTitle")}</h2>
      <p>
        <Trans
          t={t}
          i18nKey="privacy.complaint"
          values={{ publisher: legal.publisher }}
          components={{ cnil: <a href="https://www.cnil.fr/fr/plaintes" rel="noopener noreferrer" /> }}
        />
      </p>
    </article>
  );
}
