import { z } from "zod";
import { PERIOD_PRESETS } from "./period";

export const dashboardsSettingsSchema = z
  .object({
    /**
     * Counts from 1 to this size minus one are shown as "fewer than N", and nothing derived
     * from them (difference, rate) is shown: a small group could point at a person.
     */
    minimumGroupSize: z.number().int().min(3).max(50).default(5),
    /** The period shown when the page is opened without choosing one. */
    defaultPeriod: z.enum(PERIOD_PRESETS).default("month"),
  })
  .strict();
export type DashboardsSettings = z.infer<typeof dashboardsSettingsSchema>;
