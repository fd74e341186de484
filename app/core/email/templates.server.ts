// Every email the platform sends, translated, with a text and an HTML part built from the
// same blocks. Values are HTML-escaped in the HTML part; links are absolute (built by the
// caller from the tenant host of the request). The core's own templates are below
// (namespace `email`); a module declares its templates in its manifest (`emails`, strings
// from the module's namespace) and they are found through the registry.
import type { TFunction } from "i18next";
import { tFor } from "../i18n/i18n.server";
import { getModule } from "../modules/registry.server";
import type { Locale } from "../tenant/definition";

/** `secret`: a link that grants access (a token), kept out of the copy stored once the mail is sent. */
export type EmailLink = { label: string; url: string; secret: boolean };
export type EmailBlock = { text: string } | { link: EmailLink };
type Block = EmailBlock;

/**
 * A module's template: `t` is bound to the module's namespace, with `town` interpolated.
 * The core adds the platform's signature lines after the blocks.
 */
export type ModuleEmailBuilder<V> = (t: TFunction, vars: V) => { subject: string; blocks: EmailBlock[] };

export type EmailTemplates = {
  verifyEmail: { name: string; url: string };
  accountExists: { signInUrl: string; resetUrl: string };
  resetPassword: { name: string; url: string };
  changeEmail: { name: string; url: string; newEmail: string };
  emailChanged: { name: string; newEmail: string };
  invitation: { role: string; url: string; days: number };
};
export type EmailTemplate = keyof EmailTemplates;

type Builder<V> = (t: TFunction, v: V) => Block[];

const builders: { [K in EmailTemplate]: Builder<EmailTemplates[K]> } = {
  verifyEmail: (t, v) => [
    { text: t("greeting", { name: v.name }) },
    { text: t("verifyEmail.body") },
    { link: { label: t("verifyEmail.action"), url: v.url, secret: true } },
    { text: t("verifyEmail.expiry") },
    { text: t("verifyEmail.notYou") },
  ],
  accountExists: (t, v) => [
    { text: t("accountExists.body") },
    { text: t("accountExists.signIn") },
    { link: { label: t("accountExists.signInAction"), url: v.signInUrl, secret: false } },
    { text: t("accountExists.reset") },
    { link: { label: t("accountExists.resetAction"), url: v.resetUrl, secret: false } },
    { text: t("accountExists.notYou") },
  ],
  resetPassword: (t, v) => [
    { text: t("greeting", { name: v.name }) },
    { text: t("resetPassword.body") },
    { link: { label: t("resetPassword.action"), url: v.url, secret: true } },
    { text: t("resetPassword.expiry") },
    { text: t("resetPassword.notYou") },
  ],
  changeEmail: (t, v) => [
    { text: t("greeting", { name: v.name }) },
    { text: t("changeEmail.body", { email: v.newEmail }) },
    { link: { label: t("changeEmail.action"), url: v.url, secret: true } },
    { text: t("changeEmail.expiry") },
    { text: t("changeEmail.notYou") },
  ],
  emailChanged: (t, v) => [
    { text: t("greeting", { name: v.name }) },
    { text: t("emailChanged.body", { email: v.newEmail }) },
    { text: t("emailChanged.notYou") },
  ],
  invitation: (t, v) => [
    { text: t("invitation.greeting") },
    { text: t("invitation.body", { role: v.role }) },
    { link: { label: t("invitation.action"), url: v.url, secret: true } },
    { text: t("invitation.expiry", { count: v.days }) },
    { text: t("invitation.notYou") },
  ],
};

export type RenderedEmail = { subject: string; text: string; html: string };

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

type RenderOptions = { locale: Locale; town: string; redactSecrets?: boolean };

/** A namespace's `t` with the town's name available to every string. */
function townT(locale: Locale, ns: string, town: string): TFunction {
  const base = tFor(locale, ns);
  return ((key: string, values?: Record<string, unknown>) => base(key, { town, ...values })) as TFunction;
}

/**
 * Renders a template. With `redactSecrets`, links that grant access are replaced by a
 * notice: that is the copy the outbox keeps of a mail actually sent over SMTP.
 */
export function renderEmail<K extends EmailTemplate>(template: K, options: RenderOptions & { vars: EmailTemplates[K] }): RenderedEmail {
  const t = townT(options.locale, "email", options.town);
  const blocks = (builders[template] as Builder<EmailTemplates[K]>)(t, options.vars);
  return renderBlocks(t(`${template}.subject`), blocks, options);
}

/** Renders a template a module declared in its manifest; throws on an unknown module or template. */
export function renderModuleEmail(moduleId: string, template: string, options: RenderOptions & { vars: unknown }): RenderedEmail {
  const builder = getModule(moduleId)?.emails?.[template];
  if (!builder) throw new Error(`no email template "${template}" in module "${moduleId}"`);
  const { subject, blocks } = builder(townT(options.locale, moduleId, options.town), options.vars as never);
  return renderBlocks(subject, blocks, options);
}

function renderBlocks(subject: string, body: EmailBlock[], options: RenderOptions): RenderedEmail {
  const t = townT(options.locale, "email", options.town);
  const blocks = [...body, { text: t("signature") }, { text: t("automatic") }];
  const redacted = t("redacted");
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  for (const block of blocks) {
    if ("text" in block) {
      textParts.push(block.text);
      htmlParts.push(`<p>${escapeHtml(block.text)}</p>`);
    } else if (options.redactSecrets && block.link.secret) {
      textParts.push(`${block.link.label}\n${redacted}`);
      htmlParts.push(`<p>${escapeHtml(block.link.label)}<br>${escapeHtml(redacted)}</p>`);
    } else {
      textParts.push(`${block.link.label}\n${block.link.url}`);
      htmlParts.push(
        `<p><a href="${escapeHtml(block.link.url)}">${escapeHtml(block.link.label)}</a></p>` +
          `<p>${escapeHtml(t("linkFallback"))}<br>${escapeHtml(block.link.url)}</p>`,
      );
    }
  }
  const html =
    `<!doctype html><html lang="${options.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body>${htmlParts.join("\n")}</body></html>`;
  return { subject, text: textParts.join("\n\n") + "\n", html };
}
