// Outgoing mail. Every email is first a row of `outbox_emails`, written in the caller's
// transaction, so a rolled-back action sends nothing. With SMTP_URL the row is `pending`
// and is sent once the transaction has committed, then marked `sent` or `failed`. Without
// SMTP_URL it is `kept`: staff read it in the app (/admin/outbox), which is how an offline
// demo works.
import nodemailer, { type Transporter } from "nodemailer";
import { withTenant, type Tx } from "../db/db.server";
import type { TenantContext } from "../tenant/tenant.server";
import type { Locale } from "../tenant/definition";
import { renderEmail, renderModuleEmail, type EmailTemplate, type EmailTemplates } from "./templates.server";

export const DEFAULT_MAIL_FROM = "Communa <no-reply@communa.localhost>";

export type MailContext = {
  tx: Tx;
  tenant: Pick<TenantContext, "id" | "name">;
  afterCommit: (fn: () => Promise<void> | void) => void;
};

export type EmailRequest<K extends EmailTemplate> = { to: string; template: K; locale: Locale; vars: EmailTemplates[K] };
/** A template declared by a module in its manifest (`emails`), found through the registry. */
export type ModuleEmailRequest = { to: string; module: string; template: string; locale: Locale; vars: unknown };

// One transport per SMTP URL and process: nodemailer keeps its connection settings there.
const transports = new Map<string, Transporter>();
function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
}

export async function queueEmail<K extends EmailTemplate>(mail: MailContext, request: EmailRequest<K>): Promise<string>;
export async function queueEmail(mail: MailContext, request: ModuleEmailRequest): Promise<string>;
export async function queueEmail(
  { tx, tenant, afterCommit }: MailContext,
  request: EmailRequest<EmailTemplate> | ModuleEmailRequest,
): Promise<string> {
  const { to, locale } = request;
  const smtpUrl = process.env.SMTP_URL || undefined;
  const render = (redactSecrets: boolean) =>
    "module" in request
      ? renderModuleEmail(request.module, request.template, { locale, town: tenant.name, vars: request.vars, redactSecrets })
      : renderEmail(request.template, { locale, town: tenant.name, vars: request.vars, redactSecrets });
  const message = render(false);
  // A sent mail's stored copy loses its access links: the mailbox is their only holder.
  const stored = smtpUrl ? render(true) : message;
  const row = await tx
    .insertInto("outbox_emails")
    .values({
      tenant_id: tenant.id,
      to_address: to,
      subject: stored.subject,
      text_body: stored.text,
      html_body: stored.html,
      status: smtpUrl ? "pending" : "kept",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (smtpUrl) {
    afterCommit(() => deliver(smtpUrl, tenant.id, row.id, { to, ...message }));
  }
  return row.id;
}

async function deliver(smtpUrl: string, tenantId: string, id: string, message: { to: string; subject: string; text: string; html: string }) {
  try {
    await transportFor(smtpUrl).sendMail({ from: process.env.MAIL_FROM || DEFAULT_MAIL_FROM, ...message });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await withTenant(tenantId, (tx) =>
      tx.updateTable("outbox_emails").set({ status: "failed", error: reason.slice(0, 1000) }).where("id", "=", id).execute(),
    );
    throw error;
  }
  await withTenant(tenantId, (tx) =>
    tx.updateTable("outbox_emails").set({ status: "sent", sent_at: new Date(), error: null }).where("id", "=", id).execute(),
  );
}

export const OUTBOX_PAGE_SIZE = 50;

export async function listOutbox(tx: Tx, page: number) {
  const rows = await tx
    .selectFrom("outbox_emails")
    .select(["id", "to_address", "subject", "status", "created_at"])
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(OUTBOX_PAGE_SIZE + 1)
    .offset((page - 1) * OUTBOX_PAGE_SIZE)
    .execute();
  return { emails: rows.slice(0, OUTBOX_PAGE_SIZE), hasMore: rows.length > OUTBOX_PAGE_SIZE };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getOutboxEmail(tx: Tx, id: string) {
  if (!UUID.test(id)) return undefined;
  return tx
    .selectFrom("outbox_emails")
    .select(["id", "to_address", "subject", "text_body", "status", "error", "created_at", "sent_at"])
    .where("id", "=", id)
    .executeTakeFirst();
}
