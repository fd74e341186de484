// The CASL ability of one request: the tenant's stored rules for the roles the user holds,
// plus the `visitor` rules that apply to everyone, with the user's values filled in.
import { createMongoAbility, type MongoAbility, type RawRuleOf } from "@casl/ability";
import type { SessionUser } from "../auth/session.server";
import type { Tx } from "../db/db.server";
import { VISITOR } from "./catalog.server";
import { USER_ID, USER_NEIGHBOURHOOD, USER_ORGANISATION_IDS, type PermissionRule } from "./declarations";
import { loadRequestRules } from "./rules.server";

export type AppAbility = MongoAbility;

export type AbilityUser = {
  id: string;
  roles: readonly { role: string; organisationId: string | null }[];
  neighbourhood: string | null;
};

type Values = { id: string | null; organisationIds: string[]; neighbourhood: string | null };

/**
 * The rule with the user's values in place of the placeholders, or null when the user lacks
 * one (no account, no organisation, no neighbourhood): such a condition matches no record,
 * and validation only allows placeholders where they narrow a grant, so the rule grants nothing.
 */
function interpolate(rule: PermissionRule, values: Values): PermissionRule | null {
  if (!rule.conditions) return rule;
  let missing = false;
  const known = <T>(value: T | null): T | null => {
    if (value === null) missing = true;
    return value;
  };
  const fill = (value: unknown): unknown => {
    if (value === USER_ID) return known(values.id);
    if (value === USER_NEIGHBOURHOOD) return known(values.neighbourhood);
    if (value === USER_ORGANISATION_IDS) return known(values.organisationIds.length ? values.organisationIds : null);
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  const conditions = fill(rule.conditions) as Record<string, unknown>;
  return missing ? null : { ...rule, conditions };
}

/**
 * Builds the ability from rules per role. "Their organisation" means the organisations the
 * user holds that role for; a role held without one (resident, staff) reaches the
 * organisations of all the user's grants.
 */
export function buildAbility(user: AbilityUser | null, byRole: ReadonlyMap<string, readonly PermissionRule[]>): AppAbility {
  const allOrganisations = [...new Set((user?.roles ?? []).map((r) => r.organisationId).filter((id): id is string => !!id))];
  const rules: PermissionRule[] = [];
  const roles = [VISITOR, ...new Set((user?.roles ?? []).map((r) => r.role))];
  for (const role of roles) {
    const held = (user?.roles ?? []).filter((r) => r.role === role);
    const scoped = [...new Set(held.map((r) => r.organisationId).filter((id): id is string => !!id))];
    const values: Values = {
      id: user?.id ?? null,
      organisationIds: scoped.length ? scoped : allOrganisations,
      neighbourhood: user?.neighbourhood ?? null,
    };
    for (const rule of byRole.get(role) ?? []) {
      const filled = interpolate(rule, values);
      if (filled) rules.push(filled);
    }
  }
  return createMongoAbility(rules as RawRuleOf<AppAbility>[]);
}

/** The ability of `user` (or of an anonymous visitor) in the tenant of `tx`: one query. */
export async function abilityFor(tx: Tx, user: SessionUser | null): Promise<AppAbility> {
  const { byRole, neighbourhood } = await loadRequestRules(tx, [...new Set((user?.roles ?? []).map((r) => r.role))], user?.id ?? null);
  return buildAbility(user ? { id: user.id, roles: user.roles, neighbourhood } : null, byRole);
}
