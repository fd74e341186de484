// A listing proposed by anyone, without an account: the form's checks, the photos, the
// unconfirmed row and its confirmation by email. Also the listing form shared by the edit
// pages (a manager's, a staff member's, an emailed edit link).
import { sql } from "kysely";
import { z } from "zod";
import type { Tx } from "~/core/db/db.server";
import { formValues, issueKey, type FieldErrors, type FormValues } from "~/core/ui/form.server";
import { LANGUAGE_CHOICES, MAX_LINKS, MAX_PHOTOS, photoSlots } from "../listing-form";
import { processPhoto, type ProcessedPhoto } from "../photos.server";
import type { Vocabularies } from "../vocabulary";
import { consumeLink, issueLink } from "./links.server";
import { readInitiative, recordRevision, type Actor, type RevisionAction } from "./revisions.server";

export type MapBounds = [[number, number], [number, number]];
export type ListingFormContext = { vocabularies: Vocabularies; bounds: MapBounds };

const E = (key: string) => `directory:moderation.errors.${key}`;

const optionalText = (max: number) => z.string().trim().max(max, "common:form.errors.tooLong").optional();
/** Checkboxes: absent, one value (a string) or several (an array), always read as a list. */
const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));
/** French keyboards write decimals with a comma: "50,6271" is read as 50.6271. */
const coordinate = (min: number, max: number) =>
  z
    .preprocess(
      (v) => (typeof v === "string" ? (/^\s*-?\d+([.,]\d+)?\s*$/.test(v) ? Number(v.trim().replace(",", ".")) : Number.NaN) : v),
      z.number({ invalid_type_error: E("coordinate") }).min(min, E("coordinate")).max(max, E("coordinate")),
    )
    .optional();

function linksField() {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const lines = (v ?? "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
      if (lines.length > MAX_LINKS) {
        ctx.addIssue({ code: "custom", message: E("tooManyLinks") });
        return z.NEVER;
      }
      for (const line of lines) {
        let ok = false;
        try {
          const url = new URL(line);
          ok = (url.protocol === "https:" || url.protocol === "http:") && line.length <= 500;
        } catch {
          ok = false;
        }
        if (!ok) {
          ctx.addIssue({ code: "custom", message: E("link") });
          return z.NEVER;
        }
      }
      return lines;
    });
}

/** The fields of a listing as the form sends them, checked against the town's vocabularies and map. */
export function listingSchema({ vocabularies, bounds }: ListingFormContext) {
  const keys = (name: keyof Vocabularies) => vocabularies[name].map((e) => e.key);
  const inList = (allowed: readonly string[], message: string) => z.string().refine((v) => allowed.includes(v), message);
  return z
    .object({
      name: z.string({ required_error: E("nameRequired") }).trim().min(2, E("nameTooShort")).max(150, "common:form.errors.tooLong"),
      kind: z.string({ required_error: E("kindRequired") }).pipe(inList(keys("kind"), "common:form.errors.choice")),
      stage: inList(keys("stage"), "common:form.errors.choice").optional(),
      layers: list.pipe(z.array(inList(keys("layer"), "common:form.errors.choice"))),
      description: optionalText(5000).transform((v) => v ?? ""),
      address: z.string({ required_error: E("addressRequired") }).trim().min(3, E("addressRequired")).max(300, "common:form.errors.tooLong"),
      neighbourhood: optionalText(100),
      latitude: coordinate(-90, 90),
      longitude: coordinate(-180, 180),
      contactName: optionalText(150),
      contactEmail: z.string().trim().email("common:form.errors.email").max(254, "common:form.errors.tooLong").optional(),
      contactPhone: z
        .string()
        .trim()
        .regex(/^\+?[0-9 ().-]{6,25}$/, E("phone"))
        .optional(),
      contactPublic: z
        .literal("on")
        .optional()
        .transform((v) => v === "on"),
      links: linksField(),
      schedule: optionalText(1000),
      languages: list.pipe(z.array(inList(LANGUAGE_CHOICES, "common:form.errors.choice"))),
      accessibilityNotes: optionalText(2000),
    })
    .superRefine((v, ctx) => {
      if ((v.latitude === undefined) !== (v.longitude === undefined)) {
        ctx.addIssue({ code: "custom", path: [v.latitude === undefined ? "latitude" : "longitude"], message: E("positionPair") });
        return;
      }
      if (v.latitude === undefined || v.longitude === undefined) return;
      const [[west, south], [east, north]] = bounds;
      if (v.latitude < south || v.latitude > north || v.longitude < west || v.longitude > east) {
        ctx.addIssue({ code: "custom", path: ["latitude"], message: E("outOfBounds") });
      }
    });
}
export type ListingInput = z.output<ReturnType<typeof listingSchema>>;

const submitterSchema = z.object({
  submitterName: z.string({ required_error: E("submitterNameRequired") }).trim().min(2, E("submitterNameRequired")).max(100, "common:form.errors.tooLong"),
  submitterEmail: z.string({ required_error: E("submitterEmailRequired") }).trim().email("common:form.errors.email").max(254, "common:form.errors.tooLong"),
});
export type SubmitterInput = z.output<typeof submitterSchema>;

export type FormLists = { layers: string[]; languages: string[] };
export type FormFailure = { ok: false; errors: FieldErrors; values: FormValues; lists: FormLists };

function lists(form: FormData): FormLists {
  const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  return { layers: strings("layers"), languages: strings("languages") };
}

/** A refusal that re-renders the form with what the user typed. */
export function formFailure(form: FormData, errors: FieldErrors): FormFailure {
  return { ok: false, errors, values: formValues(form), lists: lists(form) };
}

function formObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(form.keys())) {
    const all = form.getAll(name).filter((v): v is string => typeof v === "string");
    if (all.length === 0) continue;
    out[name] = all.length > 1 ? all : all[0] === "" ? undefined : all[0];
  }
  return out;
}

function collectErrors(error: z.ZodError | undefined, into: FieldErrors) {
  for (const issue of error?.issues ?? []) {
    const field = issue.path.join(".") || "_form";
    into[field] ??= issueKey(issue);
  }
}

/**
 * Reads the photo slots: each file is sniffed, decoded and re-encoded. Empty slots are
 * skipped; a problem is reported on its slot. Nothing is written here.
 */
export async function readPhotos(form: FormData, room: number, errors: FieldErrors): Promise<ProcessedPhoto[]> {
  const photos: ProcessedPhoto[] = [];
  for (const slot of photoSlots) {
    const file = form.get(slot.file);
    if (file === null || typeof file === "string" || (file.size === 0 && file.name === "")) continue;
    if (photos.length >= room) {
      errors[slot.file] = E("tooManyPhotos");
      continue;
    }
    const alt = form.get(slot.alt);
    const result = await processPhoto(new Uint8Array(await file.arrayBuffer()), typeof alt === "string" ? alt : "");
    if (result.ok) photos.push(result.photo);
    else errors[slot.file] = E(`photo.${result.problem}`);
  }
  return photos;
}

export type ParsedListing = { ok: true; listing: ListingInput; photos: ProcessedPhoto[] };

/** The listing fields and new photos of an edit form; `room` is how many photos may still be added. */
export async function parseListingForm(form: FormData, context: ListingFormContext, room: number): Promise<ParsedListing | FormFailure> {
  const errors: FieldErrors = {};
  const result = listingSchema(context).safeParse(formObject(form));
  collectErrors(result.success ? undefined : result.error, errors);
  const photos = await readPhotos(form, room, errors);
  if (!result.success || Object.keys(errors).length > 0) return formFailure(form, errors);
  return { ok: true, listing: result.data, photos };
}

export async function parseSubmissionForm(
  form: FormData,
  context: ListingFormContext,
): Promise<(ParsedListing & { submitter: SubmitterInput }) | FormFailure> {
  const errors: FieldErrors = {};
  const submitter = submitterSchema.safeParse(formObject(form));
  collectErrors(submitter.success ? undefined : submitter.error, errors);
  const listing = await parseListingForm(form, context, MAX_PHOTOS);
  if (!listing.ok) Object.assign(errors, listing.errors);
  if (!submitter.success || !listing.ok) return formFailure(form, errors);
  return { ...listing, submitter: submitter.data };
}

export type ContentColumns = ReturnType<typeof contentColumns>;

/** The table's columns for the content of a listing. */
export function contentColumns(l: ListingInput) {
  return {
    name: l.name,
    kind: l.kind,
    stage: l.stage ?? null,
    layers: l.layers,
    description: l.description,
    address: l.address,
    neighbourhood: l.neighbourhood ?? null,
    latitude: l.latitude ?? null,
    longitude: l.longitude ?? null,
    contact_name: l.contactName ?? null,
    contact_email: l.contactEmail ?? null,
    contact_phone: l.contactPhone ?? null,
    contact_public: l.contactPublic,
    links: l.links,
    schedule: l.schedule ?? null,
    languages: l.languages.length > 0 ? l.languages : ["fr"],
    accessibility_notes: l.accessibilityNotes ?? null,
  };
}

export async function insertPhotos(tx: Tx, tenantId: string, initiativeId: string, photos: ProcessedPhoto[]) {
  if (photos.length === 0) return;
  const last = await tx
    .selectFrom("directory_photos")
    .select((eb) => eb.fn.max("position").as("position"))
    .where("initiative_id", "=", initiativeId)
    .executeTakeFirst();
  const start = (last?.position ?? -1) + 1;
  await tx
    .insertInto("directory_photos")
    .values(
      photos.map((p, i) => ({
        tenant_id: tenantId,
        initiative_id: initiativeId,
        content_type: p.contentType,
        bytes: p.bytes,
        width: p.width,
        height: p.height,
        alt: p.alt,
        position: start + i,
      })),
    )
    .execute();
}

/** Submissions of one address still waiting for their confirmation: a cap against flooding the queue. */
export const MAX_UNCONFIRMED_PER_EMAIL = 5;

export async function tooManyUnconfirmed(tx: Tx, email: string, now = new Date()): Promise<boolean> {
  const row = await tx
    .selectFrom("directory_initiatives")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("status", "=", "unconfirmed")
    .where("submitter_email", "=", email)
    .where("created_at", ">", sql<Date>`${now}::timestamptz - interval '1 day'`)
    .executeTakeFirstOrThrow();
  return Number(row.n) >= MAX_UNCONFIRMED_PER_EMAIL;
}

/**
 * Stores the listing as `unconfirmed` with its photos and its first revision, and returns
 * the confirmation token to email. All in the caller's transaction: if anything fails,
 * nothing (photos included) is kept.
 */
export async function createSubmission(
  tx: Tx,
  tenantId: string,
  input: { listing: ListingInput; photos: ProcessedPhoto[]; submitter: SubmitterInput; userId: string | null },
): Promise<{ id: string; token: string }> {
  const row = await tx
    .insertInto("directory_initiatives")
    .values({
      tenant_id: tenantId,
      ...contentColumns(input.listing),
      opening_hours: "[]",
      status: "unconfirmed",
      submitter_name: input.submitter.submitterName,
      submitter_email: input.submitter.submitterEmail,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await insertPhotos(tx, tenantId, row.id, input.photos);
  await recordRevision(tx, row.id, "submitted", { userId: input.userId, label: input.submitter.submitterName });
  const token = await issueLink(tx, tenantId, row.id, "confirm_submission");
  return { id: row.id, token };
}

export type ConfirmOutcome = { status: "confirmed"; name: string } | { status: "already" | "expired" | "invalid" };

/** The submitter's click on the emailed link: `unconfirmed` becomes `pending` (the moderation queue). */
export async function confirmSubmission(tx: Tx, token: string): Promise<ConfirmOutcome> {
  const link = await consumeLink(tx, token, ["confirm_submission"]);
  if (link.status === "used") return { status: "already" };
  if (link.status !== "valid") return { status: link.status };
  const listing = await readInitiative(tx, link.initiativeId, { lock: true });
  if (!listing) return { status: "invalid" };
  if (listing.status !== "unconfirmed") return { status: "already" };
  await tx.updateTable("directory_initiatives").set({ status: "pending", updated_at: new Date() }).where("id", "=", listing.id).execute();
  await recordRevision(tx, listing.id, "confirmed_by_submitter", { userId: null, label: listing.submitter_name ?? "@email-link" });
  return { status: "confirmed", name: listing.name };
}

/**
 * Writes new content into a listing and its revision: the columns `restrict` keeps (all of
 * them without it). Editing is also a confirmation that the information is current.
 */
export async function updateListingContent(
  tx: Tx,
  initiativeId: string,
  input: { listing: ListingInput; photos: ProcessedPhoto[]; removePhotoIds?: string[]; restrict?: (columns: ContentColumns) => Partial<ContentColumns> },
  actor: Actor,
  action: RevisionAction,
  extra: { status?: "pending" } = {},
) {
  const current = await readInitiative(tx, initiativeId, { lock: true });
  if (!current) throw new Error(`updateListingContent: no initiative ${initiativeId}`);
  const now = new Date();
  const columns = contentColumns(input.listing);
  await tx
    .updateTable("directory_initiatives")
    .set({ ...(input.restrict ? input.restrict(columns) : columns), ...extra, confirmed_at: now, freshness: "fresh", updated_at: now })
    .where("id", "=", initiativeId)
    .execute();
  if (input.removePhotoIds?.length) {
    await tx.deleteFrom("directory_photos").where("initiative_id", "=", initiativeId).where("id", "in", input.removePhotoIds).execute();
  }
  await insertPhotos(tx, current.tenant_id, initiativeId, input.photos);
  await recordRevision(tx, initiativeId, action, actor);
}

/** The form's values for an existing listing (what the edit page shows first). */
export function listingFormValues(l: {
  name: string;
  kind: string;
  stage: string | null;
  description: string;
  address: string;
  neighbourhood: string | null;
  latitude: number | null;
  longitude: number | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  contact_public: boolean;
  links: string[];
  schedule: string | null;
  accessibility_notes: string | null;
  layers: string[];
  languages: string[];
}): { values: FormValues; lists: FormLists } {
  const values: FormValues = {
    name: l.name,
    kind: l.kind,
    stage: l.stage ?? "",
    description: l.description,
    address: l.address,
    neighbourhood: l.neighbourhood ?? "",
    latitude: l.latitude === null ? "" : String(l.latitude),
    longitude: l.longitude === null ? "" : String(l.longitude),
    contactName: l.contact_name ?? "",
    contactEmail: l.contact_email ?? "",
    contactPhone: l.contact_phone ?? "",
    links: l.links.join("\n"),
    schedule: l.schedule ?? "",
    accessibilityNotes: l.accessibility_notes ?? "",
  };
  if (l.contact_public) values.contactPublic = "on";
  return { values, lists: { layers: l.layers, languages: l.languages } };
}

export async function listPhotos(tx: Tx, initiativeId: string) {
  return tx
    .selectFrom("directory_photos")
    .select(["id", "alt", "width", "height"])
    .where("initiative_id", "=", initiativeId)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
}

/** The form fields standing for each declared field of a listing (the position is one pair). */
const FORM_FIELDS: Record<string, readonly string[]> = {
  name: ["name"],
  kind: ["kind"],
  stage: ["stage"],
  layers: ["layers"],
  description: ["description"],
  address: ["address"],
  neighbourhood: ["neighbourhood"],
  latitude: ["latitude", "longitude"],
  longitude: ["latitude", "longitude"],
  contact_name: ["contactName"],
  contact_email: ["contactEmail"],
  contact_phone: ["contactPhone"],
  contact_public: ["contactPublic"],
  links: ["links"],
  schedule: ["schedule"],
  languages: ["languages"],
  accessibility_notes: ["accessibilityNotes"],
};
const PHOTO_FIELDS = ["removePhoto", ...photoSlots.flatMap((s) => [s.file, s.alt])];

/**
 * What one user's edit may change, from the fields their rules allow (see
 * pickPermittedFields): the form fields they may not change (shown, not editable), whether
 * they may add and remove photos, and the columns a save keeps.
 */
export type EditScope = { locked: string[]; photos: boolean; restrict: (columns: ContentColumns) => Partial<ContentColumns> };

export function editScope(permitted: readonly string[], restrict: EditScope["restrict"]): EditScope {
  const locked = new Set<string>();
  for (const [field, names] of Object.entries(FORM_FIELDS)) if (!permitted.includes(field)) for (const name of names) locked.add(name);
  return { locked: [...locked], photos: permitted.includes("photos"), restrict };
}

/** The form with the listing's current values in place of those the user may not change. */
function withCurrentValues(form: FormData, scope: EditScope, current: ReturnType<typeof listingFormValues>): FormData {
  const dropped = new Set([...scope.locked, ...(scope.photos ? [] : PHOTO_FIELDS)]);
  const out = new FormData();
  for (const [name, value] of form) if (!dropped.has(name)) out.append(name, value);
  for (const name of scope.locked) {
    if (name === "layers" || name === "languages") for (const value of current.lists[name]) out.append(name, value);
    else if (current.values[name] !== undefined) out.set(name, current.values[name]);
  }
  return out;
}

/**
 * Applies an edit form to a listing: content, photos removed (ticked) and added, within
 * the limit counted after the removals. Under a `scope`, what the user may not change keeps
 * its current value whatever was posted. Nothing is written when anything is wrong.
 */
export async function applyListingEdit(
  tx: Tx,
  initiativeId: string,
  posted: FormData,
  context: ListingFormContext,
  actor: Actor,
  action: RevisionAction,
  extra: { status?: "pending" } = {},
  scope?: EditScope,
): Promise<{ ok: true } | FormFailure> {
  let form = posted;
  if (scope) {
    const current = await readInitiative(tx, initiativeId);
    if (!current) throw new Error(`applyListingEdit: no initiative ${initiativeId}`);
    form = withCurrentValues(posted, scope, listingFormValues(current));
  }
  const existing = (await listPhotos(tx, initiativeId)).map((p) => p.id);
  const ticked = new Set(form.getAll("removePhoto").filter((v): v is string => typeof v === "string"));
  const removePhotoIds = existing.filter((id) => ticked.has(id));
  const parsed = await parseListingForm(form, context, MAX_PHOTOS - (existing.length - removePhotoIds.length));
  if (!parsed.ok) return parsed;
  await updateListingContent(tx, initiativeId, { listing: parsed.listing, photos: parsed.photos, removePhotoIds, restrict: scope?.restrict }, actor, action, extra);
  return { ok: true };
}
