import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { operatorMeta } from "~/core/operator/meta";
import { operatorAction, operatorLoader, safeOperatorReturn } from "~/core/operator/route.server";
import { createOperatorSession, revokeOperatorSession } from "~/core/operator/session.server";
import { signInOperator, signInSchema } from "~/core/operator/sign-in.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => operatorMeta(matches, data?.title);

export const loader = /* @__PURE__ */ operatorLoader(
  async ({ request, operator, t }) => {
    const retour = safeOperatorReturn(new URL(request.url).searchParams.get("retour"));
    if (operator) throw redirect(retour);
    return json({ retour, title: t("signIn.pageTitle") });
  },
  { public: true },
);

export const action = /* @__PURE__ */ operatorAction(
  async ({ form, tx, t, request, context, operator }) => {
    const parsed = parseForm(signInSchema, form);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values, message: null }, { status: 400 });
    const { email, password, retour } = parsed.data;
    const values = { email, retour: retour ?? "" };
    const result = await signInOperator(tx, { email, password, clientIp: context.clientIp });
    if (!result.ok) {
      if (result.reason === "rate-limited") {
        context.log.warn("operator sign-in rate-limited", { clientIp: context.clientIp });
        const message = t("signIn.errors.rateLimited", { minutes: result.retryAfterMinutes });
        return json({ errors: null, values, message }, { status: 429, headers: { "Retry-After": String(result.retryAfterMinutes * 60) } });
      }
      context.log.warn("operator sign-in failed", { clientIp: context.clientIp });
      return json({ errors: null, values, message: t("signIn.errors.invalid") }, { status: 400 });
    }
    // A session presented before sign-in is never kept: a fresh id for every sign-in.
    if (operator) await revokeOperatorSession(tx, operator.sessionId);
    const cookie = await createOperatorSession(tx, result.operatorId, {
      ip: context.clientIp,
      userAgent: request.headers.get("user-agent"),
    });
    context.log.info("operator signed in", { operatorId: result.operatorId, clientIp: context.clientIp });
    return redirect(safeOperatorReturn(retour), { headers: { "Set-Cookie": cookie } });
  },
  { public: true },
);

export default function OperatorSignIn() {
  const { retour } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("operator");
  return (
    <>
      <h1>{t("signIn.title")}</h1>
      <p className="lead">{t("signIn.intro")}</p>
      <Form method="post" noValidate className="form">
        <CsrfInput />
        <ErrorSummary errors={data?.errors} message={data?.message} />
        <input type="hidden" name="retour" value={data?.values?.retour || retour} />
        <Field
          name="email"
          type="email"
          label={t("signIn.email")}
          autoComplete="username"
          required
          error={data?.errors?.email}
          defaultValue={data?.values?.email}
        />
        <Field
          name="password"
          type="password"
          label={t("signIn.password")}
          autoComplete="current-password"
          required
          error={data?.errors?.password}
        />
        <p>
          <button type="submit" className="button">
            {t("signIn.submit")}
          </button>
        </p>
      </Form>
    </>
  );
}
