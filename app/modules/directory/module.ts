import { countEvents } from "~/core/events.server";
import { defineModule } from "~/core/modules/types";
import { seedDemoInitiatives } from "./data/initiatives.server";
import { directoryEmails } from "./emails.server";
import { directoryJobs } from "./jobs/index.server";
import enCore from "./locales/en/core.json";
import enModeration from "./locales/en/moderation.json";
import enOpenData from "./locales/en/opendata.json";
import enPublic from "./locales/en/public.json";
import frCore from "./locales/fr/core.json";
import frModeration from "./locales/fr/moderation.json";
import frOpenData from "./locales/fr/opendata.json";
import frPublic from "./locales/fr/public.json";
import { directoryPermissions } from "./permissions";
import { directorySettingsSchema } from "./schemas";

export default defineModule({
  id: "directory",
  basePath: "/initiatives",
  settings: directorySettingsSchema,
  permissions: directoryPermissions,
  navigation: [
    { to: "/initiatives", labelKey: "nav" },
    { to: "/initiatives/rejoindre", labelKey: "moderation.nav.join" },
    { to: "/initiatives/proposer", labelKey: "moderation.nav.propose" },
  ],
  // Listed on the staff console's home, for staff only; anyone else whose rules open one of
  // these pages finds it linked from the list of initiatives (components/ManagementLinks.tsx).
  adminNavigation: [
    { to: "/initiatives/gestion/moderation", labelKey: "moderation.nav.moderation" },
    { to: "/initiatives/gestion/fraicheur", labelKey: "moderation.nav.freshness" },
    { to: "/initiatives/gestion/demandes", labelKey: "moderation.nav.requests" },
    { to: "/initiatives/gestion/import", labelKey: "moderation.nav.import" },
  ],
  indicators: [
    {
      id: "initiatives_published",
      labelKey: "indicators.published",
      theme: "social",
      unit: "count",
      compute: (tx, period) => countEvents(tx, { module: "directory", kind: "initiative_published", ...period }),
    },
  ],
  seedDemo: seedDemoInitiatives,
  emails: directoryEmails,
  jobs: directoryJobs,
  // One file per area of the module, merged into the module's namespace (top-level keys must not clash).
  locales: {
    fr: { ...frCore, ...frPublic, ...frOpenData, ...frModeration },
    en: { ...enCore, ...enPublic, ...enOpenData, ...enModeration },
  },
});
