import type { TFunction } from "i18next";
import { listModules } from "../modules/registry.server";
import { isModuleEnabled, type TenantContext } from "../tenant/tenant.server";

export type NavItem = { to: string; label: string; moduleId: string };

/** Navigation entries of the modules this tenant has enabled, in registry order. */
export function navigationFor(tenant: TenantContext, t: TFunction): NavItem[] {
  return listModules()
    .filter((m) => isModuleEnabled(tenant, m.id))
    .flatMap((m) => m.navigation.map((n) => ({ to: n.to, label: t(`${m.id}:${n.labelKey}`), moduleId: m.id })));
}
