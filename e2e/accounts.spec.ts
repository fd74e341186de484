// Accounts seen from a browser: signing up and confirming the address with the mail that was
// really sent, signing out and in, resetting a forgotten password, the wall between two
// towns' accounts, signing in without JavaScript, and staff reading the outgoing mail.
// The journeys run in order and share one account, created by the first one.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import { pageProblems, scriptlessPages } from "./support/browser.ts";
import { assertNoAxeViolations, environment, follow, tenant, text, visit, withPage, type CaughtMail, type DemoTenant } from "./support/index.ts";

const hellemmes = tenant("hellemmes");
const lomme = tenant("lomme");

type DemoFile = { password: string; accounts: Array<{ email: string; displayName: string }> };
const demo = JSON.parse(fs.readFileSync(path.join("tenants", "hellemmes", "demo.json"), "utf8")) as DemoFile;
function demoAccount(email: string) {
  const found = demo.accounts.find((a) => a.email === email);
  assert.ok(found, `tenants/hellemmes/demo.json has no account ${email}`);
  return { email, name: found.displayName, password: demo.password };
}
const resident = demoAccount("habitant@hellemmes.example.org");
const staff = demoAccount("mairie@hellemmes.example.org");

// Unique per run, so that a journey never meets an account or a mail from an earlier run.
const suffix = `${Date.now().toString(36)}-${crypto.randomBytes(3).toString("hex")}`;
const account = {
  email: `compte-${suffix}@example.org`,
  name: `Alex Essai ${suffix}`,
  password: "Trois pommes vertes au marché",
  created: false,
  /** The confirmation link of the sign-up mail: the stored copy must not hold it. */
  verifyLink: "",
};

function requireAccount() {
  assert.ok(account.created, "this journey needs the account created by the sign-up journey, which failed");
}

const required = (label: string) => `${label} ${text("fr", "form.required")}`;

/** A form field of the page's main content, by its full accessible name. */
function field(page: Page, key: string) {
  return page.getByRole("main").getByLabel(required(text("fr", `auth:fields.${key}`)), { exact: true });
}

function mainButton(page: Page, key: string) {
  return page.getByRole("main").getByRole("button", { name: text("fr", key), exact: true });
}

function mainNav(page: Page) {
  return page.getByRole("navigation", { name: text("fr", "shell.mainNav") });
}

function accountLink(page: Page, name: string) {
  return mainNav(page).getByRole("link", { name: text("fr", "shell.account", { name }), exact: true });
}

function heading(page: Page) {
  return page.getByRole("heading", { level: 1 });
}

type Outcome = {
  /** Where the page ends up. */
  pathname: string | RegExp;
  /** Shown once the new page is rendered. */
  ready: Locator;
  /** The form is shown again with this status; a redirect is expected when absent. */
  status?: number;
};

/**
 * With scripts on, Remix submits a form with fetch: no new document, so `follow` cannot see
 * it. This checks the action's answer (a redirect, or `status`), waits for the page it leads
 * to and audits that page as `visit` does. Without scripts the form loads a document: `follow`.
 */
async function submit(page: Page, button: Locator, expected: Outcome) {
  if (scriptlessPages.has(page)) {
    await follow(page, button, { status: expected.status ?? 200 });
    await expected.ready.waitFor();
    const reached = new URL(page.url()).pathname;
    assert.ok(samePath(reached, expected.pathname), `the form led to ${reached}, expected ${String(expected.pathname)}`);
    return;
  }
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.frame() === page.mainFrame() && new URL(r.url()).searchParams.has("_data")),
    pressWithKeyboard(page, button),
  ]);
  // Remix answers its own fetch with 204 and this header where the server would redirect.
  const redirect = answer.headers()["x-remix-redirect"];
  if (expected.status === undefined) {
    assert.ok(redirect, `${answer.url()} answered ${answer.status()} instead of a redirect`);
  } else {
    assert.equal(redirect, undefined, `${answer.url()} redirected to ${redirect} instead of answering ${expected.status}`);
    assert.equal(answer.status(), expected.status, `${answer.url()} answered ${answer.status()}`);
  }
  await settled(page, expected);
}

const samePath = (pathname: string, expected: string | RegExp) => (typeof expected === "string" ? pathname === expected : expected.test(pathname));

/** Submits as a keyboard user does: Tab from the field just filled (or focus) and Enter. */
async function pressWithKeyboard(page: Page, button: Locator) {
  const fromField = await button.evaluate((el) => {
    const active = document.activeElement;
    return active instanceof HTMLInputElement && active.form !== null && active.form === (el as HTMLButtonElement).form;
  });
  if (fromField) await page.keyboard.press("Tab");
  else await button.focus();
  assert.ok(await button.evaluate((el) => el === document.activeElement), "the submit button does not follow the last field in the tab order");
  await page.keyboard.press("Enter");
}

/** A Remix link, followed client-side: audited once the page it leads to is rendered. */
async function followClientSide(page: Page, link: Locator, expected: Omit<Outcome, "status">) {
  await link.click();
  await settled(page, expected);
}

async function settled(page: Page, expected: Omit<Outcome, "status">) {
  await page.waitForURL((url) => samePath(url.pathname, expected.pathname));
  await expected.ready.waitFor();
  await assertNoAxeViolations(page);
  assert.deepEqual(pageProblems.get(page)?.splice(0) ?? [], [], `${page.url()} reported problems in the browser`);
}

function errorSummary(page: Page) {
  return page.getByRole("main").getByRole("alert");
}

type Credentials = { email: string; password: string };

/** Signs `who` in on `town`, or with `refused`, checks the generic refusal and its summary. */
async function signIn(page: Page, town: DemoTenant, who: Credentials & { name: string }): Promise<void>;
async function signIn(page: Page, town: DemoTenant, who: Credentials, refused: "refused"): Promise<void>;
async function signIn(page: Page, town: DemoTenant, who: Credentials & { name?: string }, refused?: "refused") {
  await visit(page, town.url("/connexion"));
  assert.equal(await heading(page).textContent(), text("fr", "auth:signIn.title"));
  await field(page, "email").fill(who.email);
  await field(page, "password").fill(who.password);
  const button = mainButton(page, "auth:signIn.submit");
  if (refused || who.name === undefined) {
    await submit(page, button, { pathname: "/connexion", status: 400, ready: errorSummary(page) });
    const summary = errorSummary(page);
    assert.equal(await summary.getByRole("heading", { level: 2 }).textContent(), text("fr", "form.problem"));
    assert.match((await summary.textContent()) ?? "", new RegExp(escapeRegExp(text("fr", "auth:signIn.invalid"))));
    assert.equal(await field(page, "email").inputValue(), who.email, "the address typed is lost");
    if (scriptlessPages.has(page)) {
      // A new document: whatever the field holds came from the server. (With scripts the
      // browser keeps what was typed, which never left this page.)
      assert.equal(await field(page, "password").inputValue(), "", "the password is sent back to the page");
    } else {
      assert.ok(await summary.evaluate((el) => el === document.activeElement), "the error summary does not take the focus");
    }
    assert.equal(await accountLinks(page), 0, "signed in despite the wrong password");
  } else {
    await submit(page, button, { pathname: "/", ready: accountLink(page, who.name) });
    assert.equal(await heading(page).textContent(), text("fr", "home.title", { name: town.name }));
  }
}

/** Links to "my account", whoever's: none when signed out. */
function accountLinks(page: Page) {
  const prefix = text("fr", "shell.account", { name: "\u0000" }).split("\u0000")[0];
  return mainNav(page).getByRole("link", { name: new RegExp(`^${escapeRegExp(prefix)}`) }).count();
}

async function signOut(page: Page) {
  const button = mainNav(page).getByRole("button", { name: text("fr", "shell.signOut"), exact: true });
  await submit(page, button, { pathname: "/", ready: mainNav(page).getByRole("link", { name: text("fr", "shell.signIn"), exact: true }) });
  assert.equal(await accountLinks(page), 0, "still signed in after signing out");
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The one link of `pathname` a mail carries, in both parts, on the town's own host. */
function linkIn(mail: CaughtMail, town: DemoTenant, pathname: string) {
  const links = (mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? []).filter((l) => new URL(l).pathname === pathname);
  assert.equal(links.length, 1, `the mail "${mail.subject}" has ${links.length} link(s) to ${pathname}:\n${mail.text}`);
  const link = links[0];
  assert.equal(new URL(link).origin, new URL(town.url("/")).origin, `the mail of ${town.name} links to another host`);
  assert.ok(mail.html?.includes(`href="${link}"`), `the HTML part of "${mail.subject}" does not link to ${link}`);
  return link;
}

function waitForMail(to: string, subject: string, timeoutMs?: number) {
  return environment().mail.waitForMail({ to, subject }, timeoutMs);
}

describe("accounts", () => {
  it("a visitor signs up on Hellemmes, confirms the address from the mail (once), signs out and back in", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, hellemmes.url("/inscription"));
      assert.equal(await heading(page).textContent(), text("fr", "auth:signUp.title"));
      await field(page, "email").fill(account.email);
      await field(page, "displayName").fill(account.name);
      await field(page, "password").fill(account.password);
      await field(page, "confirmPassword").fill(account.password);
      await submit(page, mainButton(page, "auth:signUp.submit"), {
        pathname: "/verifier-email",
        ready: heading(page).filter({ hasText: text("fr", "auth:verify.checkTitle") }),
      });
      // Signed in at once, reminded to confirm the address.
      await accountLink(page, account.name).waitFor();
      assert.equal(await page.getByRole("status").filter({ hasText: text("fr", "shell.verifyEmailReminder") }).count(), 1);

      const mail = await waitForMail(account.email, text("fr", "email:verifyEmail.subject", { town: hellemmes.name }));
      assert.match(mail.subject, /Hellemmes/);
      assert.ok(mail.text.includes(text("fr", "email:greeting", { name: account.name })), "the mail does not greet the new resident by name");
      account.verifyLink = linkIn(mail, hellemmes, "/verifier-email");
      account.created = true;

      await visit(page, account.verifyLink);
      assert.equal(new URL(page.url()).search, "?etat=confirmee", "the token stays in the address bar");
      assert.equal(await heading(page).textContent(), text("fr", "auth:verify.verifiedTitle"));
      assert.equal(await page.getByRole("status").filter({ hasText: text("fr", "auth:verify.verifiedBody") }).count(), 1);
      assert.equal(await page.getByText(text("fr", "shell.verifyEmailReminder")).count(), 0, "still asked to confirm a confirmed address");

      await visit(page, account.verifyLink);
      assert.equal(await heading(page).textContent(), text("fr", "auth:verify.usedTitle"));

      await signOut(page);
      await signIn(page, hellemmes, { email: account.email, password: `${account.password}!` }, "refused");
      await signIn(page, hellemmes, account);
    });
  });

  it("a resident who forgot the password gets a link by mail and chooses a new one", async (t) => {
    requireAccount();
    await withPage(t.name, async (page) => {
      await visit(page, hellemmes.url("/connexion"));
      await followClientSide(page, page.getByRole("main").getByRole("link", { name: text("fr", "auth:signIn.forgot"), exact: true }), {
        pathname: "/mot-de-passe-oublie",
        ready: heading(page).filter({ hasText: text("fr", "auth:forgot.title") }),
      });
      await field(page, "email").fill(account.email);
      await submit(page, mainButton(page, "auth:forgot.submit"), {
        pathname: "/mot-de-passe-oublie",
        ready: page.getByRole("status").filter({ hasText: text("fr", "auth:forgot.sent") }),
      });

      const mail = await waitForMail(account.email, text("fr", "email:resetPassword.subject", { town: hellemmes.name }));
      const link = linkIn(mail, hellemmes, "/reinitialiser-mot-de-passe");
      await visit(page, link);
      assert.equal(await heading(page).textContent(), text("fr", "auth:reset.title"));

      const oldPassword = account.password;
      const newPassword = "Quatre poires mûres au verger";
      await field(page, "newPassword").fill(newPassword);
      await field(page, "confirmNewPassword").fill(newPassword);
      await submit(page, mainButton(page, "auth:reset.submit"), {
        pathname: "/compte",
        ready: page.getByRole("status").filter({ hasText: text("fr", "auth:account.notices.passwordReset") }),
      });
      account.password = newPassword;
      assert.equal(await heading(page).textContent(), text("fr", "auth:account.title"));
      await accountLink(page, account.name).waitFor();

      await visit(page, link);
      assert.equal(await page.getByRole("main").getByRole("alert").textContent(), text("fr", "auth:reset.used"), "the reset link works twice");

      await signOut(page);
      await signIn(page, hellemmes, { email: account.email, password: oldPassword }, "refused");
      await signIn(page, hellemmes, account);
    });
  });

  it("Lomme never sees a Hellemmes account: no sign-in, no reset mail, and the same address signs up apart", async (t) => {
    requireAccount();
    const lommePassword = "Cinq cerises rouges du jardin";
    await withPage(t.name, async (page) => {
      await signIn(page, lomme, account, "refused");

      await visit(page, lomme.url("/mot-de-passe-oublie"));
      await field(page, "email").fill(account.email);
      await submit(page, mainButton(page, "auth:forgot.submit"), {
        pathname: "/mot-de-passe-oublie",
        ready: page.getByRole("status").filter({ hasText: text("fr", "auth:forgot.sent") }),
      });
      // Hellemmes's reset mail arrived within milliseconds in the previous journey.
      await assert.rejects(waitForMail(account.email, lomme.name, 3_000), /No mail to/, "Lomme sent mail about a Hellemmes account");

      await visit(page, lomme.url("/inscription"));
      await field(page, "email").fill(account.email);
      await field(page, "displayName").fill(`${account.name} à Lomme`);
      await field(page, "password").fill(lommePassword);
      await field(page, "confirmPassword").fill(lommePassword);
      await submit(page, mainButton(page, "auth:signUp.submit"), {
        pathname: "/verifier-email",
        ready: heading(page).filter({ hasText: text("fr", "auth:verify.checkTitle") }),
      });
      // A new account, not the "you already have an account" mail.
      const mail = await waitForMail(account.email, text("fr", "email:verifyEmail.subject", { town: lomme.name }));
      assert.ok(!mail.text.includes(hellemmes.name), "Lomme's mail mentions Hellemmes");
      await visit(page, linkIn(mail, lomme, "/verifier-email"));
      assert.equal(await heading(page).textContent(), text("fr", "auth:verify.verifiedTitle"));
      await accountLink(page, `${account.name} à Lomme`).waitFor();

      // Each account keeps its own password.
      await signIn(page, hellemmes, { email: account.email, password: lommePassword }, "refused");
      await signIn(page, hellemmes, account);
    });
  });

  it("without JavaScript, a wrong password is refused and a demo resident signs in and out", async (t) => {
    await withPage(
      t.name,
      async (page) => {
        await signIn(page, hellemmes, { email: resident.email, password: "Pas le bon mot de passe" }, "refused");
        await signIn(page, hellemmes, resident);
        await signOut(page);
      },
      { javaScriptEnabled: false },
    );
  });

  it("staff read the mail sent to residents in the outbox, without its access links; a resident may not", async (t) => {
    requireAccount();
    const sent = environment().mail.mails.filter((m) => m.to.includes(account.email) && m.subject.includes(hellemmes.name));
    assert.ok(sent.length >= 2, `expected the sign-up and reset mails of Hellemmes, caught ${sent.length}`);
    await withPage(t.name, async (page) => {
      await signIn(page, hellemmes, staff);
      await followClientSide(page, mainNav(page).getByRole("link", { name: text("fr", "shell.admin"), exact: true }), {
        pathname: "/admin",
        ready: heading(page).filter({ hasText: text("fr", "admin:home.title") }),
      });
      await followClientSide(page, page.getByRole("main").getByRole("link", { name: text("fr", "admin:home.outbox"), exact: true }), {
        pathname: "/admin/outbox",
        ready: heading(page).filter({ hasText: text("fr", "admin:outbox.title") }),
      });

      const rows = page.getByRole("row").filter({ hasText: account.email });
      const listed = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent?.trim() ?? "")));
      for (const mail of sent) {
        assert.ok(
          listed.some(([, to, subject, status]) => to === account.email && subject === mail.subject && status === text("fr", "admin:outbox.statuses.sent")),
          `"${mail.subject}" is not listed as sent: ${JSON.stringify(listed)}`,
        );
      }
      assert.equal(listed.length, sent.length, `the outbox of Hellemmes lists mail it did not send: ${JSON.stringify(listed)}`);

      const verifySubject = text("fr", "email:verifyEmail.subject", { town: hellemmes.name });
      await followClientSide(page, rows.filter({ hasText: verifySubject }).getByRole("link", { name: verifySubject, exact: true }), {
        pathname: /^\/admin\/outbox\/[0-9a-f-]{36}$/,
        ready: heading(page).filter({ hasText: verifySubject }),
      });
      const body = (await page.locator(".email-text").textContent()) ?? "";
      assert.ok(body.includes(text("fr", "email:redacted")), `the stored copy does not say its link was removed:\n${body}`);
      assert.ok(!body.includes(new URL(account.verifyLink).searchParams.get("token")!), "the stored copy keeps the confirmation token");
    });

    await withPage(`${t.name} (resident)`, async (page) => {
      await signIn(page, hellemmes, resident);
      assert.equal(await mainNav(page).getByRole("link", { name: text("fr", "shell.admin") }).count(), 0, "a resident is offered the staff console");
      await visit(page, hellemmes.url("/admin/outbox"), { status: 403 });
      assert.equal(await heading(page).textContent(), text("fr", "error.forbidden.title"));
      assert.equal(await page.getByText(account.email).count(), 0);
    });
  });
});
