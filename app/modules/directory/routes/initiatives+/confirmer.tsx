// The link emailed to a submitter: their listing leaves "unconfirmed" for the moderation
// queue. The outcome travels in the address after a redirect, so the token leaves the
// address bar and the browser history as soon as it has been used.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantLoader } from "~/core/route.server";
import { Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";
import { confirmSubmission, type ConfirmOutcome } from "../../data/submission.server";

type Outcome = ConfirmOutcome["status"];
const STATES: Record<Outcome, string> = { confirmed: "confirmee", already: "deja-confirmee", expired: "expiree", invalid: "invalide" };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t }) => {
    const params = new URL(request.url).searchParams;
    const token = params.get("jeton");
    if (token !== null) {
      const outcome = await confirmSubmission(tx, token);
      return redirect(`/initiatives/confirmer?etat=${STATES[outcome.status]}`);
    }
    const state = params.get("etat");
    const outcome = (Object.keys(STATES) as Outcome[]).find((k) => STATES[k] === state) ?? "invalid";
    return json({ outcome, town: tenant.name, title: t(`directory:moderation.confirm.${outcome}.title`) }, { status: outcome === "invalid" || outcome === "expired" ? 400 : 200 });
  },
  { module: "directory" },
);

export default function ConfirmSubmissionPage() {
  const { outcome, title } = useLoaderData<typeof loader>();
  const { t } = useTranslation("directory");
  return (
    <>
      <h1>{title}</h1>
      {outcome === "confirmed" ? <Notice>{t("moderation.confirm.confirmed.body")}</Notice> : <p className="lead">{t(`moderation.confirm.${outcome}.body`)}</p>}
      <p>
        {outcome === "expired" || outcome === "invalid" ? (
          <Link to="/initiatives/proposer">{t("moderation.confirm.proposeAgain")}</Link>
        ) : (
          <Link to="/initiatives">{t("moderation.submit.backToList")}</Link>
        )}
      </p>
    </>
  );
}
