// The mail catcher that sign-up and password-reset journeys read from: it must receive what
// nodemailer sends over SMTP (as the app does with SMTP_URL) and hand each mail out once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import nodemailer from "nodemailer";
import { environment } from "./support/index.ts";

describe("mail catcher", () => {
  it("catches mail sent over SMTP and hands each matching mail out once", async () => {
    const { mail } = environment();
    const transport = nodemailer.createTransport(mail.url);
    const to = `catcher-${Date.now()}@example.org`;
    for (const n of [1, 2]) {
      await transport.sendMail({ from: "Communa <ne-pas-repondre@example.org>", to, subject: `Vérification ${n}`, text: `Lien ${n} : http://hellemmes.localhost/x` });
    }
    transport.close();

    const first = await mail.waitForMail({ to: to.toUpperCase(), subject: "Vérification" });
    const second = await mail.waitForMail({ to, subject: /^Vérification \d$/ });
    assert.deepEqual([first.subject, second.subject], ["Vérification 1", "Vérification 2"]);
    assert.match(first.text, /Lien 1 : http:\/\/hellemmes\.localhost\/x/);
    assert.match(first.from, /ne-pas-repondre@example\.org/);
    await assert.rejects(mail.waitForMail({ to, subject: "Vérification" }, 300), /No mail to .* within 300 ms[\s\S]*already taken/);
  });
});
