// Listings and the associations behind them. A user whose rules allow it (an association
// manager, by default) claims a listing for one of their organisations; someone allowed to
// decide (staff, by default) approves, and from then on those who may edit that
// organisation's listings do. Who may do what is decided by the routes from the user's
// ability (access.server.ts); these functions take its outcome.
// Reminders and contact requests go by email to the organisation's managers (the role
// `association_manager`), or, until a listing is claimed, to its submitter or public contact.
import { sql, type Expression, type SqlBool } from "kysely";
import type { Tx } from "~/core/db/db.server";
import type { Locale } from "~/core/tenant/definition";
import { isLocale } from "~/core/i18n/i18n.server";
import { isUuid } from "./listing.server";
import { readInitiative, recordRevision, type Actor, type InitiativeRow } from "./revisions.server";

/** The role whose holders are emailed about an organisation's listings (not a permission). */
export const MANAGER_ROLE = "association_manager";

export type Recipient = { email: string; name: string | null; locale: Locale; userId: string | null; kind: "manager" | "submitter" | "contact" };

/**
 * Who hears about a listing (reminders, contact requests): the managers of its organisation
 * when it is claimed, otherwise the person who submitted it, otherwise its contact address.
 */
export async function listingRecipients(
  tx: Tx,
  listing: { organisation_id: string | null; submitter_name: string | null; submitter_email: string | null; contact_name: string | null; contact_email: string | null },
  defaultLocale: Locale,
): Promise<Recipient[]> {
  if (listing.organisation_id) {
    const managers = await tx
      .selectFrom("user_roles as r")
      .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "r.tenant_id").onRef("u.id", "=", "r.user_id"))
      .select(["u.id", "u.email", "u.display_name", "u.locale"])
      .where("r.role", "=", MANAGER_ROLE)
      .where("r.organisation_id", "=", listing.organisation_id)
      .where("u.deactivated_at", "is", null)
      .orderBy("u.email")
      .execute();
    if (managers.length > 0) {
      return managers.map((m) => ({ email: m.email, name: m.display_name, locale: isLocale(m.locale) ? m.locale : defaultLocale, userId: m.id, kind: "manager" as const }));
    }
  }
  if (listing.submitter_email) return [{ email: listing.submitter_email, name: listing.submitter_name, locale: defaultLocale, userId: null, kind: "submitter" }];
  if (listing.contact_email) return [{ email: listing.contact_email, name: listing.contact_name, locale: defaultLocale, userId: null, kind: "contact" }];
  return [];
}

export type ClaimError = "unknownListing" | "notManager" | "alreadyOwned" | "alreadyPending" | "messageTooLong";

export class ClaimRefused extends Error {
  constructor(readonly code: ClaimError) {
    super(`claim refused: ${code}`);
  }
}

/**
 * A claim on a published listing for `organisationId`, one of `allowedOrganisations` (those
 * the user's rules let them claim it for, see claimOrganisations).
 */
export async function createClaim(
  tx: Tx,
  input: { initiativeId: string; userId: string; organisationId: string; allowedOrganisations: readonly string[]; message: string },
) {
  const listing = await readInitiative(tx, input.initiativeId);
  if (!listing || listing.status !== "published") throw new ClaimRefused("unknownListing");
  if (!input.allowedOrganisations.includes(input.organisationId)) throw new ClaimRefused("notManager");
  if (listing.organisation_id === input.organisationId) throw new ClaimRefused("alreadyOwned");
  if (input.message.length > 2000) throw new ClaimRefused("messageTooLong");
  const inserted = await tx
    .insertInto("directory_claims")
    .values({ tenant_id: listing.tenant_id, initiative_id: listing.id, user_id: input.userId, organisation_id: input.organisationId, message: input.message })
    // The predicate is literal SQL: PostgreSQL matches it with the partial unique index's
    // own, which a bound parameter would not prove.
    .onConflict((oc) => oc.columns(["tenant_id", "initiative_id", "user_id"]).where(sql<boolean>`status = 'pending'`).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) throw new ClaimRefused("alreadyPending");
  return inserted.id;
}

/** Pending claims on the listings `decidable` keeps (a filter over the listing, alias `i`). */
export async function listPendingClaims(tx: Tx, decidable: Expression<SqlBool>) {
  return tx
    .selectFrom("directory_claims as c")
    .innerJoin("directory_initiatives as i", (j) => j.onRef("i.tenant_id", "=", "c.tenant_id").onRef("i.id", "=", "c.initiative_id"))
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "c.tenant_id").onRef("u.id", "=", "c.user_id"))
    .leftJoin("organisations as o", (j) => j.onRef("o.tenant_id", "=", "c.tenant_id").onRef("o.id", "=", "c.organisation_id"))
    .leftJoin("organisations as current", (j) => j.onRef("current.tenant_id", "=", "i.tenant_id").onRef("current.id", "=", "i.organisation_id"))
    .select([
      "c.id",
      "c.message",
      "c.created_at",
      "i.id as initiative_id",
      "i.name as initiative_name",
      "u.display_name as user_name",
      "u.email as user_email",
      "o.name as organisation_name",
      "current.name as current_organisation_name",
    ])
    .where("c.status", "=", "pending")
    .where(decidable)
    .orderBy("c.created_at")
    .execute();
}

/** The user's own claims, newest first (their space shows them). */
export async function listUserClaims(tx: Tx, userId: string) {
  return tx
    .selectFrom("directory_claims as c")
    .innerJoin("directory_initiatives as i", (j) => j.onRef("i.tenant_id", "=", "c.tenant_id").onRef("i.id", "=", "c.initiative_id"))
    .select(["c.id", "c.status", "c.created_at", "c.decided_at", "i.id as initiative_id", "i.name as initiative_name"])
    .where("c.user_id", "=", userId)
    .orderBy("c.created_at", "desc")
    .limit(50)
    .execute();
}

export type ClaimDecision = { status: "approved" | "refused"; initiativeId: string; initiativeName: string; organisationName: string | null; claimant: { email: string; name: string; locale: Locale } };

/**
 * Decides a pending claim. The claim row is locked, then the listing's: of two people
 * deciding at once, the second finds the claim decided and changes nothing. A claim on a
 * listing `allowed` refuses (checked under the lock) is not found.
 */
export async function decideClaim(
  tx: Tx,
  claimId: string,
  approve: boolean,
  staff: Actor & { userId: string },
  defaultLocale: Locale,
  allowed: (listing: InitiativeRow) => boolean = () => true,
): Promise<ClaimDecision | "alreadyDecided" | "notFound"> {
  if (!isUuid(claimId)) return "notFound";
  const claim = await tx
    .selectFrom("directory_claims")
    .select(["id", "status", "initiative_id", "user_id", "organisation_id"])
    .where("id", "=", claimId)
    .forUpdate()
    .executeTakeFirst();
  if (!claim) return "notFound";
  if (claim.status !== "pending") return "alreadyDecided";
  const listing = await readInitiative(tx, claim.initiative_id, { lock: true });
  if (!listing || !allowed(listing)) return "notFound";
  const now = new Date();
  const status = approve && claim.organisation_id && listing.status === "published" ? "approved" : "refused";
  await tx.updateTable("directory_claims").set({ status, decided_by: staff.userId, decided_at: now }).where("id", "=", claim.id).execute();
  if (status === "approved") {
    await tx.updateTable("directory_initiatives").set({ organisation_id: claim.organisation_id, updated_at: now }).where("id", "=", listing.id).execute();
    await recordRevision(tx, listing.id, "claim_approved", staff);
  }
  const claimant = await tx.selectFrom("users").select(["email", "display_name", "locale"]).where("id", "=", claim.user_id).executeTakeFirstOrThrow();
  const organisation = claim.organisation_id
    ? await tx.selectFrom("organisations").select("name").where("id", "=", claim.organisation_id).executeTakeFirst()
    : undefined;
  return {
    status,
    initiativeId: listing.id,
    initiativeName: listing.name,
    organisationName: organisation?.name ?? null,
    claimant: { email: claimant.email, name: claimant.display_name, locale: isLocale(claimant.locale) ? claimant.locale : defaultLocale },
  };
}

/** The organisations a manager may claim for, with their names. */
export async function organisationsOf(tx: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return tx.selectFrom("organisations").select(["id", "name"]).where("id", "in", ids).orderBy("name").execute();
}

/** The listings of these organisations that `editable` keeps (alias `i`): an association's space. */
export async function listingsOfOrganisations(tx: Tx, organisationIds: string[], editable: Expression<SqlBool>) {
  if (organisationIds.length === 0) return [];
  return tx
    .selectFrom("directory_initiatives as i")
    .innerJoin("organisations as o", (j) => j.onRef("o.tenant_id", "=", "i.tenant_id").onRef("o.id", "=", "i.organisation_id"))
    .select(["i.id", "i.name", "i.status", "i.freshness", "i.confirmed_at", "i.reminder_sent_at", "o.name as organisation_name"])
    .where("i.organisation_id", "in", organisationIds)
    .where("i.status", "in", ["published", "pending", "changes_requested"])
    .where(editable)
    .orderBy("i.name")
    .execute();
}

/** Published listings `readable` keeps (alias `i`) whose name contains the words typed (accents and case ignored), to claim one. */
export async function findListingsByName(tx: Tx, query: string, readable: Expression<SqlBool>, limit = 10) {
  const words = query.trim().slice(0, 100);
  if (words.length < 2) return [];
  return tx
    .selectFrom("directory_initiatives as i")
    .leftJoin("organisations as o", (j) => j.onRef("o.tenant_id", "=", "i.tenant_id").onRef("o.id", "=", "i.organisation_id"))
    .select(["i.id", "i.name", "i.status", "i.organisation_id", "i.neighbourhood", "o.name as organisation_name"])
    .where("i.status", "=", "published")
    .where(readable)
    .where(sql<boolean>`directory_normalise(i.name) like '%' || directory_normalise(${words.replace(/[\\%_]/g, (c) => "\\" + c)}) || '%'`)
    .orderBy("i.name")
    .limit(limit)
    .execute();
}
