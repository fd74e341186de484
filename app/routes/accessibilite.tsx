import { json, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";
import { formatDate } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

/** The RGAA accessibility statement, after the official model of the French administration. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tenant, t }) => {
    const { legal, accessibility } = tenant.definition;
    return json({
      title: t("legal:accessibility.title"),
      name: tenant.name,
      host: tenant.hosts[0],
      publisher: legal.publisher,
      address: legal.address,
      status: accessibility.status,
      auditDate: accessibility.auditDate ? formatDate(accessibility.auditDate, tenant.timeZone) : null,
      contactEmail: accessibility.contactEmail,
    });
  },
  { allowSuspended: true },
);

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.name);

export default function AccessibilityStatement() {
  const { name, host, publisher, address, status, auditDate, contactEmail } = useLoaderData<typeof loader>();
  const { t } = useTranslation("legal");
  const mail = <a href={`mailto:${contactEmail}`} />;
  return (
    <article className="legal-page" aria-labelledby="a11y-title">
      <h1 id="a11y-title">{t("accessibility.title")}</h1>
      <p className="lead">{t("platformOf", { name })}</p>
      <p>{t("accessibility.commitment", { publisher })}</p>
      <p>{t("accessibility.scope", { name, host })}</p>

      <h2>{t("accessibility.statusTitle")}</h2>
      <p className="legal-status">{t(`accessibility.status.${status}`, { name })}</p>
      <p>
        {auditDate ? (
          <Trans t={t} i18nKey="accessibility.audited" values={{ date: auditDate, email: contactEmail }} components={{ mail }} />
        ) : (
          t("accessibility.notAudited")
        )}
      </p>
      <p>{t("accessibility.automatedTests")}</p>

      <h2>{t("accessibility.technologiesTitle")}</h2>
      <p>{t("accessibility.technologies")}</p>

      <h2>{t("accessibility.feedbackTitle")}</h2>
      <p>{t("accessibility.feedback", { publisher })}</p>
      <ul>
        <li>
          <Trans t={t} i18nKey="accessibility.feedbackEmail" values={{ email: contactEmail }} components={{ mail }} />
        </li>
        <li>{t("accessibility.feedbackPost", { publisher, address })}</li>
      </ul>

      <h2>{t("accessibility.remediesTitle")}</h2>
      <p>{t("accessibility.remediesIntro")}</p>
      <ul>
        <li>
          <Trans t={t} i18nKey="accessibility.remedyForm" components={{ onlineform: <a href="https://formulaire.defenseurdesdroits.fr/" rel="noopener noreferrer" /> }} />
        </li>
        <li>
          <Trans
            t={t}
            i18nKey="accessibility.remedyDelegate"
            components={{ delegates: <a href="https://www.defenseurdesdroits.fr/carte-des-delegues" rel="noopener noreferrer" /> }}
          />
        </li>
        <li>
          <Trans t={t} i18nKey="accessibility.remedyPhone" components={{ tel: <a href="tel:+33969390000" /> }} />
        </li>
        <li>{t("accessibility.remedyPost")}</li>
      </ul>
    </article>
  );
}
