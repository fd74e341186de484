// Sending the directory's emails (templates in emails.server.ts, declared in the manifest).
import { queueEmail, type MailContext } from "~/core/email/outbox.server";
import type { Locale } from "~/core/tenant/definition";
import type { DirectoryEmail, DirectoryEmails } from "./emails.server";

/** `queueEmail` for the directory's templates, with their variables type-checked. */
export function queueDirectoryEmail<K extends DirectoryEmail>(
  mail: MailContext,
  request: { to: string; template: K; locale: Locale; vars: Parameters<DirectoryEmails[K]>[1] },
): Promise<string> {
  return queueEmail(mail, { ...request, module: "directory" });
}
