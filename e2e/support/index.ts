// What spec files import: shared fixtures of the journeys.
export { environment } from "./environment.ts";
export { withPage } from "./browser.ts";
export { visit, follow, assertNoAxeViolations } from "./visit.ts";
export { text, type Language } from "./locales.ts";
export { tenant, hostUrl, appUrl, type DemoTenant } from "./tenants.ts";
export type { CaughtMail, MailQuery } from "./mail-catcher.ts";
export { signInThrough } from "./sign-in.ts";
