import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { saveSecuritySettings, securitySettings, securitySettingsSchema, staffTwoFactorStatus } from "~/core/auth/security-settings.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { AUDIT_RETENTION_DAYS } from "~/core/tenant/settings.server";
import { invalidateTenantCache } from "~/core/tenant/tenant.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice, fieldId } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { formatDate } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** The town's security settings: mandatory two-factor sign-in for staff, audit log retention. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t, user }) => {
    const settings = await securitySettings(tx);
    const staff = await staffTwoFactorStatus(tx);
    return json({
      town: tenant.name,
      title: t("security:settings.title"),
      timeZone: tenant.timeZone,
      saved: new URL(request.url).searchParams.get("ok") === "saved",
      settings,
      bounds: AUDIT_RETENTION_DAYS,
      selfHasTwoFactor: user!.twoFactorEnabled,
      staff: staff.map((s) => ({ ...s, twoFactorSince: s.twoFactorSince?.toISOString() ?? null, me: s.id === user!.id })),
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ form, tx, tenant, user, afterCommit }) => {
    const parsed = parseForm(securitySettingsSchema, form);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    const input = { staffTwoFactorRequired: parsed.data.staffTwoFactorRequired === "on", auditRetentionDays: parsed.data.auditRetentionDays };
    const result = await saveSecuritySettings(tx, tenant.id, user!, input);
    if (!result.ok) {
      const values = { auditRetentionDays: String(input.auditRetentionDays), ...(input.staffTwoFactorRequired && { staffTwoFactorRequired: "on" }) };
      return json({ errors: result.errors, values }, { status: 400 });
    }
    // The wrapper reads the two-factor rule from the cached tenant: refresh it for the next request.
    if (result.changed) afterCommit(invalidateTenantCache);
    return redirect("/admin/securite?ok=saved");
  },
  { console: true, sensitive: true },
);

export default function SecuritySettings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("security");
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values: Record<string, string | undefined> | null = result?.values ?? null;
  const required = values ? values.staffTwoFactorRequired === "on" : data.settings.staffTwoFactorRequired;
  const requiredId = fieldId("staffTwoFactorRequired");
  const requiredDescribedBy = [`${requiredId}-hint`, errors.staffTwoFactorRequired ? `${requiredId}-error` : null].filter(Boolean).join(" ");
  return (
    <>
      <p>
        <Link to="/admin">{t("settings.back")}</Link>
      </p>
      <h1>{t("settings.title")}</h1>
      {data.saved ? <Notice>{t("settings.saved")}</Notice> : null}
      <p className="lead">{t("settings.intro", { town: data.town })}</p>

      <Form method="post" noValidate className="form">
        <CsrfInput />
        <ErrorSummary errors={result?.errors} />
        <fieldset className="security-fieldset">
          <legend>{t("settings.twoFactorLegend")}</legend>
          <p className="hint" id={`${requiredId}-hint`}>
            {t("settings.twoFactorHint")} {data.selfHasTwoFactor ? null : t("settings.twoFactorSelfFirst")}
          </p>
          {errors.staffTwoFactorRequired ? (
            <p className="field-error" id={`${requiredId}-error`}>
              <span className="visually-hidden">{t("common:form.errorPrefix")} </span>
              {t(errors.staffTwoFactorRequired)}
            </p>
          ) : null}
          <div className="checkbox">
            <input
              type="checkbox"
              id={requiredId}
              name="staffTwoFactorRequired"
              value="on"
              defaultChecked={required}
              aria-describedby={requiredDescribedBy}
              aria-invalid={errors.staffTwoFactorRequired ? true : undefined}
            />
            <label htmlFor={requiredId}>{t("fields.staffTwoFactorRequired")}</label>
          </div>
        </fieldset>
        <Field
          name="auditRetentionDays"
          type="number"
          inputMode="numeric"
          min={data.bounds.min}
          max={data.bounds.max}
          label={t("fields.auditRetentionDays")}
          hint={t("fields.auditRetentionDaysHint", { min: data.bounds.min, max: data.bounds.max })}
          required
          error={errors.auditRetentionDays}
          defaultValue={values?.auditRetentionDays ?? String(data.settings.auditRetentionDays)}
        />
        <p>
          <button type="submit" className="button">
            {t("settings.submit")}
          </button>
        </p>
      </Form>

      <section aria-labelledby="staff-title">
        <h2 id="staff-title">{t("settings.staff.title")}</h2>
        <p>
          <Link to="/compte/double-authentification">{t("settings.staff.ownAccount")}</Link>
        </p>
        {data.staff.length === 0 ? (
          <p>{t("settings.staff.none")}</p>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="staff-title">
            <table>
              <caption className="visually-hidden">{t("settings.staff.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("settings.staff.name")}</th>
                  <th scope="col">{t("settings.staff.email")}</th>
                  <th scope="col">{t("settings.staff.status")}</th>
                </tr>
              </thead>
              <tbody>
                {data.staff.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      {s.displayName}
                      {s.me ? ` ${t("settings.staff.you")}` : null}
                    </th>
                    <td>{s.email}</td>
                    <td>
                      {s.twoFactorSince
                        ? t("settings.staff.on", { date: formatDate(s.twoFactorSince, data.timeZone) })
                        : t("settings.staff.off")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
