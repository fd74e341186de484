import { z } from "zod";

export const directorySettingsSchema = z.object({
  /** Months after which managers are asked to confirm their listing is still accurate. */
  freshnessMonths: z.number().int().min(1).max(36).default(6),
}).strict();

export const demoInitiativeSchema = z.object({
  name: z.string().min(2).max(150),
  kind: z.string().regex(/^[a-z][a-z0-9_]*$/),
  description: z.string().default(""),
  address: z.string().default(""),
  neighbourhood: z.string().optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  website: z.string().url().optional(),
  contactEmail: z.string().email().optional(),
  contactPublic: z.boolean().default(false),
  layers: z.array(z.string()).default([]),
  stage: z.string().optional(),
  schedule: z.string().optional(),
});
export const demoDirectorySchema = z.object({ initiatives: z.array(demoInitiativeSchema) });
