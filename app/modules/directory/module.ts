import { countEvents } from "~/core/events.server";
import { defineModule } from "~/core/modules/types";
import { seedDemoInitiatives } from "./data/initiatives.server";
import en from "./locales/en.json";
import fr from "./locales/fr.json";
import { directoryActions, directoryDefaultRules, directorySubjects } from "./permissions";
import { directorySettingsSchema } from "./schemas";

export default defineModule({
  id: "directory",
  basePath: "/initiatives",
  settings: directorySettingsSchema,
  permissions: { subjects: directorySubjects, actions: directoryActions, defaults: directoryDefaultRules },
  navigation: [{ to: "/initiatives", labelKey: "nav" }],
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
  locales: { fr, en },
});
