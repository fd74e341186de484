import { json, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { currentLogoInfo, LOGO_MAX_BODY_BYTES, LOGO_MAX_BYTES, LOGO_MAX_EDGE, processLogo, removeUploadedLogo, storeUploadedLogo } from "~/core/tenant/town-logo.server";
import { commitTownSection, noticeOf, townSettingsState } from "~/core/tenant/town-settings.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { TownNotice, TownPageHeader, TownRevert, TownSourceStatus } from "~/core/ui/console/TownSection";
import { ErrorSummary, Field } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toLocaleString("fr-FR", { maximumFractionDigits: 1 });

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, t, request }) => {
    const state = await townSettingsState(tx, tenant.id);
    const logo = await currentLogoInfo(tx);
    return json({
      town: state.current.name,
      title: t("console-town:logo.title"),
      notice: noticeOf(request),
      changed: state.changed.logo,
      // The header shows /logo when the definition says there is one; the preview the same.
      logoVersion: logo && state.current.hasLogo ? logo.updatedAt.getTime().toString(36) : null,
      platformHasLogo: state.platform.hasLogo,
      maxSize: megabytes(LOGO_MAX_BYTES),
      maxEdge: LOGO_MAX_EDGE,
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async (ctx) => {
    const { tx, tenant, form } = ctx;
    const state = await townSettingsState(tx, tenant.id);
    if (form.get("intent") === "revert") {
      if (state.overrides.logo) await removeUploadedLogo(tx, tenant.id);
      return commitTownSection(ctx, "logo", { revert: true });
    }
    const file = form.get("logo");
    const bytes = file !== null && typeof file !== "string" ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
    const result = await processLogo(bytes);
    if (!result.ok) return json({ errors: { logo: `console-town:logo.errors.${result.problem}` } }, { status: 400 });
    await storeUploadedLogo(tx, tenant.id, result.logo, !state.overrides.logo);
    return commitTownSection(ctx, "logo", { set: { logo: { contentType: result.logo.contentType, uploadedAt: new Date().toISOString() } } });
  },
  { console: true, sensitive: true, maxBodyBytes: LOGO_MAX_BODY_BYTES },
);

export default function TownLogo() {
  const { town, changed, notice, logoVersion, platformHasLogo, maxSize, maxEdge } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-town");
  return (
    <>
      <TownPageHeader title={t("logo.title")} intro={t("logo.intro")} />
      <TownNotice notice={notice} />
      <TownSourceStatus changed={changed} />
      <section aria-labelledby="town-logo-current" className="town-logo">
        <h2 id="town-logo-current">{t("logo.current")}</h2>
        {logoVersion ? (
          <p className="town-logo__preview">
            <img src={`/logo?v=${logoVersion}`} alt={town} width="128" height="128" />
          </p>
        ) : (
          <p>{t("logo.none")}</p>
        )}
        <p className="hint">{t("logo.altExplained")}</p>
      </section>
      <Form method="post" encType="multipart/form-data" noValidate className="form">
        <CsrfInput />
        <ErrorSummary errors={data?.errors} />
        <Field
          name="logo"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          label={t("logo.file")}
          hint={t("logo.fileHint", { size: maxSize, edge: maxEdge })}
          required
          error={data?.errors?.logo}
        />
        <p>
          <button type="submit" className="button">
            {t("logo.upload")}
          </button>
        </p>
      </Form>
      <TownRevert
        changed={changed}
        label={t("logo.remove")}
        help={platformHasLogo ? t("logo.removeRestores") : t("logo.removeLeavesNone")}
      />
    </>
  );
}
