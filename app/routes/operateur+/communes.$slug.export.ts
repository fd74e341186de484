// The whole export of one town, downloaded from the console (a resource route: the list's
// button posts here as a plain form, and the browser saves the archive).
import { operatorAction } from "~/core/operator/route.server";
import { exportTenantForOperator } from "~/core/operator/tenant-admin.server";
import { findTenantBySlug } from "~/core/operator/tenants.server";
import { notFound } from "~/core/route.server";
import { exportFileName } from "~/core/tenant/portability.server";

export const action = /* @__PURE__ */ operatorAction(async ({ tx, params, operator, withTenant, context }) => {
  const tenant = await findTenantBySlug(tx, params.slug ?? "");
  if (!tenant) notFound();
  const { zip, manifest } = await exportTenantForOperator(withTenant, operator!, tenant.id);
  context.log.info("operator exported a town", {
    operatorId: operator!.id,
    tenant: tenant.slug,
    rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
  });
  return new Response(zip, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${exportFileName(tenant.slug, new Date(manifest.exportedAt))}"`,
      "Content-Length": String(zip.byteLength),
      // Residents' data: never kept by a browser or a proxy.
      "Cache-Control": "no-store",
    },
  });
});
