import { json, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { ACCESSIBILITY_STATUSES } from "~/core/tenant/town-settings";
import { commitTownSection, legalFields, noticeOf, parseLegalForm, townSettingsState } from "~/core/tenant/town-settings.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { TownNotice, TownPageHeader, TownRevert, TownSourceStatus } from "~/core/ui/console/TownSection";
import { ErrorSummary, Field } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, t, request }) => {
    const state = await townSettingsState(tx, tenant.id);
    return json({
      town: state.current.name,
      title: t("console-town:legal.title"),
      notice: noticeOf(request),
      fields: legalFields(state.current),
      platformPublisher: state.platform.legal.publisher,
      changed: state.changed.legal,
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async (ctx) => {
    if (ctx.form.get("intent") === "revert") return commitTownSection(ctx, "legal", { revert: true });
    const parsed = parseLegalForm(ctx.form);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    return commitTownSection(ctx, "legal", { set: parsed.data });
  },
  { console: true, sensitive: true },
);

export default function TownLegal() {
  const { fields, platformPublisher, changed, notice } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-town");
  const value = (name: keyof typeof fields) => data?.values?.[name] ?? fields[name];
  const error = (name: keyof typeof fields) => data?.errors?.[name];
  return (
    <>
      <TownPageHeader title={t("legal.title")} intro={t("legal.intro")} />
      <TownNotice notice={notice} />
      <TownSourceStatus changed={changed} />
      <p>
        {t("legal.seePages")} <Link to="/mentions-legales">{t("legal.noticeLink")}</Link>, <Link to="/accessibilite">{t("legal.accessibilityLink")}</Link>.
      </p>
      <Form method="post" noValidate className="form town-form">
        <CsrfInput />
        <ErrorSummary errors={data?.errors} />
        <fieldset className="town-fieldset">
          <legend>{t("legal.notice")}</legend>
          <Field name="publisher" label={t("legal.fields.publisher")} hint={t("legal.fields.publisherHint")} required defaultValue={value("publisher")} error={error("publisher")} />
          <Field
            name="publicationDirector"
            label={t("legal.fields.publicationDirector")}
            hint={t("legal.fields.publicationDirectorHint")}
            required
            defaultValue={value("publicationDirector")}
            error={error("publicationDirector")}
          />
          <Field as="textarea" name="address" rows={3} label={t("legal.fields.address")} required defaultValue={value("address")} error={error("address")} />
          <Field name="contactEmail" type="email" autoComplete="off" label={t("legal.fields.contactEmail")} required defaultValue={value("contactEmail")} error={error("contactEmail")} />
          <Field as="textarea" name="hosting" rows={3} label={t("legal.fields.hosting")} hint={t("legal.fields.hostingHint")} required defaultValue={value("hosting")} error={error("hosting")} />
        </fieldset>
        <fieldset className="town-fieldset">
          <legend>{t("legal.accessibility")}</legend>
          <Field
            as="select"
            name="a11yStatus"
            label={t("legal.fields.a11yStatus")}
            hint={t("legal.fields.a11yStatusHint")}
            required
            options={ACCESSIBILITY_STATUSES.map((s) => ({ value: s, label: t(`legal.statuses.${s}`) }))}
            defaultValue={value("a11yStatus")}
            error={error("a11yStatus")}
          />
          <Field
            name="a11yAuditDate"
            type="date"
            label={t("legal.fields.a11yAuditDate")}
            hint={t("legal.fields.a11yAuditDateHint")}
            defaultValue={value("a11yAuditDate")}
            error={error("a11yAuditDate")}
          />
          <Field name="a11yContactEmail" type="email" autoComplete="off" label={t("legal.fields.a11yContactEmail")} required defaultValue={value("a11yContactEmail")} error={error("a11yContactEmail")} />
        </fieldset>
        <p>
          <button type="submit" className="button">
            {t("save")}
          </button>
        </p>
      </Form>
      <TownRevert changed={changed} platformValue={<p>{t("legal.platformValue", { publisher: platformPublisher })}</p>} />
    </>
  );
}
