import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";
import { formatDate } from "~/core/ui/format";
import { listPublishedInitiatives } from "../../data/initiatives.server";

export const loader = tenantLoader(
  async ({ tx, tenant }) => {
    const initiatives = await listPublishedInitiatives(tx);
    return json({
      town: tenant.name,
      timeZone: tenant.timeZone,
      initiatives: initiatives.map((i) => ({ ...i, confirmed_at: i.confirmed_at.toISOString() })),
    });
  },
  { module: "directory" },
);

export default function InitiativesList() {
  const { town, timeZone, initiatives } = useLoaderData<typeof loader>();
  const { t } = useTranslation("directory");
  return (
    <>
      <h1>{t("list.title", { town })}</h1>
      <p className="lead">{t("list.intro")}</p>
      <p role="status">{t("list.count", { count: initiatives.length })}</p>
      {initiatives.length === 0 ? (
        <p>{t("list.empty")}</p>
      ) : (
        <ul className="card-list">
          {initiatives.map((i) => (
            <li key={i.id} className="card">
              <h2>{i.name}</h2>
              <p>
                <strong>{t(`kinds.${i.kind}`, { defaultValue: i.kind })}</strong>
                {i.is_demo ? <> · {t("list.demo")}</> : null}
              </p>
              {i.description ? <p>{i.description}</p> : null}
              {i.address ? (
                <p>
                  {t("list.address")} : {i.address}
                  {i.neighbourhood ? ` (${i.neighbourhood})` : ""}
                </p>
              ) : null}
              {i.links.map((href) => (
                <p key={href}>
                  <a href={href} rel="noopener noreferrer">
                    {t("list.website", { name: i.name })}
                  </a>
                </p>
              ))}
              <p>
                <small>{t("list.confirmed", { date: formatDate(i.confirmed_at, timeZone) })}</small>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
