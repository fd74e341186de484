import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { operatorMeta } from "~/core/operator/meta";
import { operatorAction, operatorLoader } from "~/core/operator/route.server";
import { setTenantStatus } from "~/core/operator/tenant-admin.server";
import { findTenantBySlug } from "~/core/operator/tenants.server";
import { notFound } from "~/core/route.server";
import { invalidateTenantCache } from "~/core/tenant/tenant.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary } from "~/core/ui/form";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => operatorMeta(matches, data?.title);

/** The confirmation step: what suspending (or resuming) this town will do. */
export const loader = /* @__PURE__ */ operatorLoader(async ({ tx, params, t }) => {
  const tenant = await findTenantBySlug(tx, params.slug ?? "");
  if (!tenant) notFound();
  const target = tenant.status === "active" ? "suspended" : "active";
  return json({
    title: t(target === "suspended" ? "status.pageTitleSuspend" : "status.pageTitleResume"),
    tenant: { slug: tenant.slug, name: tenant.name, hosts: tenant.hosts },
    target,
  });
});

export const action = /* @__PURE__ */ operatorAction(async ({ tx, params, form, operator, afterCommit, context }) => {
  const tenant = await findTenantBySlug(tx, params.slug ?? "");
  if (!tenant) notFound();
  // The form names the state wanted, not "toggle": a second click changes nothing.
  const status = form.get("status");
  if (status !== "active" && status !== "suspended") {
    return json({ errors: { _form: "operator:status.errors.invalid" } }, { status: 400 });
  }
  const { changed } = await setTenantStatus(tx, operator!, tenant.id, status);
  if (changed) {
    context.log.info("operator changed a town's status", { operatorId: operator!.id, tenant: tenant.slug, status });
    afterCommit(() => invalidateTenantCache());
  }
  const ok = !changed ? "unchanged" : status === "suspended" ? "suspended" : "resumed";
  return redirect(`/operateur?ok=${ok}&commune=${encodeURIComponent(tenant.slug)}`);
});

export default function TenantStatus() {
  const { tenant, target } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("operator");
  const suspend = target === "suspended";
  return (
    <>
      <p>
        <Link to="/operateur">{t("create.backToTenants")}</Link>
      </p>
      <h1>{t(suspend ? "status.suspendTitle" : "status.resumeTitle", { name: tenant.name })}</h1>
      <ErrorSummary errors={data?.errors} />
      <p className="lead">{t(suspend ? "status.suspendIntro" : "status.resumeIntro", { name: tenant.name })}</p>
      <h2>{t("status.hosts")}</h2>
      <ul>
        {tenant.hosts.map((host) => (
          <li key={host}>{host}</li>
        ))}
      </ul>
      <p>{t("status.audited")}</p>
      <Form method="post" className="operator-confirm">
        <CsrfInput />
        <input type="hidden" name="status" value={target} />
        <button type="submit" className={suspend ? "button button--danger" : "button"}>
          {t(suspend ? "status.suspendConfirm" : "status.resumeConfirm", { name: tenant.name })}
        </button>
        <Link to="/operateur" className="button button--secondary">
          {t("status.cancel")}
        </Link>
      </Form>
    </>
  );
}
