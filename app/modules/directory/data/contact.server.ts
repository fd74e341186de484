// Joining a group near home. A resident says where they live and what they look for, sees
// the nearest matching published groups, picks some and consents to share their contact
// with them. Each chosen group hears of it by email (its managers, or its submitter/contact
// address while unclaimed) and marks it answered. Requests nobody answers within the
// town's delay go to staff, who route them to another group. The contact details are
// erased after the town's retention period; the request itself stays, anonymous, for the
// statistics. Requests and answers are events of the core log.
//
// No geocoding service is reachable from the platform: the reference point is the
// position the resident gives (typed, or from their browser), else the centre of a
// neighbourhood (mean position of its listings), else the town's map centre.
import { sql, type Expression, type SqlBool } from "kysely";
import type { Tx } from "~/core/db/db.server";
import type { MailContext } from "~/core/email/outbox.server";
import { recordEvent } from "~/core/events.server";
import type { Locale } from "~/core/tenant/definition";
import { queueDirectoryEmail } from "../mail.server";
import type { RuleAttributes } from "./access.server";
import { listingRecipients } from "./claims.server";
import { distanceMetres } from "./geo.server";
import { consumeLink, issueLink } from "./links.server";
import { isUuid } from "./listing.server";

export type Point = { latitude: number; longitude: number };

/** Neighbourhoods named by published listings, with the mean position of those listings. */
export async function neighbourhoodCentres(tx: Tx): Promise<Array<Point & { name: string }>> {
  const rows = await tx
    .selectFrom("directory_initiatives")
    .select(["neighbourhood", sql<number>`avg(latitude)`.as("latitude"), sql<number>`avg(longitude)`.as("longitude")])
    .where("status", "=", "published")
    .where("freshness", "<>", "hidden")
    .where("neighbourhood", "is not", null)
    .where("latitude", "is not", null)
    .groupBy("neighbourhood")
    .orderBy("neighbourhood")
    .execute();
  return rows.map((r) => ({ name: r.neighbourhood as string, latitude: Number(r.latitude), longitude: Number(r.longitude) }));
}

export type NearbyGroup = { id: string; name: string; kind: string; address: string; neighbourhood: string | null; distanceM: number };

export const NEARBY_LIMIT = 10;

/**
 * The published, visible groups `allowed` keeps (over the table, unaliased) nearest to
 * `from`, matching the kind and the layer when given.
 */
export async function nearestGroups(tx: Tx, from: Point, filter: { kind?: string; layer?: string }, allowed: Expression<SqlBool>, limit = NEARBY_LIMIT): Promise<NearbyGroup[]> {
  let query = tx
    .selectFrom("directory_initiatives")
    .select([
      "id",
      "name",
      "kind",
      "address",
      "neighbourhood",
      distanceMetres(from.latitude, from.longitude, sql.ref("latitude"), sql.ref("longitude")).as("distance"),
    ])
    .where("status", "=", "published")
    .where("freshness", "<>", "hidden")
    .where("latitude", "is not", null)
    .where(allowed);
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  if (filter.layer) query = query.where(sql<boolean>`${filter.layer} = any(layers)`);
  const rows = await query.orderBy("distance").orderBy("name").limit(limit).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, address: r.address, neighbourhood: r.neighbourhood, distanceM: Math.round(Number(r.distance)) }));
}

export type ContactInput = {
  userId: string | null;
  name: string;
  email: string;
  phone: string | null;
  place: string;
  position: Point | null;
  kind: string | null;
  layer: string | null;
  message: string;
  targetIds: string[];
  locale: Locale;
};

export class ContactRefused extends Error {
  constructor(readonly code: "unknownGroup" | "notFound" | "alreadyAnswered" | "alreadyTargeted" | "closed") {
    super(`contact request refused: ${code}`);
  }
}

type TargetListing = { id: string; name: string; organisation_id: string | null; submitter_name: string | null; submitter_email: string | null; contact_name: string | null; contact_email: string | null };

/** The published, visible listings among `ids` that `allowed` keeps (unaliased). */
async function visibleListings(tx: Tx, ids: string[], allowed: Expression<SqlBool>): Promise<TargetListing[]> {
  if (ids.length === 0 || !ids.every(isUuid)) return [];
  return tx
    .selectFrom("directory_initiatives")
    .select(["id", "name", "organisation_id", "submitter_name", "submitter_email", "contact_name", "contact_email"])
    .where("id", "in", ids)
    .where("status", "=", "published")
    .where("freshness", "<>", "hidden")
    .where(allowed)
    .orderBy("name")
    .execute();
}

export type MailEnv = { mail: MailContext; origin: string; defaultLocale: Locale };

/** Emails one chosen group about the request. */
async function notifyTarget(tx: Tx, env: MailEnv, request: { id: string; tenant_id: string; name: string | null; email: string | null; phone: string | null; place: string; message: string }, listing: TargetListing) {
  const recipients = await listingRecipients(tx, listing, env.defaultLocale);
  for (const r of recipients) {
    const answer =
      r.kind === "manager"
        ? ({ kind: "space", url: `${env.origin}/initiatives/mon-espace` } as const)
        : ({
            kind: "link",
            url: `${env.origin}/initiatives/lien?jeton=${await issueLink(tx, request.tenant_id, listing.id, "contact_answered", { requestId: request.id })}`,
          } as const);
    await queueDirectoryEmail(env.mail, {
      to: r.email,
      template: "contactRequest",
      locale: r.locale,
      vars: {
        name: r.name,
        initiative: listing.name,
        requester: request.name ?? "",
        email: request.email ?? "",
        phone: request.phone,
        place: request.place,
        message: request.message,
        answer,
      },
    });
  }
}

/**
 * Stores the request with the resident's consent (now) and its targets, writes the event,
 * emails every chosen group and the resident. Throws before writing if a chosen group is
 * not a visible published listing that `readable` (the resident's read rules) keeps.
 */
export async function createContactRequest(
  tx: Tx,
  tenantId: string,
  input: ContactInput,
  env: MailEnv & { retentionMonths: number; readable: Expression<SqlBool>; now?: Date },
) {
  const now = env.now ?? new Date();
  const targets = await visibleListings(tx, [...new Set(input.targetIds)], env.readable);
  if (targets.length === 0 || targets.length !== new Set(input.targetIds).size) throw new ContactRefused("unknownGroup");
  const request = await tx
    .insertInto("directory_contact_requests")
    .values({
      tenant_id: tenantId,
      user_id: input.userId,
      name: input.name,
      email: input.email,
      phone: input.phone,
      place: input.place,
      latitude: input.position?.latitude ?? null,
      longitude: input.position?.longitude ?? null,
      kind: input.kind,
      layer: input.layer,
      message: input.message,
      consent_at: now,
      created_at: now,
      purge_after: sql<Date>`${now}::timestamptz + make_interval(months => ${env.retentionMonths})`,
    })
    .returning(["id", "tenant_id", "name", "email", "phone", "place", "message"])
    .executeTakeFirstOrThrow();
  await tx
    .insertInto("directory_contact_targets")
    .values(targets.map((t) => ({ tenant_id: tenantId, request_id: request.id, initiative_id: t.id, sent_at: now })))
    .execute();
  await recordEvent(tx, {
    module: "directory",
    kind: "contact_requested",
    actorId: input.userId,
    subjectType: "ContactRequest",
    subjectId: request.id,
    quantities: { groups: targets.length },
    occurredAt: now,
  });
  for (const target of targets) await notifyTarget(tx, env, request, target);
  await queueDirectoryEmail(env.mail, {
    to: input.email,
    template: "contactSent",
    locale: input.locale,
    vars: { name: input.name, groups: targets.map((t) => t.name).join(", "), months: env.retentionMonths },
  });
  return { id: request.id, targets: targets.map((t) => ({ id: t.id, name: t.name })) };
}

/** Requests sent to the listings of these organisations that `editable` keeps (alias `i`), newest first. */
export async function requestsForOrganisations(tx: Tx, organisationIds: string[], editable: Expression<SqlBool>) {
  if (organisationIds.length === 0) return [];
  return tx
    .selectFrom("directory_contact_targets as t")
    .innerJoin("directory_contact_requests as r", (j) => j.onRef("r.tenant_id", "=", "t.tenant_id").onRef("r.id", "=", "t.request_id"))
    .innerJoin("directory_initiatives as i", (j) => j.onRef("i.tenant_id", "=", "t.tenant_id").onRef("i.id", "=", "t.initiative_id"))
    .select([
      "r.id as request_id",
      "i.id as initiative_id",
      "i.name as initiative_name",
      "r.name",
      "r.email",
      "r.phone",
      "r.place",
      "r.message",
      "r.purged_at",
      "t.sent_at",
      "t.answered_at",
    ])
    .where("i.organisation_id", "in", organisationIds)
    .where(editable)
    .orderBy("t.sent_at", "desc")
    .limit(200)
    .execute();
}

/** Who answers: an account answers only for the listings `allowed` accepts; a link for its own. */
export type Answerer = { userId: string | null; allowed?: (listing: RuleAttributes) => boolean };

/**
 * Marks the request answered by this group. The target row is locked: of two managers
 * clicking at once, one answers and the other is told it is done.
 */
export async function markAnswered(tx: Tx, requestId: string, initiativeId: string, answerer: Answerer, now = new Date()) {
  if (!isUuid(requestId) || !isUuid(initiativeId)) throw new ContactRefused("notFound");
  const target = await tx
    .selectFrom("directory_contact_targets as t")
    .innerJoin("directory_initiatives as i", (j) => j.onRef("i.tenant_id", "=", "t.tenant_id").onRef("i.id", "=", "t.initiative_id"))
    .select(["t.answered_at", "i.status", "i.organisation_id", "i.neighbourhood"])
    .where("t.request_id", "=", requestId)
    .where("t.initiative_id", "=", initiativeId)
    .forUpdate()
    .executeTakeFirst();
  if (!target) throw new ContactRefused("notFound");
  if (answerer.allowed && !answerer.allowed(target)) throw new ContactRefused("notFound");
  if (target.answered_at) throw new ContactRefused("alreadyAnswered");
  await tx
    .updateTable("directory_contact_targets")
    .set({ answered_at: now, answered_by: answerer.userId })
    .where("request_id", "=", requestId)
    .where("initiative_id", "=", initiativeId)
    .execute();
  await tx.updateTable("directory_contact_requests").set({ status: "answered" }).where("id", "=", requestId).where("status", "in", ["open", "routed"]).execute();
  await recordEvent(tx, { module: "directory", kind: "contact_answered", actorId: answerer.userId, subjectType: "ContactRequest", subjectId: requestId, occurredAt: now });
}

export type AnswerByLink = { status: "answered"; initiative: string } | { status: "used" | "expired" | "invalid" };

/** The "I have answered" link of a group without an account. */
export async function markAnsweredByLink(tx: Tx, token: string, now = new Date()): Promise<AnswerByLink> {
  const link = await consumeLink(tx, token, ["contact_answered"], now);
  if (link.status !== "valid") return { status: link.status };
  if (!link.requestId) return { status: "invalid" };
  try {
    await markAnswered(tx, link.requestId, link.initiativeId, { userId: null }, now);
  } catch (error) {
    if (error instanceof ContactRefused && error.code === "alreadyAnswered") return { status: "used" };
    throw error;
  }
  const listing = await tx.selectFrom("directory_initiatives").select("name").where("id", "=", link.initiativeId).executeTakeFirstOrThrow();
  return { status: "answered", initiative: listing.name };
}

/**
 * Requests no group answered within `answerDays` of the last time they were sent to a
 * group (routing restarts the clock), still holding their contact details.
 */
export async function overdueRequests(tx: Tx, now: Date, answerDays: number) {
  const rows = await tx
    .selectFrom("directory_contact_requests as r")
    .select([
      "r.id",
      "r.place",
      "r.kind",
      "r.layer",
      "r.latitude",
      "r.longitude",
      "r.status",
      "r.created_at",
      "r.message",
      sql<Date>`(select max(t.sent_at) from directory_contact_targets t where t.tenant_id = r.tenant_id and t.request_id = r.id)`.as("last_sent_at"),
    ])
    .where("r.status", "in", ["open", "routed"])
    .where("r.purged_at", "is", null)
    .where(
      sql<boolean>`not exists (select 1 from directory_contact_targets t where t.tenant_id = r.tenant_id and t.request_id = r.id and t.answered_at is not null)`,
    )
    .where(
      sql<boolean>`(select max(t.sent_at) from directory_contact_targets t where t.tenant_id = r.tenant_id and t.request_id = r.id) <= ${now}::timestamptz - make_interval(days => ${answerDays})`,
    )
    .orderBy("r.created_at")
    .limit(200)
    .execute();
  const targets = rows.length
    ? await tx
        .selectFrom("directory_contact_targets as t")
        .innerJoin("directory_initiatives as i", (j) => j.onRef("i.tenant_id", "=", "t.tenant_id").onRef("i.id", "=", "t.initiative_id"))
        .select(["t.request_id", "i.id", "i.name", "t.sent_at"])
        .where(
          "t.request_id",
          "in",
          rows.map((r) => r.id),
        )
        .orderBy("t.sent_at")
        .execute()
    : [];
  return rows.map((r) => ({ ...r, targets: targets.filter((t) => t.request_id === r.id).map((t) => ({ id: t.id, name: t.name, sentAt: t.sent_at })) }));
}

/** Sends the request on to another group, one `routable` keeps (unaliased): a new target, emailed now. */
export async function routeRequest(tx: Tx, requestId: string, initiativeId: string, staffUserId: string, env: MailEnv & { routable: Expression<SqlBool> }, now = new Date()) {
  if (!isUuid(requestId)) throw new ContactRefused("notFound");
  const request = await tx
    .selectFrom("directory_contact_requests")
    .select(["id", "tenant_id", "name", "email", "phone", "place", "message", "status", "purged_at"])
    .where("id", "=", requestId)
    .forUpdate()
    .executeTakeFirst();
  if (!request) throw new ContactRefused("notFound");
  if (request.purged_at || !["open", "routed"].includes(request.status)) throw new ContactRefused("closed");
  const [listing] = await visibleListings(tx, [initiativeId], env.routable);
  if (!listing) throw new ContactRefused("unknownGroup");
  const inserted = await tx
    .insertInto("directory_contact_targets")
    .values({ tenant_id: request.tenant_id, request_id: request.id, initiative_id: listing.id, sent_at: now })
    .onConflict((oc) => oc.columns(["tenant_id", "request_id", "initiative_id"]).doNothing())
    .returning("initiative_id")
    .executeTakeFirst();
  if (!inserted) throw new ContactRefused("alreadyTargeted");
  await tx.updateTable("directory_contact_requests").set({ status: "routed", routed_by: staffUserId }).where("id", "=", request.id).execute();
  await recordEvent(tx, { module: "directory", kind: "contact_routed", actorId: staffUserId, subjectType: "ContactRequest", subjectId: request.id, occurredAt: now });
  await notifyTarget(tx, env, request, listing);
  return { initiative: listing.name };
}

/** Staff close a request nobody will answer (it leaves their list). */
export async function closeRequest(tx: Tx, requestId: string) {
  if (!isUuid(requestId)) throw new ContactRefused("notFound");
  const closed = await tx
    .updateTable("directory_contact_requests")
    .set({ status: "closed" })
    .where("id", "=", requestId)
    .where("status", "in", ["open", "routed"])
    .returning("id")
    .executeTakeFirst();
  if (!closed) throw new ContactRefused("closed");
}

/**
 * Erases the contact details of requests past their retention date: name, address, phone,
 * message, the place and position the resident gave. What stays (kind, layer, dates,
 * status, targets) identifies nobody.
 */
export async function purgeContactDetails(tx: Tx, now: Date): Promise<number> {
  const purged = await tx
    .updateTable("directory_contact_requests")
    .set({ name: null, email: null, phone: null, message: "", place: "", latitude: null, longitude: null, purged_at: now })
    .where("purged_at", "is", null)
    .where("purge_after", "<=", now)
    .returning("id")
    .execute();
  // Their "answered" links would otherwise name a request with nobody behind it.
  if (purged.length) {
    await tx
      .updateTable("directory_links")
      .set({ used_at: now })
      .where("purpose", "=", "contact_answered")
      .where("used_at", "is", null)
      .where(
        "request_id",
        "in",
        purged.map((p) => p.id),
      )
      .execute();
  }
  return purged.length;
}
