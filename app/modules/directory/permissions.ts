import { definePermissions, USER_ORGANISATION_IDS } from "~/core/permissions/declarations";
import enPermissions from "./locales/en/permissions.json";
import frPermissions from "./locales/fr/permissions.json";

/** What an association's managers may change on its listings; moderation stays with staff. */
const LISTING_FIELDS = [
  "name", "kind", "stage", "layers", "description", "address", "neighbourhood", "latitude", "longitude",
  "contact_name", "contact_email", "contact_phone", "contact_public", "links", "schedule", "opening_hours",
  "languages", "accessibility_notes",
] as const;

export const directoryPermissions = definePermissions({
  subjects: {
    // Listings have no owning account (they are submitted without one): no "own" condition.
    Initiative: {
      fields: [...LISTING_FIELDS, "status", "moderation_note", "organisation_id"],
      conditions: { organisation: "organisation_id", published: { status: "published" }, neighbourhood: "neighbourhood" },
    },
  },
  actions: ["read", "create", "update", "moderate"],
  defaults: {
    // Anyone may propose a listing, with or without an account; it waits for moderation.
    visitor: [
      { action: "read", subject: "Initiative", conditions: { status: "published" } },
      { action: "create", subject: "Initiative" },
    ],
    association_manager: [
      { action: "read", subject: "Initiative", conditions: { organisation_id: { $in: USER_ORGANISATION_IDS } } },
      { action: "update", subject: "Initiative", fields: LISTING_FIELDS, conditions: { organisation_id: { $in: USER_ORGANISATION_IDS } } },
    ],
    staff: [{ action: ["read", "create", "update", "moderate"], subject: "Initiative" }],
  },
  locales: { fr: frPermissions, en: enPermissions },
});
