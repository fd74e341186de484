import { definePermissions, USER_ORGANISATION_IDS } from "~/core/permissions/declarations";
import enPermissions from "./locales/en/permissions.json";
import frPermissions from "./locales/fr/permissions.json";

/**
 * What an association's managers may change on its listings; moderation stays with staff.
 * `photos` is not a column: it stands for adding and removing the listing's photos.
 */
const LISTING_FIELDS = [
  "name", "kind", "stage", "layers", "description", "photos", "address", "neighbourhood", "latitude", "longitude",
  "contact_name", "contact_email", "contact_phone", "contact_public", "links", "schedule", "opening_hours",
  "languages", "accessibility_notes",
] as const;

export const directoryPermissions = definePermissions({
  subjects: {
    // Listings have no owning account (they are submitted without one): no "own" condition.
    // Every action acts on listings, so that one subject carries the whole module: the
    // platform's actions are per module, and a second subject would show every one of them.
    Initiative: {
      fields: [...LISTING_FIELDS, "status", "moderation_note", "organisation_id"],
      conditions: { organisation: "organisation_id", published: { status: "published" }, neighbourhood: "neighbourhood" },
    },
  },
  // read: the list, the map, a listing's page. create: propose one. update: edit it (the
  //   fields allowed), confirm it is still accurate, read its history, answer the contact
  //   requests it receives. moderate: the queue, approve, ask for changes, refuse, merge.
  // revert: put its content back as in its history. claim: ask for it to be attached to an
  //   organisation of one's own. assign: decide those claims. remind: the freshness report,
  //   send a reminder, confirm it. route: send an unanswered contact request on to it.
  // import: publish it from a CSV file.
  actions: ["read", "create", "update", "moderate", "revert", "claim", "assign", "remind", "route", "import"],
  defaults: {
    // Anyone may propose a listing, with or without an account; it waits for moderation.
    visitor: [
      { action: "read", subject: "Initiative", conditions: { status: "published" } },
      { action: "create", subject: "Initiative" },
    ],
    association_manager: [
      { action: "read", subject: "Initiative", conditions: { organisation_id: { $in: USER_ORGANISATION_IDS } } },
      { action: "update", subject: "Initiative", fields: LISTING_FIELDS, conditions: { organisation_id: { $in: USER_ORGANISATION_IDS } } },
      { action: "claim", subject: "Initiative", conditions: { status: "published" } },
    ],
    staff: [{ action: ["read", "create", "update", "moderate", "revert", "assign", "remind", "route", "import"], subject: "Initiative" }],
  },
  locales: { fr: frPermissions, en: enPermissions },
});
