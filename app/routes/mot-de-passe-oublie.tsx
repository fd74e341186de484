import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accountEnv, requestPasswordReset } from "~/core/auth/accounts.server";
import { EmailField } from "~/core/auth/AccountFields";
import { forgotPasswordSchema } from "~/core/auth/schemas";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Notice } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tenant, t }) =>
  json({ sent: new URL(request.url).searchParams.has("envoye"), town: tenant.name, title: t("auth:forgot.title") }),
);

export const action = /* @__PURE__ */ tenantAction(async (ctx) => {
  const parsed = parseForm(forgotPasswordSchema, ctx.form);
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  await requestPasswordReset(accountEnv(ctx), parsed.data.email);
  // The same answer whether or not an account has this address.
  return redirect("/mot-de-passe-oublie?envoye=1");
});

export default function ForgotPassword() {
  const { sent } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  return (
    <>
      <h1>{t("forgot.title")}</h1>
      {sent ? (
        <>
          <Notice>{t("forgot.sent")}</Notice>
          <p>
            <Link to="/connexion">{t("forgot.signInLink")}</Link>
          </p>
        </>
      ) : (
        <>
          <p className="lead">{t("forgot.intro")}</p>
          <Form method="post" noValidate className="form">
            <CsrfInput />
            <ErrorSummary errors={data?.errors} />
            <EmailField error={data?.errors.email} defaultValue={data?.values.email} />
            <p>
              <button type="submit" className="button">
                {t("forgot.submit")}
              </button>
            </p>
          </Form>
        </>
      )}
    </>
  );
}
