// A real SMTP server on a random loopback port: the app sends through nodemailer exactly as
// in production, and journeys read what actually went over the wire.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type AddressObject } from "mailparser";

export type CaughtMail = {
  /** Envelope recipients (RCPT TO), lowercased: where the mail was really delivered. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string | null;
  receivedAt: Date;
};

export type MailQuery = {
  to: string;
  /** A string matches when the subject contains it. */
  subject: string | RegExp;
};

export type MailCatcher = {
  url: string;
  port: number;
  readonly mails: readonly CaughtMail[];
  /**
   * The oldest matching mail not returned by an earlier call, waiting for it if needed, so
   * that a journey sending the same kind of mail twice gets each one in turn.
   */
  waitForMail: (query: MailQuery, timeoutMs?: number) => Promise<CaughtMail>;
  stop: () => Promise<void>;
};

function addresses(field: AddressObject | AddressObject[] | undefined): string {
  if (!field) return "";
  return (Array.isArray(field) ? field : [field]).map((a) => a.text).join(", ");
}

function matches(mail: CaughtMail, query: MailQuery) {
  if (!mail.to.includes(query.to.toLowerCase())) return false;
  return typeof query.subject === "string" ? mail.subject.includes(query.subject) : query.subject.test(mail.subject);
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: CaughtMail[] = [];
  const taken = new Set<CaughtMail>();
  const listeners = new Set<() => void>();

  const server = new SMTPServer({
    // The app talks plain SMTP to a loopback catcher: no certificate to trust, no account.
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: "e2e" }),
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: addresses(parsed.from),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : null,
            receivedAt: new Date(),
          });
          for (const notify of listeners) notify();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  const take = (query: MailQuery) => {
    const found = mails.find((m) => !taken.has(m) && matches(m, query));
    if (found) taken.add(found);
    return found;
  };

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    waitForMail(query, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = take(query);
          if (!found) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          const seen = mails.map((m) => `  - to ${m.to.join(", ")}: "${m.subject}"${taken.has(m) ? " (already taken)" : ""}`);
          reject(
            new Error(
              `No mail to ${query.to} with subject ${String(query.subject)} within ${timeoutMs} ms. ` +
                (seen.length ? `Received:\n${seen.join("\n")}` : "No mail was received at all."),
            ),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
