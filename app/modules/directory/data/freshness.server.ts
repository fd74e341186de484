// Freshness of the published listings. Every `freshnessMonths` after a listing was last
// confirmed, its managers (or its submitter while nobody claimed it) get a reminder with a
// one-click "still accurate" link and an edit link. `toCheckAfterDays` after the reminder
// without an answer the listing is marked "to be checked"; `hideAfterDays` later it is
// hidden from the map and the list (never deleted) until someone confirms it.
//
// Every date is compared with the `now` given by the caller (the job's clock), and every
// step is a conditional update: a run repeated at the same instant finds nothing left to do,
// and two runs at once cannot both remind the same listing (rows are claimed with
// FOR UPDATE SKIP LOCKED, then stamped).
import { sql, type Expression, type SqlBool } from "kysely";
import type { MailContext } from "~/core/email/outbox.server";
import type { Tx } from "~/core/db/db.server";
import type { Locale } from "~/core/tenant/definition";
import { formatDate } from "~/core/ui/format";
import { queueDirectoryEmail } from "../mail.server";
import type { DirectorySettings } from "../schemas";
import { listingRecipients } from "./claims.server";
import { consumeLink, issueLink } from "./links.server";
import { readInitiative, recordRevision, SYSTEM_ACTOR, type Actor, type InitiativeRow } from "./revisions.server";

export type FreshnessSettings = Pick<DirectorySettings, "freshnessMonths" | "toCheckAfterDays" | "hideAfterDays">;

export type FreshnessContext = {
  tenant: { id: string; name: string; defaultLocale: Locale; timeZone: string };
  settings: FreshnessSettings;
  now: Date;
  /** Scheme and host of the tenant, for the links in the reminders. */
  origin: string;
  mail: MailContext;
};

/** Reminders sent in one run at most; the next run takes the rest. */
export const REMINDER_BATCH = 500;

/**
 * Emails the listing's recipients a reminder, each with their own links. Returns how many
 * mails were queued (none when the listing has no address at all: it will then go to
 * "to be checked" and staff see it in the freshness report).
 */
export async function remindListing(tx: Tx, listing: InitiativeRow, ctx: Omit<FreshnessContext, "settings">): Promise<number> {
  const recipients = await listingRecipients(tx, listing, ctx.tenant.defaultLocale);
  for (const r of recipients) {
    const stillAccurate = await issueLink(tx, ctx.tenant.id, listing.id, "still_accurate", { now: ctx.now });
    const edit = await issueLink(tx, ctx.tenant.id, listing.id, "edit", { now: ctx.now });
    await queueDirectoryEmail(ctx.mail, {
      to: r.email,
      template: "freshnessReminder",
      locale: r.locale,
      vars: {
        name: r.name,
        initiative: listing.name,
        confirmedOn: formatDate(listing.confirmed_at, ctx.tenant.timeZone),
        stillAccurateUrl: `${ctx.origin}/initiatives/lien?jeton=${stillAccurate}`,
        editUrl: `${ctx.origin}/initiatives/lien?jeton=${edit}`,
      },
    });
  }
  return recipients.length;
}

export type FreshnessRun = { reminded: number; emails: number; toCheck: number; hidden: number };

export async function runFreshness(tx: Tx, ctx: FreshnessContext): Promise<FreshnessRun> {
  const { now, settings } = ctx;
  const at = sql<Date>`${now}::timestamptz`;
  const due = await tx
    .updateTable("directory_initiatives")
    .set({ reminder_sent_at: now })
    .where("id", "in", (eb) =>
      eb
        .selectFrom("directory_initiatives")
        .select("id")
        .where("status", "=", "published")
        .where("confirmed_at", "<=", sql<Date>`${at} - make_interval(months => ${settings.freshnessMonths})`)
        .where((w) => w.or([w("reminder_sent_at", "is", null), w("reminder_sent_at", "<", w.ref("confirmed_at"))]))
        .orderBy("confirmed_at")
        .limit(REMINDER_BATCH)
        .forUpdate()
        .skipLocked(),
    )
    .returning("id")
    .execute();
  let emails = 0;
  for (const { id } of due) {
    const listing = await readInitiative(tx, id);
    if (!listing) continue;
    emails += await remindListing(tx, listing, ctx);
    await recordRevision(tx, id, "reminder_sent", SYSTEM_ACTOR, now);
  }

  // Unanswered since the reminder: a reminder counts only if it came after the last confirmation.
  const answeredSince = (days: number) =>
    sql<boolean>`reminder_sent_at is not null and reminder_sent_at >= confirmed_at and reminder_sent_at <= ${at} - make_interval(days => ${days})`;
  const toCheck = await tx
    .updateTable("directory_initiatives")
    .set({ freshness: "to_check" })
    .where("status", "=", "published")
    .where("freshness", "=", "fresh")
    .where(answeredSince(settings.toCheckAfterDays))
    .returning("id")
    .execute();
  for (const { id } of toCheck) await recordRevision(tx, id, "marked_to_check", SYSTEM_ACTOR, now);

  const hidden = await tx
    .updateTable("directory_initiatives")
    .set({ freshness: "hidden" })
    .where("status", "=", "published")
    .where("freshness", "=", "to_check")
    .where(answeredSince(settings.toCheckAfterDays + settings.hideAfterDays))
    .returning("id")
    .execute();
  for (const { id } of hidden) await recordRevision(tx, id, "hidden", SYSTEM_ACTOR, now);

  return { reminded: due.length, emails, toCheck: toCheck.length, hidden: hidden.length };
}

/** "Still accurate": confirmed now, fresh again (shown again if it was hidden). */
export async function confirmFreshness(tx: Tx, id: string, actor: Actor, now = new Date()) {
  await tx.updateTable("directory_initiatives").set({ confirmed_at: now, freshness: "fresh", updated_at: now }).where("id", "=", id).execute();
  await recordRevision(tx, id, "freshness_confirmed", actor, now);
}

/**
 * A reminder sent now by staff, whatever the date: its answer delays apply from now.
 * Returns the number of mails queued, or null when the listing is not published.
 */
export async function sendReminderNow(tx: Tx, id: string, ctx: Omit<FreshnessContext, "settings">, actor: Actor): Promise<number | null> {
  const listing = await readInitiative(tx, id, { lock: true });
  if (!listing || listing.status !== "published") return null;
  await tx.updateTable("directory_initiatives").set({ reminder_sent_at: ctx.now }).where("id", "=", id).execute();
  const emails = await remindListing(tx, listing, ctx);
  await recordRevision(tx, id, "reminder_sent", actor, ctx.now);
  return emails;
}

/** Staff or a manager confirm a published listing without a link; false when it is not published. */
export async function confirmListing(tx: Tx, id: string, actor: Actor, now = new Date()): Promise<boolean> {
  const listing = await readInitiative(tx, id, { lock: true });
  if (!listing || listing.status !== "published") return false;
  await confirmFreshness(tx, id, actor, now);
  return true;
}

export type LinkConfirmation = { status: "confirmed"; id: string; name: string } | { status: "used" | "expired" | "invalid" };

/** The one-click link of a reminder. */
export async function confirmFreshnessByLink(tx: Tx, token: string, now = new Date()): Promise<LinkConfirmation> {
  const link = await consumeLink(tx, token, ["still_accurate"], now);
  if (link.status !== "valid") return { status: link.status };
  const listing = await readInitiative(tx, link.initiativeId, { lock: true });
  if (!listing || listing.status !== "published") return { status: "invalid" };
  await confirmFreshness(tx, listing.id, { userId: null, label: "@email-link" }, now);
  return { status: "confirmed", id: listing.id, name: listing.name };
}

export type FreshnessReportRow = {
  id: string;
  name: string;
  freshness: string;
  confirmed_at: Date;
  reminder_sent_at: Date | null;
  organisation_id: string | null;
  neighbourhood: string | null;
  organisation_name: string | null;
  has_address: boolean;
};

/**
 * The freshness report: counts of published listings by freshness, and the ones needing
 * attention, among the listings `allowed` keeps (a filter over the table, given its alias).
 */
export async function freshnessReport(tx: Tx, allowed: (alias?: string) => Expression<SqlBool>) {
  const counts = await tx
    .selectFrom("directory_initiatives")
    .select(["freshness", (eb) => eb.fn.countAll<string>().as("n")])
    .where("status", "=", "published")
    .where(allowed())
    .groupBy("freshness")
    .execute();
  const byFreshness = { fresh: 0, to_check: 0, hidden: 0 };
  for (const c of counts) byFreshness[c.freshness] = Number(c.n);
  const rows = (await tx
    .selectFrom("directory_initiatives as i")
    .leftJoin("organisations as o", (j) => j.onRef("o.tenant_id", "=", "i.tenant_id").onRef("o.id", "=", "i.organisation_id"))
    .select([
      "i.id",
      "i.name",
      "i.freshness",
      "i.confirmed_at",
      "i.reminder_sent_at",
      "i.organisation_id",
      "i.neighbourhood",
      "o.name as organisation_name",
      sql<boolean>`(i.organisation_id is not null or i.submitter_email is not null or i.contact_email is not null)`.as("has_address"),
    ])
    .where("i.status", "=", "published")
    .where(allowed("i"))
    .where((eb) =>
      eb.or([
        eb("i.freshness", "<>", "fresh"),
        // Reminded and not answered yet.
        eb.and([eb("i.reminder_sent_at", "is not", null), eb("i.reminder_sent_at", ">=", eb.ref("i.confirmed_at"))]),
      ]),
    )
    .orderBy("i.confirmed_at")
    .limit(500)
    .execute()) as FreshnessReportRow[];
  const oldest = await tx
    .selectFrom("directory_initiatives")
    .select(["id", "name", "confirmed_at", "freshness", "organisation_id", "neighbourhood"])
    .where("status", "=", "published")
    .where("freshness", "=", "fresh")
    .where(allowed())
    .where((eb) => eb.or([eb("reminder_sent_at", "is", null), eb("reminder_sent_at", "<", eb.ref("confirmed_at"))]))
    .orderBy("confirmed_at")
    .limit(20)
    .execute();
  return {
    counts: byFreshness,
    hidden: rows.filter((r) => r.freshness === "hidden"),
    toCheck: rows.filter((r) => r.freshness === "to_check"),
    awaiting: rows.filter((r) => r.freshness === "fresh"),
    oldest,
  };
}
