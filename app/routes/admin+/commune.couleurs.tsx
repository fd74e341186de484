import { json, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { commitTownSection, formatRatio, noticeOf, parseThemeForm, townSettingsState } from "~/core/tenant/town-settings.server";
import { AA_NORMAL } from "~/core/ui/contrast";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { TownColourField } from "~/core/ui/console/TownColourField";
import { TownNotice, TownPageHeader, TownRevert, TownSourceStatus } from "~/core/ui/console/TownSection";
import { ErrorSummary } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, t, request }) => {
    const state = await townSettingsState(tx, tenant.id);
    const { primary, accent } = state.current.theme;
    return json({
      town: state.current.name,
      title: t("console-town:theme.title"),
      notice: noticeOf(request),
      theme: { primary, accent },
      platform: { primary: state.platform.theme.primary, accent: state.platform.theme.accent },
      changed: state.changed.theme,
      minimum: formatRatio(AA_NORMAL),
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async (ctx) => {
    if (ctx.form.get("intent") === "revert") return commitTownSection(ctx, "theme", { revert: true });
    const parsed = parseThemeForm(ctx.form);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values, contrast: parsed.contrast }, { status: 400 });
    return commitTownSection(ctx, "theme", { set: { theme: parsed.data } });
  },
  { console: true, sensitive: true },
);

const HEX = /^#[0-9a-f]{6}$/i;

export default function TownColours() {
  const { theme, platform, changed, notice, minimum } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-town");
  const field = (name: "primary" | "accent") => {
    const typed = data?.values?.[name];
    return {
      value: typed ?? theme[name],
      shown: typed && HEX.test(typed) ? typed.toLowerCase() : theme[name],
      error: data?.errors?.[name],
      problems: data?.contrast?.[name],
    };
  };
  return (
    <>
      <TownPageHeader title={t("theme.title")} intro={t("theme.intro", { minimum })} />
      <TownNotice notice={notice} />
      <TownSourceStatus changed={changed} />
      <Form method="post" noValidate className="form town-form">
        <CsrfInput />
        <ErrorSummary errors={data?.errors} />
        <TownColourField name="primary" legend={t("theme.primary")} hint={t("theme.primaryHint")} minimum={minimum} {...field("primary")} />
        <TownColourField name="accent" legend={t("theme.accent")} hint={t("theme.accentHint")} minimum={minimum} {...field("accent")} />
        <p>
          <button type="submit" className="button">
            {t("save")}
          </button>
        </p>
      </Form>
      <TownRevert changed={changed} platformValue={<p>{t("theme.platformValue", platform)}</p>} />
    </>
  );
}
