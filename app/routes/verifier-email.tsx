import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accountEnv, applyEmailLink, type EmailLinkOutcome } from "~/core/auth/accounts.server";
import { tenantLoader } from "~/core/route.server";
import { Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";

// The outcome travels in the address after a redirect, so the token leaves the address bar
// (and the browser history) as soon as it has been used.
const STATES: Record<EmailLinkOutcome, string> = {
  verified: "confirmee",
  emailChanged: "adresse-modifiee",
  emailTaken: "adresse-prise",
  expired: "expire",
  used: "deja-utilise",
  invalid: "invalide",
};

const TITLES: Record<EmailLinkOutcome | "check", string> = {
  check: "verify.checkTitle",
  verified: "verify.verifiedTitle",
  emailChanged: "verify.emailChangedTitle",
  emailTaken: "verify.emailTakenTitle",
  expired: "verify.expiredTitle",
  used: "verify.usedTitle",
  invalid: "verify.invalidTitle",
};

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** With `?token=`: applies the link (confirm the address, or switch to a new one). */
export const loader = /* @__PURE__ */ tenantLoader(async (ctx) => {
  const params = new URL(ctx.request.url).searchParams;
  const token = params.get("token");
  if (token !== null) {
    const outcome = await applyEmailLink(accountEnv(ctx), token);
    return redirect(`/verifier-email?etat=${STATES[outcome]}`);
  }
  const state = params.get("etat");
  const outcome = (Object.keys(STATES) as EmailLinkOutcome[]).find((k) => STATES[k] === state) ?? null;
  return json({
    outcome,
    signedIn: ctx.user !== null,
    town: ctx.tenant.name,
    title: ctx.t(`auth:${TITLES[outcome ?? "check"]}`),
  });
});

export default function VerifyEmail() {
  const { outcome, signedIn } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  if (outcome === null) {
    return (
      <>
        <h1>{t("verify.checkTitle")}</h1>
        <p className="lead">{t("verify.checkBody")}</p>
        <p>{t("verify.checkSpam")}</p>
      </>
    );
  }
  const succeeded = outcome === "verified" || outcome === "emailChanged";
  return (
    <>
      <h1>{t(TITLES[outcome])}</h1>
      {succeeded ? <Notice>{t(`verify.${outcome}Body`)}</Notice> : <p className="lead">{t(`verify.${outcome}Body`)}</p>}
      {outcome === "expired" || outcome === "used" || outcome === "invalid" ? <p>{t("verify.resendHint")}</p> : null}
      <p>
        {succeeded && !signedIn ? (
          <Link to="/connexion">{t("signUp.signInLink")}</Link>
        ) : (
          <Link to="/compte">{t("verify.accountLink")}</Link>
        )}
      </p>
    </>
  );
}
