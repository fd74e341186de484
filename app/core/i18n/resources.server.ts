// All translations: the core's namespaces plus one namespace per module (its id).
import type { Locale } from "../tenant/definition";
import { moduleRegistry } from "../modules/registry.server";
import frCommon from "../locales/fr/common.json";
import enCommon from "../locales/en/common.json";
import frAuth from "../locales/fr/auth.json";
import enAuth from "../locales/en/auth.json";
import frLegal from "../locales/fr/legal.json";
import enLegal from "../locales/en/legal.json";
import frEmail from "../locales/fr/email.json";
import enEmail from "../locales/en/email.json";
import frAdmin from "../locales/fr/admin.json";
import enAdmin from "../locales/en/admin.json";
import frOperator from "../locales/fr/operator.json";
import enOperator from "../locales/en/operator.json";
import frRoles from "../locales/fr/roles.json";
import enRoles from "../locales/en/roles.json";
import frPermissions from "../locales/fr/permissions.json";
import enPermissions from "../locales/en/permissions.json";
import frConsoleModules from "../locales/fr/console-modules.json";
import enConsoleModules from "../locales/en/console-modules.json";
import frConsoleRoles from "../locales/fr/console-roles.json";
import enConsoleRoles from "../locales/en/console-roles.json";
import frConsolePeople from "../locales/fr/console-people.json";
import enConsolePeople from "../locales/en/console-people.json";
import frConsoleTown from "../locales/fr/console-town.json";
import enConsoleTown from "../locales/en/console-town.json";
import frConsoleAudit from "../locales/fr/console-audit.json";
import enConsoleAudit from "../locales/en/console-audit.json";
import frSecurity from "../locales/fr/security.json";
import enSecurity from "../locales/en/security.json";

type Resources = Record<Locale, Record<string, Record<string, unknown>>>;

export const allResources: Resources = {
  fr: { common: frCommon, auth: frAuth, legal: frLegal, email: frEmail, admin: frAdmin, operator: frOperator, roles: frRoles,
    // The staff console, one namespace per area.
    "console-modules": frConsoleModules, "console-roles": frConsoleRoles, "console-people": frConsolePeople, "console-town": frConsoleTown, "console-audit": frConsoleAudit, "security": frSecurity },
  en: { common: enCommon, auth: enAuth, legal: enLegal, email: enEmail, admin: enAdmin, operator: enOperator, roles: enRoles,
    "console-modules": enConsoleModules, "console-roles": enConsoleRoles, "console-people": enConsolePeople, "console-town": enConsoleTown, "console-audit": enConsoleAudit, "security": enSecurity },
};
for (const m of moduleRegistry.values()) {
  allResources.fr[m.id] = m.locales.fr;
  allResources.en[m.id] = m.locales.en;
}
// Permissions: the core's words, plus each module's subjects and actions under `modules.<id>`.
const permissionModules = (locale: Locale) => Object.fromEntries([...moduleRegistry.values()].map((m) => [m.id, m.permissions.locales[locale]]));
allResources.fr.permissions = { ...frPermissions, modules: permissionModules("fr") };
allResources.en.permissions = { ...enPermissions, modules: permissionModules("en") };

export const namespaces = Object.keys(allResources.fr);
