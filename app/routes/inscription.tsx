import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accountEnv, clientMeta, signUp } from "~/core/auth/accounts.server";
import { DisplayNameField, EmailField, NewPasswordFields } from "~/core/auth/AccountFields";
import { signUpSchema } from "~/core/auth/schemas";
import { rotateSession } from "~/core/auth/session.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(async ({ tenant, t }) => json({ town: tenant.name, title: t("auth:signUp.title") }));

export const action = /* @__PURE__ */ tenantAction(async (ctx) => {
  const parsed = parseForm(signUpSchema, ctx.form);
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await signUp(accountEnv(ctx), parsed.data);
  // Both outcomes lead to the same page: the form does not tell who already has an account.
  if (!result.created) return redirect("/verifier-email");
  const meta = clientMeta(ctx);
  const cookie = await rotateSession(ctx.tx, ctx.tenant.id, result.userId, meta);
  return redirect("/verifier-email", { headers: { "Set-Cookie": cookie } });
});

export default function SignUp() {
  const { town } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  return (
    <>
      <h1>{t("signUp.title")}</h1>
      <p className="lead">{t("signUp.intro", { town })}</p>
      <Form method="post" noValidate className="form">
        <CsrfInput />
        <ErrorSummary errors={data?.errors} />
        <EmailField error={data?.errors.email} defaultValue={data?.values.email} />
        <DisplayNameField error={data?.errors.displayName} defaultValue={data?.values.displayName} />
        <NewPasswordFields name="password" replacing={false} error={data?.errors.password} confirmError={data?.errors.confirmPassword} />
        <p>
          <button type="submit" className="button">
            {t("signUp.submit")}
          </button>
        </p>
      </Form>
      <p>
        {t("signUp.haveAccount")} <Link to="/connexion">{t("signUp.signInLink")}</Link>
      </p>
    </>
  );
}
