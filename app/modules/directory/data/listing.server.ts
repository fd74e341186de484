// A listing's public page and its photos: published, not hidden and readable under the
// user's rules (`readable`, see access.server.ts), or nothing (404).
import type { Expression, SqlBool } from "kysely";
import type { Tx } from "~/core/db/db.server";
import "./tables";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id can name no listing: answer it as unknown rather than let the uuid cast fail. */
export const isUuid = (value: string | undefined): value is string => !!value && UUID.test(value);

export async function getPublicListing(tx: Tx, id: string, readable: Expression<SqlBool>) {
  if (!isUuid(id)) return null;
  const listing = await tx
    .selectFrom("directory_initiatives")
    .select([
      "id", "name", "kind", "stage", "layers", "description", "address", "neighbourhood", "latitude", "longitude",
      "contact_public", "contact_name", "contact_email", "contact_phone", "links", "schedule", "opening_hours",
      "languages", "accessibility_notes", "confirmed_at", "freshness", "is_demo", "organisation_id",
    ])
    .where("id", "=", id)
    .where("status", "=", "published")
    .where("freshness", "<>", "hidden")
    .where(readable)
    .executeTakeFirst();
  if (!listing) return null;
  const photos = await tx
    .selectFrom("directory_photos")
    .select(["id", "alt", "width", "height"])
    .where("initiative_id", "=", id)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  const { contact_public, contact_name, contact_email, contact_phone, ...rest } = listing;
  return {
    ...rest,
    // The owner chose to hide the contact: it never leaves the database.
    contact: contact_public ? { name: contact_name, email: contact_email, phone: contact_phone } : null,
    opening_hours: Array.isArray(listing.opening_hours) ? listing.opening_hours : [],
    photos,
  };
}

export type PublicListing = NonNullable<Awaited<ReturnType<typeof getPublicListing>>>;

/** The bytes of a photo of a public listing; `readable` filters the listing (alias `i`). */
export async function getPublicPhoto(tx: Tx, initiativeId: string, photoId: string, readable: Expression<SqlBool>) {
  if (!isUuid(initiativeId) || !isUuid(photoId)) return null;
  return tx
    .selectFrom("directory_photos as p")
    .innerJoin("directory_initiatives as i", (join) => join.onRef("i.tenant_id", "=", "p.tenant_id").onRef("i.id", "=", "p.initiative_id"))
    .select(["p.content_type", "p.bytes", "p.created_at"])
    .where("p.id", "=", photoId)
    .where("p.initiative_id", "=", initiativeId)
    .where("i.status", "=", "published")
    .where("i.freshness", "<>", "hidden")
    .where(readable)
    .executeTakeFirst();
}
