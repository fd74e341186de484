import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { recordAudit, staffActor } from "~/core/audit.server";
import { defaultRoleRules, effectiveRoleRules } from "~/core/permissions/catalog.server";
import { getRoleRules, resetRoleRules } from "~/core/permissions/rules.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { consoleSummary, findRole, roleName } from "~/core/ui/console/roles.server";
import { titledMeta } from "~/core/ui/meta";
import { RoleSummaryView } from "~/core/ui/PermissionMatrix";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const CONSOLE = { console: true, sensitive: true } as const;

/** The confirmation step: what the role will be able to do once reset, then one button. */
export const loader = /* @__PURE__ */ tenantLoader(async ({ params, tx, tenant, t, locale }) => {
  const role = await findRole(tx, params.key ?? "");
  if (!role) notFound();
  const name = roleName(t, locale, role);
  const defaults = effectiveRoleRules(role.key, defaultRoleRules(role.key));
  return json({
    town: tenant.name,
    title: t("console-roles:reset.title", { role: name }),
    role: { key: role.key, kind: role.kind, name },
    after: consoleSummary(defaults, t, locale, tenant),
  });
}, CONSOLE);

export const action = /* @__PURE__ */ tenantAction(async ({ params, tx, user }) => {
  const role = await findRole(tx, params.key ?? "");
  if (!role) notFound();
  const before = await getRoleRules(tx, role.key);
  const after = await resetRoleRules(tx, role.key);
  await recordAudit(tx, { actor: staffActor(user!), action: "role.reset", subject: { type: "role", id: role.key }, before, after });
  return redirect(`/admin/roles/${role.key}?ok=reset`);
}, CONSOLE);

export default function ResetRole() {
  const { role, after } = useLoaderData<typeof loader>();
  const { t } = useTranslation("console-roles");
  return (
    <>
      <p>
        <Link to={`/admin/roles/${role.key}`}>{t("reset.cancel")}</Link>
      </p>
      <h1>{t("reset.title", { role: role.name })}</h1>
      <p className="lead">{t(role.kind === "custom" ? "reset.introCustom" : "reset.introBuiltin")}</p>
      <section aria-labelledby="reset-after">
        <h2 id="reset-after">{t("reset.afterTitle")}</h2>
        <RoleSummaryView summary={after} headingId="reset-after" />
      </section>
      <Form method="post" className="role-confirm">
        <CsrfInput />
        <button type="submit" className="button">
          {t("reset.confirm")}
        </button>
        <Link to={`/admin/roles/${role.key}`} className="button button--secondary">
          {t("reset.cancel")}
        </Link>
      </Form>
    </>
  );
}
