import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { secondFactorCode } from "~/core/auth/reauth.server";
import { sessionTokenFrom } from "~/core/auth/session.server";
import { PENDING_SIGN_IN_MS, completeSignIn, pendingSignIn } from "~/core/auth/totp.server";
import { safeReturnPath } from "~/core/http/urls.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field } from "~/core/ui/form";
import { SecondFactorField } from "~/core/ui/SecondFactorField";
import { parseForm } from "~/core/ui/form.server";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const codeSchema = z.object({ code: secondFactorCode, retour: z.string().optional() });

const signInAgain = (retour: string) => (retour ? `/connexion?retour=${encodeURIComponent(retour)}` : "/connexion");

/** The second step of signing in to an account with two-factor sign-in (see connexion.tsx). */
export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tx, tenant, t, user }) => {
  const retour = safeReturnPath(new URL(request.url).searchParams.get("retour"), "");
  if (user) throw redirect(retour || "/");
  const token = sessionTokenFrom(request);
  const pending = token ? await pendingSignIn(tx, token) : null;
  return json({
    town: tenant.name,
    title: t("security:signInCode.title"),
    retour,
    expired: pending === null,
    restart: signInAgain(retour),
    minutes: PENDING_SIGN_IN_MS / 60_000,
  });
});

export const action = /* @__PURE__ */ tenantAction(async ({ request, form, tx, tenant, t, context }) => {
  const token = sessionTokenFrom(request);
  const pending = token ? await pendingSignIn(tx, token) : null;
  if (!pending) return json({ errors: {}, message: null, expired: true }, { status: 400 });
  const parsed = parseForm(codeSchema, form);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null, expired: false }, { status: 400 });
  const result = await completeSignIn(tx, tenant.id, pending, parsed.data.code, context.clientIp);
  if (result.ok) return redirect(safeReturnPath(parsed.data.retour));
  // Returned, not thrown: the failed attempt just recorded must be committed.
  if (result.reason === "rateLimited") {
    const message = t("security:errors.rateLimited", { time: formatDateTime(result.retryAt, tenant.timeZone) });
    return json({ errors: {}, message, expired: false }, { status: 429 });
  }
  const key = result.reason === "replayed" ? "security:errors.codeReplayed" : "security:errors.codeWrong";
  return json({ errors: { code: key }, message: null, expired: false }, { status: 400 });
});

export default function SignInCode() {
  const { retour, expired, restart, minutes } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("security");
  if (expired || data?.expired) {
    return (
      <>
        <h1>{t("signInCode.title")}</h1>
        <p className="lead">{t("signInCode.expired", { minutes })}</p>
        <p>
          <Link to={restart} className="button">
            {t("signInCode.restart")}
          </Link>
        </p>
      </>
    );
  }
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  return (
    <>
      <h1>{t("signInCode.title")}</h1>
      <p className="lead">{t("signInCode.intro", { minutes })}</p>
      <Form method="post" noValidate className="form">
        <CsrfInput />
        {retour ? <input type="hidden" name="retour" value={retour} /> : null}
        <ErrorSummary errors={data?.errors} message={data?.message} />
        <SecondFactorField name="code" error={errors.code} />
        <p>
          <button type="submit" className="button">
            {t("signInCode.submit")}
          </button>
        </p>
      </Form>
      <p>
        <Link to={restart}>{t("signInCode.restart")}</Link>
      </p>
    </>
  );
}
