// Signing in through the form, as a person does, then landing where the sign-in sends back.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { DemoTenant } from "./tenants.ts";
import { follow, visit } from "./visit.ts";

/** Signs `email` in on `town` from `/connexion?retour=<back>` and checks it lands on `back` (a page without scripts: a new document). */
export async function signInThrough(page: Page, town: DemoTenant, email: string, password: string, back: string) {
  await visit(page, town.url(`/connexion?retour=${encodeURIComponent(back)}`));
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await follow(page, page.locator("form.form button[type=submit]"));
  assert.equal(new URL(page.url()).pathname, back.split("?")[0]);
}
