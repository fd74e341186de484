import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { clientMeta, signIn } from "~/core/auth/accounts.server";
import { signInSchema } from "~/core/auth/schemas";
import { safeReturnPath } from "~/core/http/urls.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

const SECOND_STEP_PATH = "/connexion/code";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tenant, t }) =>
  json({
    town: tenant.name,
    title: t("auth:signIn.title"),
    retour: safeReturnPath(new URL(request.url).searchParams.get("retour"), ""),
  }),
);

export const action = /* @__PURE__ */ tenantAction(async (ctx) => {
  const { form, t, tenant } = ctx;
  const parsed = parseForm(signInSchema, form);
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values, message: null }, { status: 400 });
  const result = await signIn(ctx, parsed.data, clientMeta(ctx));
  if (result.ok) {
    if (result.secondFactor) {
      // The password is right; the session opens with the code from the person's app.
      const retour = safeReturnPath(parsed.data.retour, "");
      const next = retour ? `${SECOND_STEP_PATH}?retour=${encodeURIComponent(retour)}` : SECOND_STEP_PATH;
      return redirect(next, { headers: { "Set-Cookie": result.cookie } });
    }
    return redirect(safeReturnPath(parsed.data.retour), { headers: { "Set-Cookie": result.cookie } });
  }
  const values = { email: parsed.data.email };
  // Returned, not thrown: the failed attempt just recorded must be committed.
  if (result.reason === "rateLimited") {
    const message = t("auth:signIn.rateLimited", { time: formatDateTime(result.retryAt, tenant.timeZone) });
    return json({ errors: {}, values, message }, { status: 429, headers: { "Retry-After": String(Math.ceil((result.retryAt.getTime() - Date.now()) / 1000)) } });
  }
  return json({ errors: {}, values, message: t(`auth:signIn.${result.reason}`) }, { status: 400 });
});

export default function SignIn() {
  const { town, retour } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  return (
    <>
      <h1>{t("signIn.title")}</h1>
      <p className="lead">{t("signIn.intro", { town })}</p>
      <Form method="post" noValidate className="form">
        <CsrfInput />
        {retour ? <input type="hidden" name="retour" value={retour} /> : null}
        <ErrorSummary errors={data?.errors} message={data?.message} />
        <Field
          name="email"
          type="email"
          autoComplete="username"
          label={t("fields.email")}
          required
          error={errors.email}
          defaultValue={data?.values.email}
        />
        <Field name="password" type="password" autoComplete="current-password" label={t("fields.password")} required error={errors.password} />
        <p>
          <button type="submit" className="button">
            {t("signIn.submit")}
          </button>
        </p>
      </Form>
      <p>
        <Link to="/mot-de-passe-oublie">{t("signIn.forgot")}</Link>
      </p>
      <p>
        {t("signIn.noAccount")} <Link to="/inscription">{t("signIn.signUpLink")}</Link>
      </p>
    </>
  );
}
