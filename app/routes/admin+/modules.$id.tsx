import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { staffActor } from "~/core/audit.server";
import { getModule } from "~/core/modules/registry.server";
import { describeSettings, effectiveSettings, parseSettingsForm, settingsFormValues } from "~/core/modules/settings-form.server";
import { readStoredModule, saveModuleSettings, setModuleEnabled } from "~/core/modules/tenant-modules.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { invalidateTenantCache } from "~/core/tenant/tenant.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";
import { SettingsFields } from "~/core/ui/SettingsFields";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.module.name, data?.town);

/** One module: switched on or off, and its settings form, generated from its settings schema. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ params, tx, tenant, t }) => {
    const manifest = getModule(params.id ?? "");
    if (!manifest) notFound();
    const stored = await readStoredModule(tx, manifest.id);
    const fields = describeSettings(manifest.settings);
    const effective = effectiveSettings(manifest.settings, stored?.settings);
    return json({
      town: tenant.name,
      module: { id: manifest.id, name: t(`${manifest.id}:name`), description: t(`${manifest.id}:description`), enabled: stored?.enabled === true },
      fields,
      values: settingsFormValues(fields, effective.settings),
      storedValid: effective.valid,
    });
  },
  { console: true },
);

type ActionData = { errors?: Record<string, string>; values?: Record<string, string | string[]>; error?: string };

export const action = /* @__PURE__ */ tenantAction(
  async ({ params, tx, tenant, user, form, afterCommit }) => {
    const manifest = getModule(params.id ?? "");
    if (!manifest) notFound();
    const here = `/admin/modules/${manifest.id}`;
    const intent = form.get("intent");
    if (intent === "enable" || intent === "disable") {
      const outcome = await setModuleEnabled(tx, tenant.id, manifest, intent === "enable", staffActor(user!));
      if ("refused" in outcome) return json<ActionData>({ error: "console-modules:errors.invalidSettings" }, { status: 400 });
      if (outcome.changed) afterCommit(invalidateTenantCache);
      return redirect(`${here}?ok=${intent}d`);
    }
    if (intent !== "settings") return json<ActionData>({ error: "console-modules:errors.unknownState" }, { status: 400 });
    const fields = describeSettings(manifest.settings);
    const parsed = parseSettingsForm(manifest.settings, form, fields);
    if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    const { changed } = await saveModuleSettings(tx, tenant.id, manifest.id, parsed.settings, staffActor(user!));
    if (!changed) return redirect(`${here}?ok=unchanged`);
    afterCommit(invalidateTenantCache);
    return redirect(`${here}?ok=saved`);
  },
  { console: true },
);

const NOTICES = ["enabled", "disabled", "saved", "unchanged"] as const;

export default function ModulePage() {
  const { module, fields, values, storedValid } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const { t } = useTranslation("console-modules");
  const ok = NOTICES.find((n) => n === params.get("ok"));
  const shown = data?.values ?? values;
  return (
    <>
      <p>
        <Link to="/admin/modules">{t("detail.back")}</Link>
      </p>
      <h1>{module.name}</h1>
      <p className="lead">{module.description}</p>
      {ok ? <Notice>{t(`notices.${ok}`, { name: module.name })}</Notice> : null}
      <ErrorSummary errors={data?.errors} message={data?.error ? t(data.error) : null} />
      <section aria-labelledby="module-state">
        <h2 id="module-state">{t("detail.stateTitle")}</h2>
        <Form method="post" className="console-module__actions">
          <CsrfInput />
          <p>
            {t("list.state")}{" "}
            <span className={`status-tag ${module.enabled ? "status-tag--active" : "status-tag--suspended"}`}>{module.enabled ? t("list.enabled") : t("list.disabled")}</span>
          </p>
          <button type="submit" name="intent" value={module.enabled ? "disable" : "enable"} className={module.enabled ? "button button--secondary" : "button"}>
            {module.enabled ? t("list.disable") : t("list.enable")}
            <span className="visually-hidden"> {module.name}</span>
          </button>
        </Form>
      </section>
      <section aria-labelledby="module-settings">
        <h2 id="module-settings">{t("detail.settingsTitle")}</h2>
        {fields.length === 0 ? (
          <p>{t("detail.noSettings")}</p>
        ) : (
          <>
            <p>{t("detail.settingsIntro")}</p>
            {storedValid ? null : <p className="console-module__warning">{t("detail.storedInvalid")}</p>}
            {/* Remounted when the saved values change, so that a successful save shows them as stored. */}
            <Form method="post" noValidate className="form" key={JSON.stringify(values)}>
              <CsrfInput />
              <SettingsFields moduleId={module.id} fields={fields} values={shown} errors={data?.errors} />
              <p>
                <button type="submit" name="intent" value="settings" className="button">
                  {t("detail.save")}
                </button>
              </p>
            </Form>
          </>
        )}
      </section>
    </>
  );
}
