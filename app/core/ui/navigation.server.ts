import type { TFunction } from "i18next";
import { listModules } from "../modules/registry.server";
import type { AppAbility } from "../permissions/ability.server";
import { isModuleEnabled, type TenantContext } from "../tenant/tenant.server";

export type NavItem = { to: string; label: string; moduleId: string };

/**
 * Navigation entries of the modules this tenant has enabled, in registry order; an entry
 * with `can` only for those whose rules allow it (the ability is loaded only then).
 */
export async function navigationFor(tenant: TenantContext, t: TFunction, ability: () => Promise<AppAbility>): Promise<NavItem[]> {
  const items: NavItem[] = [];
  for (const m of listModules()) {
    if (!isModuleEnabled(tenant, m.id)) continue;
    for (const n of m.navigation) {
      if (n.can && !(await ability()).can(n.can.action, n.can.subject)) continue;
      items.push({ to: n.to, label: t(`${m.id}:${n.labelKey}`), moduleId: m.id });
    }
  }
  return items;
}
