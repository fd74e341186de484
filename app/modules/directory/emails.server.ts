// The directory's emails, declared in the manifest (`emails`) so the core's outbox renders
// them through the registry. Strings: namespace `directory`, keys `moderation.emails.*`.
// Links that act without an account (confirm, still accurate, edit, answered) are secret:
// the outbox keeps no copy of them once the mail is sent.
// Type imports only: the manifest imports this file, and the outbox reaches the manifest
// through the registry; a runtime import of the outbox here would close that loop.
import type { EmailBlock, ModuleEmailBuilder } from "~/core/email/templates.server";

const greeting = (t: Parameters<ModuleEmailBuilder<never>>[0], name: string | null | undefined): EmailBlock => ({
  text: name ? t("moderation.emails.greeting", { name }) : t("moderation.emails.greetingAnonymous"),
});

export const directoryEmails = {
  confirmSubmission: (t, v: { name: string; initiative: string; url: string }) => ({
    subject: t("moderation.emails.confirmSubmission.subject"),
    blocks: [
      greeting(t, v.name),
      { text: t("moderation.emails.confirmSubmission.body", { initiative: v.initiative }) },
      { link: { label: t("moderation.emails.confirmSubmission.action"), url: v.url, secret: true } },
      { text: t("moderation.emails.confirmSubmission.expiry") },
      { text: t("moderation.emails.confirmSubmission.notYou") },
    ],
  }),
  submissionPublished: (t, v: { name: string | null; initiative: string; url: string }) => ({
    subject: t("moderation.emails.submissionPublished.subject", { initiative: v.initiative }),
    blocks: [
      greeting(t, v.name),
      { text: t("moderation.emails.submissionPublished.body", { initiative: v.initiative }) },
      { link: { label: t("moderation.emails.submissionPublished.action"), url: v.url, secret: false } },
      { text: t("moderation.emails.submissionPublished.freshness") },
    ],
  }),
  changesRequested: (t, v: { name: string | null; initiative: string; message: string; url: string }) => ({
    subject: t("moderation.emails.changesRequested.subject", { initiative: v.initiative }),
    blocks: [
      greeting(t, v.name),
      { text: t("moderation.emails.changesRequested.body", { initiative: v.initiative }) },
      { text: v.message },
      { link: { label: t("moderation.emails.changesRequested.action"), url: v.url, secret: true } },
      { text: t("moderation.emails.changesRequested.expiry") },
    ],
  }),
  submissionRefused: (t, v: { name: string | null; initiative: string; reason: string }) => ({
    subject: t("moderation.emails.submissionRefused.subject", { initiative: v.initiative }),
    blocks: [
      greeting(t, v.name),
      { text: t("moderation.emails.submissionRefused.body", { initiative: v.initiative }) },
      { text: v.reason },
      { text: t("moderation.emails.submissionRefused.contact") },
    ],
  }),
  claimApproved: (t, v: { name: string; initiative: string; organisation: string; url: string }) => ({
    subject: t("moderation.emails.claimApproved.subject", { initiative: v.initiative }),
    blocks: [
      greeting(t, v.name),
      { text: t("moderation.emails.claimApproved.body", { initiative: v.initiative, organisation: v.organisation }) },
      { link: { label: t("moderation.emails.claimApproved.action"), url: v.url, secret: false } },
    ],
  }),
  claimRefused: (t, v: { name: string; initiative: string }) => ({
    subject: t("moderation.emails.claimRefused.subject", { initiative: v.initiative }),
    blocks: [greeting(t, v.name), { text: t("moderation.emails.claimRefused.body", { initiative: v.initiative }) }],
  }),
  freshnessReminder: (t, v: { name: string | null; initiative: string; confirmedOn: string; stillAccurateUrl: string; editUrl: string }) => ({
    subject: t("moderation.emails.freshnessReminder.subject", { initiative: v.initiative }),
    blocks: [
      greeting(t, v.name),
      { text: t("moderation.emails.freshnessReminder.body", { initiative: v.initiative, date: v.confirmedOn }) },
      { text: t("moderation.emails.freshnessReminder.stillAccurate") },
      { link: { label: t("moderation.emails.freshnessReminder.stillAccurateAction"), url: v.stillAccurateUrl, secret: true } },
      { text: t("moderation.emails.freshnessReminder.edit") },
      { link: { label: t("moderation.emails.freshnessReminder.editAction"), url: v.editUrl, secret: true } },
      { text: t("moderation.emails.freshnessReminder.otherwise") },
    ],
  }),
  contactRequest: (
    t,
    v: {
      name: string | null;
      initiative: string;
      requester: string;
      email: string;
      phone: string | null;
      place: string;
      message: string;
      /** The manager's space (managers with an account) or a single-use "answered" link (groups without one). */
      answer: { kind: "space"; url: string } | { kind: "link"; url: string };
    },
  ) => {
    const blocks: EmailBlock[] = [
      greeting(t, v.name),
      { text: t("moderation.emails.contactRequest.body", { initiative: v.initiative, requester: v.requester, place: v.place }) },
      { text: t("moderation.emails.contactRequest.email", { email: v.email }) },
    ];
    if (v.phone) blocks.push({ text: t("moderation.emails.contactRequest.phone", { phone: v.phone }) });
    if (v.message) blocks.push({ text: t("moderation.emails.contactRequest.message") }, { text: v.message });
    blocks.push({ text: t("moderation.emails.contactRequest.consent") });
    if (v.answer.kind === "space") {
      blocks.push({ link: { label: t("moderation.emails.contactRequest.spaceAction"), url: v.answer.url, secret: false } });
    } else {
      blocks.push(
        { text: t("moderation.emails.contactRequest.answeredHelp") },
        { link: { label: t("moderation.emails.contactRequest.answeredAction"), url: v.answer.url, secret: true } },
      );
    }
    return { subject: t("moderation.emails.contactRequest.subject", { initiative: v.initiative }), blocks };
  },
  contactSent: (t, v: { name: string; groups: string; months: number }) => ({
    subject: t("moderation.emails.contactSent.subject"),
    blocks: [
      greeting(t, v.name),
      { text: t("moderation.emails.contactSent.body", { groups: v.groups }) },
      { text: t("moderation.emails.contactSent.retention", { months: v.months }) },
    ],
  }),
} satisfies Record<string, ModuleEmailBuilder<never>>;

export type DirectoryEmails = typeof directoryEmails;
export type DirectoryEmail = keyof DirectoryEmails;
