import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { clientMeta, resetPassword } from "~/core/auth/accounts.server";
import { NewPasswordFields } from "~/core/auth/AccountFields";
import { resetPasswordSchema } from "~/core/auth/schemas";
import { checkToken } from "~/core/auth/tokens.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** Shows the form only for a usable link; the link is spent when the form is sent. */
export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tx, tenant, t }) => {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = await checkToken(tx, token, ["reset_password"]);
  return json({
    token: check.status === "valid" ? token : null,
    linkProblem: check.status === "valid" ? null : check.status,
    town: tenant.name,
    title: t("auth:reset.title"),
  });
});

export const action = /* @__PURE__ */ tenantAction(async (ctx) => {
  const parsed = parseForm(resetPasswordSchema, ctx.form);
  if (!parsed.ok) {
    const linkProblem = parsed.errors.token ? ("invalid" as const) : null;
    return json({ errors: parsed.errors, linkProblem }, { status: 400 });
  }
  const result = await resetPassword(ctx, parsed.data.token, parsed.data.password, clientMeta(ctx));
  if (!result.ok) return json({ errors: {}, linkProblem: result.reason }, { status: 400 });
  // With two-factor sign-in, the new session is only opened by the code.
  const next = "/compte?ok=mot-de-passe-reinitialise";
  const to = result.awaitingSecondFactor ? `/connexion/code?retour=${encodeURIComponent(next)}` : next;
  return redirect(to, { headers: { "Set-Cookie": result.cookie } });
});

export default function ResetPassword() {
  const loaded = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  const linkProblem = data?.linkProblem ?? loaded.linkProblem;
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  return (
    <>
      <h1>{t("reset.title")}</h1>
      {linkProblem || !loaded.token ? (
        <>
          <p className="lead" role="alert">
            {t(`reset.${linkProblem ?? "invalid"}`)}
          </p>
          <p>
            <Link to="/mot-de-passe-oublie">{t("reset.newLink")}</Link>
          </p>
        </>
      ) : (
        <>
          <p className="lead">{t("reset.intro")}</p>
          <Form method="post" noValidate className="form">
            <CsrfInput />
            <input type="hidden" name="token" value={loaded.token} />
            <ErrorSummary errors={data?.errors} />
            <NewPasswordFields name="password" replacing error={errors.password} confirmError={errors.confirmPassword} />
            <p>
              <button type="submit" className="button">
                {t("reset.submit")}
              </button>
            </p>
          </Form>
        </>
      )}
    </>
  );
}
