// The directory's life cycle in a browser, without JavaScript (plain forms): a visitor
// proposes an initiative and confirms it from the email, staff publish it and it shows in
// the list and in the map's data; an association manager claims a listing; a resident asks
// to join the nearest group and the manager gets the request by email; the manager confirms
// the listing is still accurate from a reminder's one-click link. Every page is audited.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { environment, follow, tenant, visit, withPage } from "./support/index.ts";

const town = tenant("hellemmes");
const demo = JSON.parse(fs.readFileSync(path.join("tenants", "hellemmes", "demo.json"), "utf8")) as {
  password: string;
  modules: { directory: { initiatives: { name: string; neighbourhood?: string }[] } };
};
const fr = JSON.parse(fs.readFileSync(path.join("app", "modules", "directory", "locales", "fr", "moderation.json"), "utf8")).moderation;
const definition = JSON.parse(fs.readFileSync(path.join("tenants", "hellemmes", "tenant.json"), "utf8")) as { map: { center: [number, number]; bounds: [[number, number], [number, number]] } };
const [centreLongitude, centreLatitude] = definition.map.center;

const STAFF = "mairie@hellemmes.example.org";
const MANAGER = "association@hellemmes.example.org";
const CLAIMED = demo.modules.directory.initiatives[0].name;
const noScript = { javaScriptEnabled: false };

/** A link of a caught mail, as a URL on the town's host and the app's port. */
function linkFrom(text: string, pathname: string): string {
  const match = text.match(new RegExp(`https?://[^\\s/]+(${pathname}\\S*)`));
  assert.ok(match, `no link to ${pathname} in the mail:\n${text}`);
  return town.url(match[1]);
}

async function signIn(page: Page, email: string, back: string) {
  await visit(page, town.url(`/connexion?retour=${encodeURIComponent(back)}`));
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(demo.password);
  await follow(page, page.locator("form.form button[type=submit]"));
  assert.equal(new URL(page.url()).pathname, back.split("?")[0]);
}

describe("directory: submission, moderation, contact and freshness", () => {
  it("with JavaScript, the forms hydrate and offer to fill the position from the browser", async (t) => {
    await withPage(t.name, async (page) => {
      for (const pathname of ["/initiatives/proposer", "/initiatives/rejoindre"]) {
        await visit(page, town.url(pathname));
        await page.getByRole("button", { name: fr.form.locate }).waitFor();
      }
    });
  });

  const name = `Épicerie solidaire e2e ${Date.now()}`;
  const submitter = `proposante-${Date.now()}@example.org`;

  it("a visitor proposes an initiative, confirms it by email, staff publish it, and it is listed", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, town.url("/initiatives/proposer"));
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), fr.submit.title);

      // A position outside the town first: refused, nothing kept, what was typed is still there.
      await page.locator("#field-submitterName").fill("Camille Proposante");
      await page.locator("#field-submitterEmail").fill(submitter);
      await page.locator("#field-name").fill(name);
      await page.locator("#field-kind").selectOption("buying_group");
      await page.locator('input[name="layers"][value="se_nourrir"]').check();
      await page.locator("#field-description").fill("Commandes groupées de produits secs, une fois par mois.");
      await page.locator("#field-address").fill("Rue Faidherbe, Hellemmes");
      await page.locator("#field-neighbourhood").fill("Centre");
      await page.locator("#field-latitude").fill("48,8566");
      await page.locator("#field-longitude").fill("2,3522");
      await follow(page, page.getByRole("button", { name: fr.submit.send }), { status: 400 });
      assert.equal((await page.locator("#field-latitude-error").textContent())?.includes(fr.errors.outOfBounds), true);
      assert.equal(await page.locator("#field-name").inputValue(), name);

      await page.locator("#field-latitude").fill(String(centreLatitude).replace(".", ","));
      await page.locator("#field-longitude").fill(String(centreLongitude).replace(".", ","));
      await follow(page, page.getByRole("button", { name: fr.submit.send }));
      assert.equal((await page.locator(".notice-success").textContent())?.trim(), fr.submit.sent);

      const mail = await environment().mail.waitForMail({ to: submitter, subject: "confirmez votre proposition" });
      await visit(page, linkFrom(mail.text, "/initiatives/confirmer"));
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), fr.confirm.confirmed.title);
    }, noScript);

    await withPage(`${t.name} (staff)`, async (page) => {
      await signIn(page, STAFF, "/initiatives/gestion/moderation");
      await follow(page, page.getByRole("link", { name, exact: true }));
      await follow(page, page.getByRole("button", { name: fr.item.approve, exact: true }));
      assert.equal((await page.locator(".notice-success").textContent())?.trim(), fr.queue.done.approuvee);
    }, noScript);

    await withPage(`${t.name} (list)`, async (page) => {
      await visit(page, town.url("/initiatives"));
      assert.ok((await page.locator("main").innerText()).includes(name), "the published listing is not in the list");
      const [[west, south], [east, north]] = definition.map.bounds;
      // Fetched by the page itself: only Chromium resolves *.localhost, Node does not.
      const data = await page.evaluate(async (url) => {
        const response = await fetch(url);
        return { status: response.status, body: (await response.json()) as { features: { properties: { name?: string } }[] } };
      }, `/initiatives/carte/donnees?bbox=${west},${south},${east},${north}&zoom=20&q=e2e`);
      assert.equal(data.status, 200);
      const features = data.body.features;
      assert.ok(features.some((f) => f.properties.name === name), "the published listing is not in the map's data");
    }, noScript);
    await environment().mail.waitForMail({ to: submitter, subject: "est publiée" });
  });

  it("an association manager claims a listing, staff approve, and a resident's contact request reaches the manager", async (t) => {
    await withPage(`${t.name} (manager)`, async (page) => {
      await signIn(page, MANAGER, "/initiatives/mon-espace");
      await page.locator("#field-fiche").fill(CLAIMED.slice(0, 20));
      await follow(page, page.getByRole("button", { name: fr.space.find }));
      await follow(page, page.getByRole("link", { name: fr.space.claimListing.replace("{{name}}", CLAIMED) }));
      await follow(page, page.getByRole("button", { name: fr.claim.send }));
      assert.equal((await page.locator(".notice-success").textContent())?.trim(), fr.space.notices.revendication);
    }, noScript);

    await withPage(`${t.name} (staff)`, async (page) => {
      await signIn(page, STAFF, "/initiatives/gestion/moderation");
      const card = page.locator(".card", { has: page.getByRole("heading", { name: CLAIMED }) });
      await follow(page, card.getByRole("button", { name: new RegExp(`^${fr.claims.approve}`) }));
      assert.equal((await page.locator(".notice-success").textContent())?.trim(), fr.queue.done["revendication-approuvee"]);
    }, noScript);
    await environment().mail.waitForMail({ to: MANAGER, subject: "est rattachée à votre association" });

    const resident = `habitant-${Date.now()}@example.org`;
    await withPage(`${t.name} (resident)`, async (page) => {
      await visit(page, town.url("/initiatives/rejoindre"));
      await page.locator("#field-lieu").fill("Rue Jules Guesde, Hellemmes");
      await page.locator("#field-quartier").selectOption("Centre");
      await page.locator("#field-type").selectOption("buying_group");
      await follow(page, page.getByRole("button", { name: fr.join.find }));
      assert.ok((await page.locator('input[name="groupes"]').count()) > 0, "no group listed");
      await page.getByRole("checkbox", { name: new RegExp(CLAIMED.replace(/[()]/g, "\\$&")) }).check();
      await page.locator("#field-nom").fill("Alex Habitant");
      await page.locator("#field-email").fill(resident);
      await page.locator("#field-message").fill("Je voudrais rejoindre les commandes groupées.");
      // Without the consent, nothing is sent.
      await follow(page, page.getByRole("button", { name: fr.join.send }), { status: 400 });
      assert.ok((await page.locator("#field-consentement").isChecked()) === false);
      await page.getByRole("checkbox", { name: new RegExp(CLAIMED.replace(/[()]/g, "\\$&")) }).check();
      await page.locator("#field-consentement").check();
      await follow(page, page.getByRole("button", { name: fr.join.send }));
      assert.match((await page.locator(".notice-success").textContent()) ?? "", /envoyée à 1 groupe/);
    }, noScript);

    const request = await environment().mail.waitForMail({ to: MANAGER, subject: "souhaite rejoindre" });
    assert.match(request.text, new RegExp(resident.replace(/[.]/g, "\\.")));
    assert.match(request.text, /Je voudrais rejoindre les commandes groupées\./);
    await environment().mail.waitForMail({ to: resident, subject: "votre demande de mise en relation est envoyée" });

    await withPage(`${t.name} (answer)`, async (page) => {
      await signIn(page, MANAGER, "/initiatives/mon-espace");
      const card = page.locator(".card", { hasText: resident });
      await follow(page, card.getByRole("button", { name: new RegExp(`^${fr.space.markAnswered}`) }));
      assert.equal((await page.locator(".notice-success").textContent())?.trim(), fr.space.notices.repondue);
    }, noScript);
  });

  it("a manager confirms from the reminder's one-click link that the listing is still accurate", async (t) => {
    await withPage(`${t.name} (staff)`, async (page) => {
      await signIn(page, STAFF, "/initiatives/gestion/fraicheur");
      const row = page.locator("tr", { has: page.getByRole("link", { name: CLAIMED, exact: true }) }).first();
      await follow(page, row.getByRole("button", { name: new RegExp(`^${fr.freshness.remind}`) }));
      assert.match((await page.locator(".notice-success").textContent()) ?? "", /Rappel envoyé à 1 adresse/);
    }, noScript);
    const reminder = await environment().mail.waitForMail({ to: MANAGER, subject: "est-elle toujours à jour" });
    await withPage(t.name, async (page) => {
      await visit(page, linkFrom(reminder.text, "/initiatives/lien"));
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), fr.link.confirmed.title);
      await follow(page, page.getByRole("link", { name: fr.link.seeListing }));
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), CLAIMED);
    }, noScript);
  });
});
