import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { recordAudit, staffActor } from "~/core/audit.server";
import { RoleDefinitionError } from "~/core/permissions/errors";
import { deleteCustomRole, getRoleRules } from "~/core/permissions/rules.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { MessageSummary } from "~/core/ui/console/roles-form";
import { findRole, roleHolderCount, roleName } from "~/core/ui/console/roles.server";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const CONSOLE = { console: true, sensitive: true } as const;

/** The confirmation step: who loses the role, then one button. Built-in roles are refused here. */
export const loader = /* @__PURE__ */ tenantLoader(async ({ params, tx, tenant, t, locale }) => {
  const role = await findRole(tx, params.key ?? "");
  if (!role) notFound();
  const name = roleName(t, locale, role);
  return json({
    town: tenant.name,
    title: t("console-roles:delete.title", { role: name }),
    role: { key: role.key, kind: role.kind, name },
    holders: role.kind === "custom" ? await roleHolderCount(tx, role.key) : null,
  });
}, CONSOLE);

export const action = /* @__PURE__ */ tenantAction(async ({ params, tx, t, user }) => {
  const role = await findRole(tx, params.key ?? "");
  if (!role) notFound();
  const rules = await getRoleRules(tx, role.key);
  const holders = role.kind === "custom" ? await roleHolderCount(tx, role.key) : 0;
  try {
    const { revokedGrants } = await deleteCustomRole(tx, role.key);
    await recordAudit(tx, {
      actor: staffActor(user!),
      action: "role.delete",
      subject: { type: "role", id: role.key },
      before: { key: role.key, labels: role.labels, rules, holders, revokedGrants },
    });
  } catch (error) {
    if (!(error instanceof RoleDefinitionError)) throw error;
    return json({ message: error.translate(t) }, { status: 400 });
  }
  return redirect("/admin/roles?ok=deleted");
}, CONSOLE);

export default function DeleteRole() {
  const { role, holders } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-roles");
  return (
    <>
      <p>
        <Link to={`/admin/roles/${role.key}`}>{t("delete.cancel")}</Link>
      </p>
      {role.kind !== "custom" ? (
        <>
          <h1>{t("delete.refusedTitle")}</h1>
          <MessageSummary messages={data?.message ? [data.message] : null} />
          <p className="lead">{t("delete.refused")}</p>
        </>
      ) : (
        <>
          <h1>{t("delete.title", { role: role.name })}</h1>
          <MessageSummary messages={data?.message ? [data.message] : null} />
          <p className="lead">{holders ? t("delete.holders", { count: holders }) : t("delete.noHolders")}</p>
          <p>{t("delete.irreversible")}</p>
          <Form method="post" className="role-confirm">
            <CsrfInput />
            <button type="submit" className="button button--danger">
              {t("delete.confirm")}
            </button>
            <Link to={`/admin/roles/${role.key}`} className="button button--secondary">
              {t("delete.cancel")}
            </Link>
          </Form>
        </>
      )}
    </>
  );
}
