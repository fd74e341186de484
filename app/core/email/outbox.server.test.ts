// Mail through a real SMTP server on a loopback port (smtp-server), read back with
// mailparser: what leaves the platform, and what the outbox keeps.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { getArgs, postArgs, respond } from "../auth/testing";
import { closeDatabase, withTenant } from "../db/db.server";
import { action as signUpAction } from "../../routes/inscription";
import { loader as verifyLoader } from "../../routes/verifier-email";
import { queueEmail } from "./outbox.server";
import { inTenant } from "../auth/testing";

type Received = { envelopeTo: string[]; mail: ParsedMail };

let server: SMTPServer;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await closeDatabase();
});

afterEach(() => {
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
});

const mailTo = (address: string) => received.filter((r) => r.envelopeTo.includes(address));
const outboxRows = (tenant: TestTenant) => withTenant(tenant.id, (tx) => tx.selectFrom("outbox_emails").selectAll().orderBy("created_at").execute());

describe("with SMTP_URL", () => {
  it("sends the verification mail with the town's name and a link that verifies the account", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    process.env.MAIL_FROM = "Mairie test <ne-pas-repondre@example.org>";
    const tenant = await createTestTenant();
    const town = `Ville ${tenant.slug}`;
    const response = await respond(() =>
      signUpAction(
        postArgs(tenant, "/inscription", { email: "smtp@example.org", displayName: "Zoé <b>& co</b>", password: "correct horse battery", confirmPassword: "correct horse battery" }),
      ),
    );
    expect(response.status).toBe(302);

    const [{ mail }] = mailTo("smtp@example.org");
    expect(mail.subject).toBe(`${town} : confirmez votre adresse e-mail`);
    expect(mail.from?.text).toBe('"Mairie test" <ne-pas-repondre@example.org>');
    expect(mail.text).toContain(town);
    expect(mail.text).toContain("Bonjour Zoé <b>& co</b>,");
    // The HTML part escapes what people typed.
    expect(mail.html).toContain("Bonjour Zoé &lt;b&gt;&amp; co&lt;/b&gt;,");
    expect(mail.html).not.toContain("<b>& co</b>");
    expect(mail.html).toContain(town);

    const link = new URL(mail.text!.match(/http:\/\/\S+\/verifier-email\?token=\S+/)![0]);
    expect(link.host).toBe(tenant.host);
    const verified = await respond(() => verifyLoader(getArgs(tenant, link.pathname + link.search)));
    expect(verified.headers.get("location")).toBe("/verifier-email?etat=confirmee");
    const user = await withTenant(tenant.id, (tx) => tx.selectFrom("users").select("email_verified_at").where("email", "=", "smtp@example.org").executeTakeFirstOrThrow());
    expect(user.email_verified_at).toBeInstanceOf(Date);

    const [row] = await outboxRows(tenant);
    expect(row.status).toBe("sent");
    expect(row.sent_at).toBeInstanceOf(Date);
    // The stored copy has lost the access link: only the mailbox holds it.
    expect(row.text_body).not.toContain(link.searchParams.get("token"));
    expect(row.html_body).not.toContain(link.searchParams.get("token"));
    expect(row.text_body).toContain("lien retiré");
  });

  it("marks the mail failed, with the error, when the SMTP server cannot be reached", async () => {
    const closed = new SMTPServer({ disabledCommands: ["STARTTLS"], authOptional: true, logger: false });
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.SMTP_URL = `smtp://127.0.0.1:${deadPort}`;

    const tenant = await createTestTenant();
    await expect(
      inTenant(tenant, (env) => queueEmail(env, { to: "x@example.org", template: "emailChanged", locale: "en", vars: { name: "X", newEmail: "y@example.org" } })),
    ).rejects.toThrow(/ECONNREFUSED/);
    const [row] = await outboxRows(tenant);
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/ECONNREFUSED/);
    expect(row.subject).toBe(`Ville ${tenant.slug}: your account's email address has changed`);
  });

  it("sends nothing when the transaction that queued the mail rolls back", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    const tenant = await createTestTenant();
    await expect(
      inTenant(tenant, async (env) => {
        await queueEmail(env, { to: "rollback@example.org", template: "emailChanged", locale: "fr", vars: { name: "R", newEmail: "r@example.org" } });
        throw new Error("the action failed after queueing");
      }),
    ).rejects.toThrow("the action failed");
    expect(mailTo("rollback@example.org")).toEqual([]);
    expect(await outboxRows(tenant)).toEqual([]);
  });
});

describe("without SMTP_URL", () => {
  it("keeps the mail, link included, in the outbox for staff to read", async () => {
    const tenant = await createTestTenant();
    const before = received.length;
    await respond(() =>
      signUpAction(postArgs(tenant, "/inscription", { email: "kept@example.org", displayName: "Kept", password: "correct horse battery", confirmPassword: "correct horse battery" })),
    );
    const [row] = await outboxRows(tenant);
    expect(row.status).toBe("kept");
    expect(row.to_address).toBe("kept@example.org");
    expect(row.subject).toContain(`Ville ${tenant.slug}`);
    expect(row.text_body).toMatch(new RegExp(`http://${tenant.host}/verifier-email\\?token=[A-Za-z0-9_-]{43}`));
    expect(row.html_body).toContain(`href="http://${tenant.host}/verifier-email?token=`);
    expect(received.length).toBe(before);
  });
});
