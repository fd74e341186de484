import { definePermissions } from "~/core/permissions/declarations";
import enPermissions from "./locales/en/permissions.json";
import frPermissions from "./locales/fr/permissions.json";

// The dashboard is one aggregate of the whole town: no record, no owner, no field to limit,
// so its cells are "nobody" or "any". Visitors see it only if staff grant it to everyone.
export const dashboardsPermissions = definePermissions({
  subjects: {
    Dashboard: { fields: [], conditions: {} },
  },
  actions: ["read", "export"],
  defaults: {
    staff: [{ action: ["read", "export"], subject: "Dashboard" }],
    elected: [{ action: ["read", "export"], subject: "Dashboard" }],
  },
  locales: { fr: frPermissions, en: enPermissions },
});
