// The platform operator creates a town from its INSEE code: the town answers on its host at
// once, its first staff member accepts the invitation from the mail and reaches the staff
// console. A town no other journey uses (Armentières, 59017), created fresh in this run.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { environment, follow, hostUrl, text, visit, withPage } from "./support/index.ts";

const OPERATOR = { email: "operateur@communa.example.org", password: "Demo-Communa-2026" };
const OPERATOR_HOST = "admin.localhost";
const slug = "armentieres";
const host = "armentieres.localhost";
const staffEmail = "dgs@armentieres.example.org";
// Forms post as plain documents, as they do for a visitor without JavaScript.
const noScript = { javaScriptEnabled: false };

describe("the operator console", () => {
  it("creates a town that is usable at once on its host, with its first staff account invited by mail", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, hostUrl(OPERATOR_HOST, "/operateur/connexion"));
      await page.getByLabel(text("fr", "operator:signIn.email")).fill(OPERATOR.email);
      await page.getByLabel(text("fr", "operator:signIn.password")).fill(OPERATOR.password);
      await follow(page, page.getByRole("button", { name: text("fr", "operator:signIn.submit") }));

      await visit(page, hostUrl(OPERATOR_HOST, "/operateur/communes/nouvelle"));
      await page.getByLabel(text("fr", "operator:create.lookup.insee"), { exact: false }).fill("59017");
      await follow(page, page.getByRole("button", { name: text("fr", "operator:create.lookup.submit") }));
      assert.equal(
        await page.getByRole("heading", { level: 2, name: text("fr", "operator:create.facts.title", { name: "Armentières" }) }).count(),
        1,
        "the commune's official facts are shown",
      );
      const field = (key: string) => page.getByLabel(text("fr", `operator:create.form.${key}`), { exact: false });
      assert.equal(await field("name").inputValue(), "Armentières");
      await field("slug").fill(slug);
      await field("hosts").fill(host);
      await field("latitude").fill("50,6881");
      await field("longitude").fill("2,8811");
      await field("publisher").fill("Ville d'Armentières");
      await field("publicationDirector").fill("La maire");
      await field("address").fill("Place du Général de Gaulle, 59280 Armentières");
      await field("legalEmail").fill("contact@armentieres.example.org");
      await field("hosting").fill("Hébergeur de test, 1 rue de l'Exemple, 59000 Lille, 03 00 00 00 00");
      await field("accessibilityEmail").fill("accessibilite@armentieres.example.org");
      await field("staffEmail").fill(staffEmail);
      await follow(page, page.getByRole("button", { name: text("fr", "operator:create.form.submit") }));
      assert.match((await page.getByRole("status").first().textContent()) ?? "", /Armentières/);
    }, noScript);

    // Usable at once: the portal answers on its host, in its name.
    await withPage(`${t.name} (resident)`, async (page) => {
      await visit(page, hostUrl(host, "/"));
      assert.match((await page.locator(".site-brand__name").textContent()) ?? "", /Armentières/);
    }, noScript);

    // The first staff member accepts the invitation and reaches the console.
    const mail = await environment().mail.waitForMail({ to: staffEmail, subject: "Armentières" });
    const token = /\/invitation\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    assert.ok(token, `no invitation link in the mail:\n${mail.text}`);
    await withPage(`${t.name} (staff)`, async (page) => {
      await visit(page, hostUrl(host, `/invitation?token=${token}`));
      // The form kit names each field's id after it (field-<name>).
      await page.locator("#field-displayName").fill("Dominique Agent");
      await page.locator("#field-password").fill("Un-mot-de-passe-solide-2026");
      await page.locator("#field-confirmPassword").fill("Un-mot-de-passe-solide-2026");
      await follow(page, page.getByRole("button", { name: text("fr", "auth:invitation.submit") }));
      await visit(page, hostUrl(host, "/admin"));
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), text("fr", "admin:home.title"));
      // Keyboard: the console's navigation is reachable and followed with Enter.
      const modules = page.getByRole("navigation", { name: text("fr", "admin:nav.label") }).getByRole("link", { name: text("fr", "admin:nav.modules") });
      await modules.focus();
      await Promise.all([page.waitForURL(/\/admin\/modules$/), page.keyboard.press("Enter")]);
    }, noScript);
  });
});
