// The dashboard as CSV, for the period in the query string (the page links here with the
// period it shows). An invalid period answers 400 with a translated explanation.
import { tenantLoader } from "~/core/route.server";
import { dashboardCsv } from "../../csv.server";
import { loadDashboard } from "../../dashboard.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t }) => {
    const { settings, period, rows } = await loadDashboard(tx, tenant, request, t);
    if (!period) {
      return new Response(t("dashboards:csv.invalidPeriod"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    return new Response(dashboardCsv(rows, period, settings.minimumGroupSize, t), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8; header=present",
        "Content-Disposition": `attachment; filename="tableau-de-bord-${tenant.slug}-${period.firstDay}-${period.lastDay}.csv"`,
        // Figures of the town for the roles allowed to export them: never in a shared cache.
        "Cache-Control": "private, no-store",
      },
    });
  },
  { module: "dashboards", can: { action: "export", subject: "Dashboard" } },
);
