// CASL abilities. Rules come from each module's declared defaults per role; a role's rules
// apply when the user holds it, `visitor` rules apply to everyone.
import { createMongoAbility, type MongoAbility, type RawRuleOf } from "@casl/ability";
import { listModules } from "../modules/registry.server";
import type { PermissionRule } from "../modules/types";
import type { SessionUser } from "./session.server";

export type AppAbility = MongoAbility;

function interpolate(rule: PermissionRule, user: SessionUser | null, organisationIds: string[]): PermissionRule | null {
  if (!rule.conditions) return rule;
  const text = JSON.stringify(rule.conditions);
  if (!user && /\$\{user\./.test(text)) return null;
  const conditions = JSON.parse(text, (_key, value) => {
    if (value === "${user.id}") return user?.id;
    if (value === "${user.organisationIds}") return organisationIds;
    return value;
  });
  return { ...rule, conditions };
}

export function defaultRulesFor(user: SessionUser | null): PermissionRule[] {
  const roles = new Set(["visitor", ...(user?.roles.map((r) => r.role) ?? [])]);
  const organisationIds = [...new Set((user?.roles ?? []).map((r) => r.organisationId).filter((x): x is string => !!x))];
  const rules: PermissionRule[] = [];
  for (const manifest of listModules()) {
    for (const [role, roleRules] of Object.entries(manifest.permissions.defaults)) {
      if (!roles.has(role)) continue;
      for (const rule of roleRules ?? []) {
        const resolved = interpolate(rule, user, organisationIds);
        if (resolved) rules.push(resolved);
      }
    }
  }
  return rules;
}

export function abilityFor(user: SessionUser | null): AppAbility {
  return createMongoAbility(defaultRulesFor(user) as RawRuleOf<MongoAbility>[]);
}

export function hasRole(user: SessionUser | null, ...roles: string[]) {
  return !!user && user.roles.some((r) => roles.includes(r.role));
}
