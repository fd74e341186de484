import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { recordAudit, staffActor } from "~/core/audit.server";
import type { Tx } from "~/core/db/db.server";
import { listModules } from "~/core/modules/registry.server";
import { roleMatrix } from "~/core/permissions/choices.server";
import type { PermissionRule } from "~/core/permissions/declarations";
import { PermissionRulesError } from "~/core/permissions/errors";
import { getRoleRules, saveRoleRules } from "~/core/permissions/rules.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { MessageSummary } from "~/core/ui/console/roles-form";
import { applyMatrixForm, consoleSummary, enabledModuleIds, findRole, matrixValues, roleHolderCount, roleName, rulesRevision, type ConsoleRole } from "~/core/ui/console/roles.server";
import { Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";
import { PermissionMatrix, RoleSummaryView, type MatrixModuleData } from "~/core/ui/PermissionMatrix";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const CONSOLE = { console: true, sensitive: true } as const;
const NOTICES = ["created", "saved", "unchanged", "reset"] as const;

/** The role named by the URL, in this tenant only: another town's role is not found. */
async function requireRole(tx: Tx, key: string | undefined): Promise<{ role: ConsoleRole; rules: PermissionRule[] }> {
  const role = key ? await findRole(tx, key) : null;
  if (!role) notFound();
  return { role, rules: await getRoleRules(tx, role.key) };
}

export const loader = /* @__PURE__ */ tenantLoader(async ({ request, params, tx, tenant, t, locale }) => {
  const { role, rules } = await requireRole(tx, params.key);
  const enabled = enabledModuleIds(tenant);
  const rows = roleMatrix(rules);
  const modules: MatrixModuleData[] = listModules()
    .filter((m) => enabled.has(m.id) && Object.keys(m.permissions.subjects).length > 0)
    .map((m) => ({
      id: m.id,
      name: t(`${m.id}:name`),
      actions: m.permissions.actions,
      rows: rows.filter((r) => r.module === m.id),
    }));
  const ok = new URL(request.url).searchParams.get("ok");
  const name = roleName(t, locale, role);
  return json({
    town: tenant.name,
    title: t("console-roles:role.title", { role: name }),
    role: { key: role.key, kind: role.kind, name, holders: role.kind === "visitor" ? null : await roleHolderCount(tx, role.key) },
    // Changes when the stored rules do: the form is rebuilt from them after a save or a reset.
    revision: rulesRevision(rules),
    modules,
    summary: consoleSummary(rules, t, locale, tenant),
    ok: (NOTICES as readonly string[]).includes(ok ?? "") ? (ok as (typeof NOTICES)[number]) : null,
  });
}, CONSOLE);

export const action = /* @__PURE__ */ tenantAction(async ({ params, form, tx, t, user }) => {
  const { role, rules } = await requireRole(tx, params.key);
  const applied = applyMatrixForm(rules, form, t);
  if (!applied.ok) return json({ errors: applied.errors, messages: applied.messages, values: matrixValues(form) }, { status: 400 });
  if (applied.changed === 0) return redirect(`/admin/roles/${role.key}?ok=unchanged`);
  try {
    const saved = await saveRoleRules(tx, role.key, applied.rules);
    await recordAudit(tx, { actor: staffActor(user!), action: "role.rules", subject: { type: "role", id: role.key }, before: rules, after: saved });
  } catch (error) {
    if (!(error instanceof PermissionRulesError)) throw error;
    return json({ errors: {} as Record<string, string>, messages: error.translate(t), values: matrixValues(form) }, { status: 400 });
  }
  return redirect(`/admin/roles/${role.key}?ok=saved`);
}, CONSOLE);

export default function RolePage() {
  const { role, revision, modules, summary, ok } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-roles");
  return (
    <>
      <p>
        <Link to="/admin/roles">{t("role.back")}</Link>
      </p>
      <h1>{t("role.title", { role: role.name })}</h1>
      {ok ? <Notice>{t(`role.${ok}`)}</Notice> : null}
      {role.kind === "visitor" ? <p className="lead">{t("role.visitorHelp")}</p> : null}
      {role.holders !== null ? <p>{t("role.holders", { count: role.holders })}</p> : null}
      {role.kind === "custom" ? <p>{t("role.customRole", { key: role.key })}</p> : null}
      {role.key === "staff" ? (
        <p className="role-note" role="note">
          {t("role.staffLockout")}
        </p>
      ) : null}

      <div className="role-layout">
        <section aria-labelledby="role-matrix" className="role-layout__matrix">
          <h2 id="role-matrix">{t("matrix.title")}</h2>
          {modules.length === 0 ? (
            <p>{t("matrix.noModules")}</p>
          ) : (
            <Form method="post" noValidate key={revision}>
              <CsrfInput />
              <MessageSummary errors={data?.errors} messages={data?.messages} intro={t("role.notSaved")} />
              <p>{t("matrix.intro")}</p>
              <p className="hint">{t("matrix.customHelp")}</p>
              <PermissionMatrix modules={modules} roleName={role.name} values={data?.values} errors={data?.errors} />
              <p>
                <button type="submit" className="button">
                  {t("matrix.save")}
                </button>
              </p>
            </Form>
          )}
        </section>

        <section aria-labelledby="role-summary" className="role-layout__summary">
          <h2 id="role-summary">{t("role.summaryTitle")}</h2>
          <RoleSummaryView summary={summary} headingId="role-summary" />
        </section>
      </div>

      <section aria-labelledby="role-other-actions">
        <h2 id="role-other-actions">{t("role.otherActions")}</h2>
        <ul className="role-actions">
          <li>
            <Link to={`/admin/roles/${role.key}/reinitialiser`}>{t("role.resetLink")}</Link>
          </li>
          {role.kind === "custom" ? (
            <li>
              <Link to={`/admin/roles/${role.key}/supprimer`}>{t("role.deleteLink")}</Link>
            </li>
          ) : null}
        </ul>
      </section>
    </>
  );
}
