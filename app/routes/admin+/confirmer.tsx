import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { confirmIdentity, confirmIdentitySchema, reauthReturnPath } from "~/core/auth/reauth.server";
import { REAUTH_WINDOW_MS, tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field } from "~/core/ui/form";
import { SecondFactorField } from "~/core/ui/SecondFactorField";
import { parseForm } from "~/core/ui/form.server";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/**
 * Sensitive console pages send staff here when their last proof of the password is too old.
 * A staff account that the town's two-factor rule locks out is sent to set it up instead,
 * by the `console` option, before it could reach this page.
 */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tenant, t, user }) =>
    json({
      town: tenant.name,
      title: t("security:confirm.title"),
      retour: reauthReturnPath(new URL(request.url).searchParams.get("retour")),
      withCode: user!.twoFactorEnabled,
      minutes: REAUTH_WINDOW_MS / 60_000,
    }),
  { console: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ form, tx, tenant, user, t, context }) => {
    const parsed = parseForm(confirmIdentitySchema, form);
    if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
    const result = await confirmIdentity(tx, tenant.id, user!, parsed.data, context.clientIp);
    if (result.ok) return redirect(reauthReturnPath(parsed.data.retour));
    // Returned, not thrown: the failed attempt just recorded must be committed.
    if ("retryAt" in result) {
      const message = t("security:errors.rateLimited", { time: formatDateTime(result.retryAt, tenant.timeZone) });
      return json({ errors: {}, message }, { status: 429 });
    }
    return json({ errors: result.errors, message: null }, { status: 400 });
  },
  { console: true },
);

export default function ConfirmIdentity() {
  const { town, retour, withCode, minutes } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("security");
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  return (
    <>
      <h1>{t("confirm.title")}</h1>
      <p className="lead">{t("confirm.why", { town, minutes })}</p>
      <Form method="post" noValidate className="form">
        <CsrfInput />
        <input type="hidden" name="retour" value={retour} />
        <ErrorSummary errors={data?.errors} message={data?.message} />
        <Field name="password" type="password" autoComplete="current-password" label={t("fields.password")} required error={errors.password} />
        {withCode ? (
          <SecondFactorField name="code" error={errors.code} />
        ) : null}
        <p>
          <button type="submit" className="button">
            {t("confirm.submit")}
          </button>
        </p>
      </Form>
      <p>
        <Link to="/admin">{t("confirm.cancel")}</Link>
      </p>
    </>
  );
}
