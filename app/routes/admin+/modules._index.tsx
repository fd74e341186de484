import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { staffActor } from "~/core/audit.server";
import { getModule, listModules } from "~/core/modules/registry.server";
import { listStoredModuleStates, setModuleEnabled } from "~/core/modules/tenant-modules.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { invalidateTenantCache } from "~/core/tenant/tenant.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** Every module of the platform, whether the town has it on, and a button to switch it. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, t }) => {
    // Read in this transaction rather than from the tenant context, which another process
    // may still hold for a few seconds after a change.
    const states = await listStoredModuleStates(tx);
    const modules = listModules().map((m) => ({
      id: m.id,
      name: t(`${m.id}:name`),
      description: t(`${m.id}:description`),
      enabled: states.get(m.id) === true,
    }));
    return json({ town: tenant.name, title: t("console-modules:list.title"), modules });
  },
  { console: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ tx, tenant, user, form, afterCommit }) => {
    const manifest = getModule(String(form.get("module") ?? ""));
    if (!manifest) notFound();
    const wanted = form.get("enabled");
    if (wanted !== "true" && wanted !== "false") return json({ error: "console-modules:errors.unknownState" }, { status: 400 });
    const outcome = await setModuleEnabled(tx, tenant.id, manifest, wanted === "true", staffActor(user!));
    if ("refused" in outcome) return json({ error: "console-modules:errors.invalidSettings" }, { status: 400 });
    if (outcome.changed) afterCommit(invalidateTenantCache);
    return redirect(`/admin/modules?ok=${wanted === "true" ? "enabled" : "disabled"}&module=${encodeURIComponent(manifest.id)}#module-${manifest.id}`);
  },
  { console: true },
);

export default function ModulesPage() {
  const { town, modules } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("console-modules");
  const ok = params.get("ok");
  const changed = modules.find((m) => m.id === params.get("module"));
  return (
    <>
      <p>
        <Link to="/admin">{t("list.back")}</Link>
      </p>
      <h1>{t("list.title")}</h1>
      <p className="lead">{t("list.intro", { town })}</p>
      {(ok === "enabled" || ok === "disabled") && changed ? <Notice>{t(`notices.${ok}`, { name: changed.name })}</Notice> : null}
      <ErrorSummary message={data?.error ? t(data.error) : null} />
      <ul className="console-modules">
        {modules.map((m) => (
          <li key={m.id} className="card console-module" id={`module-${m.id}`}>
            <h2 className="console-module__name">{m.name}</h2>
            <p>{m.description}</p>
            <p>
              {t("list.state")}{" "}
              <span className={`status-tag ${m.enabled ? "status-tag--active" : "status-tag--suspended"}`}>{m.enabled ? t("list.enabled") : t("list.disabled")}</span>
            </p>
            <div className="console-module__actions">
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="module" value={m.id} />
                <input type="hidden" name="enabled" value={m.enabled ? "false" : "true"} />
                <button type="submit" className={m.enabled ? "button button--secondary" : "button"}>
                  {m.enabled ? t("list.disable") : t("list.enable")}
                  <span className="visually-hidden"> {m.name}</span>
                </button>
              </Form>
              <Link to={`/admin/modules/${m.id}`} className="console-module__link">
                {t("list.configure")}
                <span className="visually-hidden"> {m.name}</span>
              </Link>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
