import { json, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { NAME_MAX } from "~/core/tenant/town-settings";
import { commitTownSection, noticeOf, parseIdentityForm, townSettingsState } from "~/core/tenant/town-settings.server";
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
      title: t("console-town:identity.title"),
      notice: noticeOf(request),
      name: state.current.name,
      platformName: state.platform.name,
      changed: state.changed.identity,
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async (ctx) => {
    if (ctx.form.get("intent") === "revert") return commitTownSection(ctx, "identity", { revert: true });
    const parsed = parseIdentityForm(ctx.form);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    return commitTownSection(ctx, "identity", { set: { name: parsed.data.name } });
  },
  { console: true, sensitive: true },
);

export default function TownIdentity() {
  const { name, platformName, changed, notice } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-town");
  return (
    <>
      <TownPageHeader title={t("identity.title")} intro={t("identity.intro")} />
      <TownNotice notice={notice} />
      <TownSourceStatus changed={changed} />
      <Form method="post" noValidate className="form">
        <CsrfInput />
        <ErrorSummary errors={data?.errors} />
        <Field
          name="name"
          label={t("identity.name")}
          hint={t("identity.nameHint", { max: NAME_MAX })}
          required
          maxLength={NAME_MAX}
          autoComplete="off"
          defaultValue={data?.values?.name ?? name}
          error={data?.errors?.name}
        />
        <p>
          <button type="submit" className="button">
            {t("save")}
          </button>
        </p>
      </Form>
      <TownRevert changed={changed} platformValue={<p>{t("identity.platformValue", { name: platformName })}</p>} />
    </>
  );
}
