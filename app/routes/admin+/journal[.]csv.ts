// The audit log as a spreadsheet, with the journal page's filters.
import { auditCsv, exportAuditEntries, parseAuditFilters } from "~/core/audit-log.server";
import { tenantLoader } from "~/core/route.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t }) => {
    const parsed = parseAuditFilters(new URL(request.url).searchParams);
    if (!parsed.ok) {
      const problems = Object.values(parsed.errors).map((key) => t(key));
      return new Response(problems.join("\n") + "\n", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    const rows = await exportAuditEntries(tx, parsed.filters, tenant.timeZone);
    const csv = auditCsv(rows, {
      date: t("console-audit:csv.date"),
      actor: t("console-audit:csv.actor"),
      action: t("console-audit:csv.action"),
      subjectType: t("console-audit:csv.subjectType"),
      subjectId: t("console-audit:csv.subjectId"),
      before: t("console-audit:csv.before"),
      after: t("console-audit:csv.after"),
    });
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8; header=present",
        "Content-Disposition": `attachment; filename="journal-${tenant.slug}.csv"`,
        // Staff-only data: never kept by a shared cache or the browser's.
        "Cache-Control": "private, no-store",
      },
    });
  },
  { console: true },
);
