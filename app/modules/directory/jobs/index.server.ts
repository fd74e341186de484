// The directory's scheduled jobs, run by the core's job runner (graphile-worker crontab)
// once per tenant that enabled the module, each in a transaction scoped to that tenant.
// The work is imported when a job runs, not when the manifest loads: the manifest is loaded
// by the registry, and the mail code reaches the registry again (outbox → templates → i18n
// resources), a loop that must not close while the registry is still being built.
import type { ModuleJob } from "~/core/modules/types";
import { directorySettingsSchema } from "../schemas";

export const directoryJobs: ModuleJob[] = [
  {
    // Hourly: a reminder goes out within the hour its listing falls due.
    id: "freshness",
    schedule: "17 * * * *",
    run: async ({ tx, tenant, settings, now, origin, afterCommit }) => {
      const { runFreshness } = await import("../data/freshness.server");
      return runFreshness(tx, { tenant, settings: directorySettingsSchema.parse(settings), now, origin, mail: { tx, tenant, afterCommit } });
    },
  },
  {
    // Daily: contact details past the town's retention period are erased.
    id: "contact-purge",
    schedule: "43 3 * * *",
    run: async ({ tx, now }) => {
      const { purgeContactDetails } = await import("../data/contact.server");
      return { purged: await purgeContactDetails(tx, now) };
    },
  },
];
