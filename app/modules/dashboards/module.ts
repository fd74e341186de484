import { defineModule } from "~/core/modules/types";
import en from "./locales/en/core.json";
import fr from "./locales/fr/core.json";
import { dashboardsPermissions } from "./permissions";
import { dashboardsSettingsSchema } from "./schemas";

export default defineModule({
  id: "dashboards",
  basePath: "/tableau-de-bord",
  settings: dashboardsSettingsSchema,
  permissions: dashboardsPermissions,
  // Listed only to those whose rules let them read it (elected officials and staff by default).
  navigation: [{ to: "/tableau-de-bord", labelKey: "nav", can: { action: "read", subject: "Dashboard" } }],
  adminNavigation: [{ to: "/tableau-de-bord", labelKey: "nav" }],
  // The dashboard shows the other modules' indicators; it records no facts of its own.
  indicators: [],
  locales: { fr, en },
});
