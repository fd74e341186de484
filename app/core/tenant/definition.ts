// The shape of `tenants/<slug>/tenant.json`. Shared by `npm run tenants:sync` (validation)
// and by the app (typing of the stored definition).
import { z } from "zod";

export const LOCALES = ["fr", "en"] as const;
export type Locale = (typeof LOCALES)[number];

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "expected a colour such as #1d4ed8");
const hostName = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, "expected a host name such as ville.example.fr");
const longitude = z.number().min(-180).max(180);
const latitude = z.number().min(-90).max(90);
const lngLat = z.tuple([longitude, latitude]);

function isTimeZone(value: string) {
  try {
    new Intl.DateTimeFormat("fr-FR", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const tenantDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    inseeCode: z.string().regex(/^(\d{5}|2[AB]\d{3})$/, "expected a 5-character INSEE code such as 59298"),
    /**
     * The postcodes to show for the town, instead of the dataset's. Needed for an associated
     * commune, which has none of its own in the dataset (its parent's list covers the whole
     * parent town); checked against the dataset at sync time.
     */
    postalCodes: z
      .array(z.string().regex(/^\d{5}$/, "expected a 5-digit postcode such as 59260"))
      .min(1, "list at least one postcode, or leave the field out")
      .refine((codes) => new Set(codes).size === codes.length, "each postcode must appear once")
      .optional(),
    hosts: z.array(hostName).min(1),
    locales: z
      .object({ default: z.enum(LOCALES), enabled: z.array(z.enum(LOCALES)).min(1) })
      .refine((l) => l.enabled.includes(l.default), { message: "the default locale must be one of the enabled locales", path: ["default"] }),
    timeZone: z.string().default("Europe/Paris").refine(isTimeZone, "unknown IANA time zone"),
    theme: z.object({
      primary: hexColour,
      accent: hexColour,
      logo: z.string().regex(/^[\w.-]+\.(svg|png|jpe?g|webp)$/, "expected a file name in the tenant folder, e.g. logo.svg").optional(),
    }),
    map: z
      .object({
        center: lngLat,
        zoom: z.number().min(0).max(22),
        bounds: z.tuple([lngLat, lngLat]),
      })
      .superRefine((m, ctx) => {
        const [[w, s], [e, n]] = m.bounds;
        if (!(w < e && s < n)) ctx.addIssue({ code: "custom", message: "bounds must be [[west, south], [east, north]]", path: ["bounds"] });
        const [x, y] = m.center;
        if (!(x >= w && x <= e && y >= s && y <= n)) ctx.addIssue({ code: "custom", message: "the centre must lie inside the bounds", path: ["center"] });
      }),
    modules: z.record(z.string(), z.object({ enabled: z.boolean().default(true), settings: z.record(z.string(), z.unknown()).default({}) })).default({}),
    legal: z.object({
      publisher: z.string().min(1),
      publicationDirector: z.string().min(1),
      address: z.string().min(1),
      contactEmail: z.string().email(),
      hosting: z.string().min(1),
    }),
    accessibility: z
      .object({
        status: z.enum(["full", "partial", "none"]),
        auditDate: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date such as 2026-03-31")
          .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d), "not a valid calendar date")
          .optional(),
        contactEmail: z.string().email(),
      })
      // Under the RGAA, only an audit can establish total or partial conformity; a site
      // that was never audited must be declared "non conforme".
      .refine((a) => a.status === "none" || a.auditDate !== undefined, {
        message: "a status of full or partial conformity requires the date of the audit that established it (auditDate); without an audit, the status is none",
        path: ["status"],
      }),
    demo: z.boolean().default(false),
  })
  .strict();

export type TenantDefinitionInput = z.input<typeof tenantDefinitionSchema>;
export type TenantDefinition = z.output<typeof tenantDefinitionSchema>;

/** Facts about the commune, filled from the official administrative dataset at sync time. */
export type CommuneFacts = {
  inseeCode: string;
  officialName: string;
  type: string;
  population: number | null;
  postalCodes: string[];
  departement: string | null;
  /** For an associated commune, the INSEE code of the commune it belongs to. */
  chefLieu: string | null;
  /** Name of that commune, for display. */
  parentName: string | null;
};

export type StoredTenantDefinition = TenantDefinition & { commune: CommuneFacts; hasLogo: boolean };

/** Formats zod issues as "field.path: problem" lines. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join(".") : "(file)";
    const problem = issue.code === "invalid_type" && issue.received === "undefined" ? `missing (required ${issue.expected})` : issue.message;
    return `${field}: ${problem}`;
  });
}
