import { z } from "zod";

export const OPEN_DATA_LICENCES = ["etalab-2.0", "odbl-1.0", "cc-by-4.0"] as const;

export const directorySettingsSchema = z
  .object({
    /** Months after which managers are asked to confirm their listing is still accurate. */
    freshnessMonths: z.number().int().min(1).max(36).default(6),
    /** Days without answer to the reminder before the listing is marked "to be checked". */
    toCheckAfterDays: z.number().int().min(1).max(365).default(30),
    /** Further days before a listing still unconfirmed is hidden from the map (never deleted). */
    hideAfterDays: z.number().int().min(1).max(365).default(60),
    /** Production base map: a MapLibre style URL (tile server chosen by the town). Empty: the built-in offline base. */
    mapStyleUrl: z.string().url().startsWith("https://").optional(),
    /** Licence of the open-data exports. */
    openDataLicence: z.enum(OPEN_DATA_LICENCES).default("etalab-2.0"),
    /** Months after which the contact details of a contact request are deleted. */
    contactRetentionMonths: z.number().int().min(1).max(36).default(12),
    /** Days after which a contact request no group answered is shown to staff. */
    contactAnswerDays: z.number().int().min(1).max(90).default(14),
    /** For a grouping (intercommunality, region): slugs of the member towns whose listings it shows. */
    memberTenants: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/)).default([]),
  })
  .strict();
export type DirectorySettings = z.infer<typeof directorySettingsSchema>;

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
  openingHours: z
    .array(z.object({ day: z.number().int().min(1).max(7), opens: z.string().regex(/^\d{2}:\d{2}$/), closes: z.string().regex(/^\d{2}:\d{2}$/) }))
    .default([]),
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).default(["fr"]),
  accessibilityNotes: z.string().optional(),
});
export const demoDirectorySchema = z.object({ initiatives: z.array(demoInitiativeSchema) });
