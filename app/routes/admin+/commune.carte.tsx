import { json, type LinksFunction, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { commitTownSection, mapFields, noticeOf, parseMapForm, townSettingsState } from "~/core/tenant/town-settings.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { TownMapPicker, type MapFieldName } from "~/core/ui/console/TownMapPicker";
import { TownNotice, TownPageHeader, TownRevert, TownSourceStatus } from "~/core/ui/console/TownSection";
import { ErrorSummary, Field } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/vendor/maplibre-gl.css" }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, t, request }) => {
    const state = await townSettingsState(tx, tenant.id);
    return json({
      town: state.current.name,
      title: t("console-town:map.title"),
      notice: noticeOf(request),
      map: state.current.map,
      fields: mapFields(state.current.map),
      platform: mapFields(state.platform.map),
      changed: state.changed.map,
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async (ctx) => {
    if (ctx.form.get("intent") === "revert") return commitTownSection(ctx, "map", { revert: true });
    const parsed = parseMapForm(ctx.form);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    return commitTownSection(ctx, "map", { set: { map: parsed.data } });
  },
  { console: true, sensitive: true },
);

export default function TownMap() {
  const { map, fields, platform, changed, notice } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-town");
  // Plain text fields: they take "50,6268" as well as "50.6268", which a number field refuses.
  const coordinate = (name: MapFieldName) => (
    <Field
      name={name}
      label={t(`map.fields.${name}`)}
      required
      inputMode="decimal"
      autoComplete="off"
      spellCheck={false}
      defaultValue={data?.values?.[name] ?? fields[name]}
      error={data?.errors?.[name]}
    />
  );
  return (
    <>
      <TownPageHeader title={t("map.title")} intro={t("map.intro")} />
      <TownNotice notice={notice} />
      <TownSourceStatus changed={changed} />
      <Form method="post" noValidate className="form town-form">
        <CsrfInput />
        <ErrorSummary errors={data?.errors} />
        <TownMapPicker bounds={map.bounds} centre={map.center} />
        <fieldset className="town-fieldset">
          <legend>{t("map.centre")}</legend>
          <p className="hint">{t("map.centreHint")}</p>
          <div className="town-pair">
            {coordinate("centerLng")}
            {coordinate("centerLat")}
          </div>
          {coordinate("zoom")}
        </fieldset>
        <fieldset className="town-fieldset">
          <legend>{t("map.bounds")}</legend>
          <p className="hint">{t("map.boundsHint")}</p>
          <div className="town-pair">
            {coordinate("west")}
            {coordinate("east")}
          </div>
          <div className="town-pair">
            {coordinate("south")}
            {coordinate("north")}
          </div>
        </fieldset>
        <p>
          <button type="submit" className="button">
            {t("save")}
          </button>
        </p>
      </Form>
      <TownRevert changed={changed} platformValue={<p>{t("map.platformValue", platform)}</p>} />
    </>
  );
}
