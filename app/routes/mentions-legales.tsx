import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";
import { titledMeta } from "~/core/ui/meta";

/** Legal notice (LCEN article 6): who publishes the platform, who directs it, who hosts it. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tenant, t }) => {
    const { legal } = tenant.definition;
    return json({ title: t("legal:notice.title"), name: tenant.name, legal });
  },
  { allowSuspended: true },
);

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.name);

export default function LegalNotice() {
  const { name, legal } = useLoaderData<typeof loader>();
  const { t } = useTranslation("legal");
  const mail = <a href={`mailto:${legal.contactEmail}`} />;
  return (
    <article className="legal-page" aria-labelledby="legal-title">
      <h1 id="legal-title">{t("notice.title")}</h1>
      <p className="lead">{t("platformOf", { name })}</p>
      <p>{t("notice.intro", { name })}</p>

      <h2>{t("notice.publisherTitle")}</h2>
      <dl className="legal-facts">
        <dt>{t("notice.publisher")}</dt>
        <dd>{legal.publisher}</dd>
        <dt>{t("notice.address")}</dt>
        <dd>{legal.address}</dd>
        <dt>{t("notice.contact")}</dt>
        <dd>
          <a href={`mailto:${legal.contactEmail}`}>{legal.contactEmail}</a>
        </dd>
        <dt>{t("notice.director")}</dt>
        <dd>{legal.publicationDirector}</dd>
      </dl>

      <h2>{t("notice.hostingTitle")}</h2>
      <p>{legal.hosting}</p>

      <h2>{t("notice.softwareTitle")}</h2>
      <p>{t("notice.software")}</p>

      <h2>{t("notice.contentTitle")}</h2>
      <p>
        <Trans t={t} i18nKey="notice.content" values={{ email: legal.contactEmail, publisher: legal.publisher }} components={{ mail }} />
      </p>

      <h2>{t("seeAlso")}</h2>
      <ul>
        <li>
          <Link to="/confidentialite">{t("notice.privacyLink")}</Link>
        </li>
        <li>
          <Link to="/accessibilite">{t("notice.accessibilityLink")}</Link>
        </li>
      </ul>
    </article>
  );
}
