// Templates declared by a module in its manifest reach the outbox through the registry,
// rendered with the module's strings, the town's name and the core's signature; links that
// grant access are left out of the copy kept once a mail is really sent.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { createTestTenant } from "../../../db/test/helpers";
import { inTenant } from "../auth/testing";
import { closeDatabase, withTenant } from "../db/db.server";
import { getModule } from "../modules/registry.server";
import { queueEmail } from "./outbox.server";
import { renderModuleEmail } from "./templates.server";

afterAll(async () => {
  delete process.env.SMTP_URL;
  await closeDatabase();
});

const vars = { name: "Zoé <b>", initiative: "AMAP & co", url: "http://t.localhost/initiatives/confirmer?jeton=SECRET-TOKEN" };

describe("module email templates", () => {
  it("are declared in the manifest, not in the core", () => {
    expect(Object.keys(getModule("directory")?.emails ?? {})).toContain("confirmSubmission");
  });

  it("render with the module's strings, in the reader's language, escaped in HTML", () => {
    const fr = renderModuleEmail("directory", "confirmSubmission", { locale: "fr", town: "Ville test", vars });
    expect(fr.subject).toBe("Ville test : confirmez votre proposition d'initiative");
    expect(fr.text).toContain("Bonjour Zoé <b>,");
    expect(fr.text).toContain("« AMAP & co »");
    expect(fr.text).toContain(vars.url);
    // The core's signature closes every mail.
    expect(fr.text).toContain("La plateforme coopérative de Ville test");
    expect(fr.html).toContain("Bonjour Zoé &lt;b&gt;,");
    expect(fr.html).toContain("AMAP &amp; co");
    const en = renderModuleEmail("directory", "confirmSubmission", { locale: "en", town: "Ville test", vars });
    expect(en.subject).toBe("Ville test: confirm your proposed initiative");
  });

  it("refuse an unknown module or template", () => {
    expect(() => renderModuleEmail("directory", "noSuchTemplate", { locale: "fr", town: "T", vars: {} })).toThrow(/noSuchTemplate/);
    expect(() => renderModuleEmail("nosuchmodule", "confirmSubmission", { locale: "fr", town: "T", vars: {} })).toThrow(/nosuchmodule/);
  });

  it("are queued by queueEmail({ module, template }) and kept, link included, without SMTP", async () => {
    const tenant = await createTestTenant();
    await inTenant(tenant, (env) => queueEmail(env, { to: "x@example.org", module: "directory", template: "confirmSubmission", locale: "fr", vars }));
    const [row] = await withTenant(tenant.id, (tx) => tx.selectFrom("outbox_emails").selectAll().execute());
    expect(row.status).toBe("kept");
    expect(row.subject).toBe(`Ville ${tenant.slug} : confirmez votre proposition d'initiative`);
    expect(row.text_body).toContain("SECRET-TOKEN");
  });

  it("keep no copy of a secret link once sent over SMTP", async () => {
    const server = new SMTPServer({ disabledCommands: ["STARTTLS"], authOptional: true, logger: false, onData: (stream, _s, cb) => stream.resume().on("end", () => cb()) });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    try {
      const tenant = await createTestTenant();
      await inTenant(tenant, (env) => queueEmail(env, { to: "y@example.org", module: "directory", template: "confirmSubmission", locale: "fr", vars }));
      const [row] = await withTenant(tenant.id, (tx) => tx.selectFrom("outbox_emails").selectAll().execute());
      expect(row.status).toBe("sent");
      expect(row.text_body).not.toContain("SECRET-TOKEN");
      expect(row.html_body).not.toContain("SECRET-TOKEN");
    } finally {
      delete process.env.SMTP_URL;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
