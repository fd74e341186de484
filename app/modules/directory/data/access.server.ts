// What the directory's pages let a user do, decided by their ability (the town's stored
// rules for the roles they hold, see app/core/permissions), never by role names: which
// listings an action reaches, as a SQL filter or on one loaded listing, and what follows
// from it (the organisations of a user's association space, the organisations a claim may
// name, the tools a user may open).
import { subject } from "@casl/ability";
import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { SessionUser } from "~/core/auth/session.server";
import type { AppAbility } from "~/core/permissions/ability.server";
import { accessibleWhere } from "~/core/permissions/sql.server";
import { notFound } from "~/core/route.server";
import type { directoryPermissions } from "../permissions";

export type InitiativeAction = (typeof directoryPermissions.actions)[number];

/** What the rules' conditions may test of a listing: the attributes its declared conditions name. */
export type RuleAttributes = { status: string; organisation_id: string | null; neighbourhood: string | null };

/** The columns behind the rules' attributes, on `alias` (the table itself when omitted). */
export function initiativeColumns(alias?: string) {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return { status: column("status"), organisation_id: column("organisation_id"), neighbourhood: column("neighbourhood") };
}

/** The listings the ability allows `action` on, as a where expression (no rule: no rows). */
export function allowedListings(ability: AppAbility, action: InitiativeAction, alias?: string): RawBuilder<SqlBool> {
  return accessibleWhere(ability, action, "Initiative", { columns: initiativeColumns(alias) });
}

/** The listings the ability allows at least one of `actions` on. */
export function allowedForAny(ability: AppAbility, actions: readonly InitiativeAction[], alias?: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.join(
    actions.map((action) => allowedListings(ability, action, alias)),
    sql` or `
  )})`;
}

/** Whether the ability allows `action` on this listing (the same answer as its SQL filter). */
export function may(ability: AppAbility, action: InitiativeAction, listing: RuleAttributes): boolean {
  return ability.can(action, subject("Initiative", { status: listing.status, organisation_id: listing.organisation_id, neighbourhood: listing.neighbourhood }));
}

export function mayAny(ability: AppAbility, actions: readonly InitiativeAction[], listing: RuleAttributes): boolean {
  return actions.some((action) => may(ability, action, listing));
}

/**
 * A listing is there for a user when their rules allow them to do anything with it but
 * propose or import (which name no existing listing); otherwise it answers 404, never 403.
 */
export const VISIBILITY_ACTIONS = ["read", "update", "moderate", "revert", "claim", "assign", "remind", "route"] as const satisfies readonly InitiativeAction[];

/** Throws 404 unless the listing is there for this user (see VISIBILITY_ACTIONS). */
export function requireVisible(ability: AppAbility, listing: RuleAttributes): void {
  if (!mayAny(ability, VISIBILITY_ACTIONS, listing)) notFound();
}

/** A listing's history (who changed what) is open to those who may change it in some way. */
export const HISTORY_ACTIONS = ["update", "moderate", "revert"] as const satisfies readonly InitiativeAction[];
/** Photos of a listing that is not public are shown where it is moderated or edited. */
export const PRIVATE_PHOTO_ACTIONS = ["moderate", "update"] as const satisfies readonly InitiativeAction[];
/** The moderation page holds the queue (moderate) and the claims (assign). */
export const MODERATION_PAGE_ACTIONS = ["moderate", "assign"] as const satisfies readonly InitiativeAction[];

/** The organisations the user holds any role for. */
function heldOrganisations(user: SessionUser | null): string[] {
  return [...new Set((user?.roles ?? []).map((r) => r.organisationId).filter((id): id is string => !!id))];
}

/**
 * The organisations of the user's association space: those they hold a role for whose
 * listings the ability lets them edit (an association's managers, by default).
 */
export function managedOrganisations(ability: AppAbility, user: SessionUser | null): string[] {
  return heldOrganisations(user).filter((id) => may(ability, "update", { status: "published", organisation_id: id, neighbourhood: null }));
}

/**
 * The organisations a claim on `listing` may name: none unless the ability allows claiming
 * it, then those of the user's organisations for which they could edit it once it is attached.
 */
export function claimOrganisations(ability: AppAbility, user: SessionUser | null, listing: RuleAttributes): string[] {
  if (!may(ability, "claim", listing)) return [];
  return heldOrganisations(user).filter((id) => may(ability, "update", { ...listing, organisation_id: id }));
}

/** The directory's staff tools the ability opens (each checks the same action itself). */
export function managementTools(ability: AppAbility) {
  const can = (action: InitiativeAction) => ability.can(action, "Initiative");
  return {
    moderation: MODERATION_PAGE_ACTIONS.some(can),
    freshness: can("remind"),
    requests: can("route"),
    import: can("import"),
  };
}
export type ManagementTools = ReturnType<typeof managementTools>;
