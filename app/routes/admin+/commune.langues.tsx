import { json, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { LOCALES } from "~/core/tenant/definition";
import { commitTownSection, noticeOf, parseLocalesForm, timeZoneChoices, townSettingsState } from "~/core/tenant/town-settings.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { TownNotice, TownPageHeader, TownRevert, TownSourceStatus } from "~/core/ui/console/TownSection";
import { ErrorSummary, Field, fieldId } from "~/core/ui/form";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, t, request }) => {
    const state = await townSettingsState(tx, tenant.id);
    const { locales, timeZone } = state.current;
    return json({
      town: state.current.name,
      title: t("console-town:locales.title"),
      notice: noticeOf(request),
      locales,
      timeZone,
      timeZones: timeZoneChoices(timeZone),
      // What "now" reads as in the town's zone: the effect of the setting, shown.
      now: formatDateTime(new Date(), timeZone),
      platform: {
        enabled: state.platform.locales.enabled.map((l) => t(`console-town:locales.names.${l}`)).join(", "),
        default: t(`console-town:locales.names.${state.platform.locales.default}`),
        timeZone: state.platform.timeZone,
      },
      changed: state.changed.locales,
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async (ctx) => {
    if (ctx.form.get("intent") === "revert") return commitTownSection(ctx, "locales", { revert: true });
    const parsed = parseLocalesForm(ctx.form, ctx.tenant.timeZone);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    return commitTownSection(ctx, "locales", { set: parsed.data });
  },
  { console: true, sensitive: true },
);

export default function TownLocales() {
  const { locales, timeZone, timeZones, now, platform, changed, notice } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-town");
  const enabled = data?.values ? (data.values.enabled ?? "").split(",").filter(Boolean) : locales.enabled;
  const enabledError = data?.errors?.enabled;
  return (
    <>
      <TownPageHeader title={t("locales.title")} intro={t("locales.intro")} />
      <TownNotice notice={notice} />
      <TownSourceStatus changed={changed} />
      <Form method="post" noValidate className="form town-form">
        <CsrfInput />
        <ErrorSummary errors={data?.errors} />
        <fieldset className="town-fieldset" aria-describedby={enabledError ? `${fieldId("enabled")}-error` : undefined}>
          <legend>{t("locales.enabled")}</legend>
          {enabledError ? (
            <p className="field-error" id={`${fieldId("enabled")}-error`}>
              <span className="visually-hidden">{t("common:form.errorPrefix")} </span>
              {t(enabledError)}
            </p>
          ) : null}
          {LOCALES.map((l, i) => (
            <div className="checkbox" key={l}>
              {/* The first box carries the field's id, where the error summary's link leads. */}
              <input type="checkbox" id={i === 0 ? fieldId("enabled") : fieldId(`enabled-${l}`)} name="enabled" value={l} defaultChecked={enabled.includes(l)} />
              <label htmlFor={i === 0 ? fieldId("enabled") : fieldId(`enabled-${l}`)} lang={l}>
                {t(`locales.names.${l}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <Field
          as="select"
          name="default"
          label={t("locales.default")}
          hint={t("locales.defaultHint")}
          required
          options={LOCALES.map((l) => ({ value: l, label: t(`locales.names.${l}`) }))}
          defaultValue={data?.values?.default ?? locales.default}
          error={data?.errors?.default}
        />
        <Field
          as="select"
          name="timeZone"
          label={t("locales.timeZone")}
          hint={t("locales.timeZoneHint", { now })}
          required
          options={timeZones.map((z) => ({ value: z, label: z }))}
          defaultValue={data?.values?.timeZone ?? timeZone}
          error={data?.errors?.timeZone}
        />
        <p>
          <button type="submit" className="button">
            {t("save")}
          </button>
        </p>
      </Form>
      <TownRevert changed={changed} platformValue={<p>{t("locales.platformValue", platform)}</p>} />
    </>
  );
}
