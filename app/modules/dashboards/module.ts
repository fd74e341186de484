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
  // The portal's navigation lists a module's entries to everyone, and the dashboard is for
  // the roles that may read it: until the navigation can ask the ability, it is reached from
  // the staff console and by its address.
  navigation: [],
  adminNavigation: [{ to: "/tableau-de-bord", labelKey: "nav" }],
  // The dashboard shows the other modules' indicators; it records no facts of its own.
  indicators: [],
  locales: { fr, en },
});
