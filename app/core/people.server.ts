// The town's people, organisations and invitations as the staff console manages them
// (app/routes/admin+/personnes*, organisations*). Every function runs in the request's
// tenant transaction: row-level security hides other towns' rows, and every statement also
// names the tenant. Each change is audited in the same transaction, and refused changes
// throw (or return) before anything is written.
//
// Lockout guards: staff must never lock their town out of its console. A staff member may not
// deactivate themself nor remove their own staff role, and the last active staff account can
// neither be deactivated nor lose staff. The checks run under a per-town advisory lock, so two
// staff removing each other at the same moment cannot both succeed.
import { sql, type RawBuilder } from "kysely";
import type { TFunction } from "i18next";
import { z } from "zod";
import { recordAudit, staffActor } from "./audit.server";
import { createInvitation, INVITATION_TTL_DAYS, type InvitationEnv } from "./auth/invitations.server";
import { assignRole, listRoles, removeRole, roleLabel, rolesOfUser, RoleAssignmentError, type TenantRole } from "./auth/roles.server";
import { revokeAllSessions } from "./auth/session.server";
import type { Tx } from "./db/db.server";
import { tFor } from "./i18n/i18n.server";
import { LOCALES, type Locale } from "./tenant/definition";
import type { FieldErrors } from "./ui/form.server";
import { PEOPLE_SORTS, PEOPLE_STATUSES, type InvitationStatus, type PeopleQuery } from "./people";

export type { InvitationStatus, PeopleQuery } from "./people";

export type Actor = { id: string; email: string; displayName: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NS = "console-people";

/** A refusal with a translated explanation (`key` in the console-people namespace). */
export class PeopleError extends Error {
  constructor(
    readonly key: string,
    readonly field: string = "_form",
  ) {
    super(`refused: ${key}`);
  }
}

async function tenantScope(tx: Tx): Promise<string> {
  const { rows } = await sql<{ id: string | null }>`select nullif(current_setting('app.tenant_id', true), '')::uuid as id`.execute(tx);
  if (!rows[0]?.id) throw new Error("people: the transaction is not scoped to a tenant");
  return rows[0].id;
}

/** A string folded for comparison: no accents, lower case (the same on both sides of a search). */
const folded = (value: RawBuilder<unknown>) => sql<string>`lower(public.unaccent('public.unaccent'::regdictionary, ${value}))`;

// ---------------------------------------------------------------------------------------
// Role names


export type RoleOption = { value: string; label: string; needsOrganisation: boolean };

/** The town's roles (built-in then its own) as the forms offer them, and a lookup of their names. */
export async function roleOptions(tx: Tx, t: TFunction, locale: Locale): Promise<{ options: RoleOption[]; label: (key: string) => string }> {
  const roles = await listRoles(tx);
  const options = roles.map((r) => ({ value: r.key, label: roleLabel(t, locale, r), needsOrganisation: r.needsOrganisation }));
  const byKey = new Map(options.map((o) => [o.value, o.label]));
  return { options, label: (key) => byKey.get(key) ?? key };
}

// ---------------------------------------------------------------------------------------
// The list of accounts

export const PEOPLE_PAGE_SIZE = 25;

const oneOf = <T extends string>(allowed: readonly T[], value: string | null): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

/** The list's search parameters, read leniently: anything unexpected falls back to the default. */
export function peopleQueryFrom(params: URLSearchParams): PeopleQuery {
  const page = Number(params.get("page") ?? "1");
  const role = params.get("role") ?? "";
  return {
    q: (params.get("q") ?? "").trim().slice(0, 100),
    role: /^[a-z][a-z0-9_]{0,62}$/.test(role) ? role : "",
    statut: oneOf(PEOPLE_STATUSES, params.get("statut")) ?? "",
    tri: oneOf(PEOPLE_SORTS, params.get("tri")) ?? "nom",
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

export type PersonSummary = {
  id: string;
  email: string;
  displayName: string;
  isDemo: boolean;
  createdAt: Date;
  deactivatedAt: Date | null;
  emailVerifiedAt: Date | null;
  lastSeenAt: Date | null;
  roles: { role: string; organisationName: string | null }[];
};

/** When the account was last seen: its most recent session's last activity. */
const lastSeen = sql<Date | null>`(select max(s.last_seen_at) from sessions s where s.tenant_id = u.tenant_id and s.user_id = u.id)`.as("last_seen_at");

/**
 * One page of the town's accounts. The search folds accents and case on both sides and scans
 * the town's rows: under row-level security no index serves ILIKE (see ARCHITECTURE), which
 * is fine at a town's size.
 */
export async function listPeople(tx: Tx, query: PeopleQuery): Promise<{ people: PersonSummary[]; total: number; page: number; pageCount: number }> {
  const tenantId = await tenantScope(tx);
  let base = tx.selectFrom("users as u").where("u.tenant_id", "=", tenantId);
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, "\\$&")}%`;
    base = base.where(
      sql<boolean>`(${folded(sql`u.display_name`)} like ${folded(sql`${pattern}`)} or ${folded(sql`u.email::text`)} like ${folded(sql`${pattern}`)})`,
    );
  }
  if (query.role) {
    const role = query.role;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom("user_roles as ur")
          .select("ur.id")
          .whereRef("ur.tenant_id", "=", "u.tenant_id")
          .whereRef("ur.user_id", "=", "u.id")
          .where("ur.role", "=", role),
      ),
    );
  }
  if (query.statut === "actif") base = base.where("u.deactivated_at", "is", null);
  if (query.statut === "desactive") base = base.where("u.deactivated_at", "is not", null);
  if (query.statut === "non-verifie") base = base.where("u.email_verified_at", "is", null);

  const { n } = await base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  const total = Number(n);
  const pageCount = Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);

  let rows = base.select(["u.id", "u.email", "u.display_name", "u.is_demo", "u.created_at", "u.deactivated_at", "u.email_verified_at", lastSeen]);
  const byName = folded(sql`u.display_name`);
  if (query.tri === "nom") rows = rows.orderBy(byName, "asc");
  if (query.tri === "nom-desc") rows = rows.orderBy(byName, "desc");
  if (query.tri === "recent") rows = rows.orderBy("u.created_at", "desc");
  if (query.tri === "ancien") rows = rows.orderBy("u.created_at", "asc");
  const found = await rows
    .orderBy("u.id")
    .limit(PEOPLE_PAGE_SIZE)
    .offset((page - 1) * PEOPLE_PAGE_SIZE)
    .execute();

  const ids = found.map((r) => r.id);
  const grants = ids.length
    ? await tx
        .selectFrom("user_roles as ur")
        .leftJoin("organisations as o", (j) => j.onRef("o.tenant_id", "=", "ur.tenant_id").onRef("o.id", "=", "ur.organisation_id"))
        .select(["ur.user_id", "ur.role", "o.name as organisation_name"])
        .where("ur.tenant_id", "=", tenantId)
        .where("ur.user_id", "in", ids)
        .orderBy("ur.granted_at")
        .orderBy("ur.role")
        .execute()
    : [];
  const people = found.map((r) => ({
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    isDemo: r.is_demo,
    createdAt: r.created_at,
    deactivatedAt: r.deactivated_at,
    emailVerifiedAt: r.email_verified_at,
    lastSeenAt: r.last_seen_at,
    roles: grants.filter((g) => g.user_id === r.id).map((g) => ({ role: g.role, organisationName: g.organisation_name })),
  }));
  return { people, total, page, pageCount };
}

// ---------------------------------------------------------------------------------------
// One account

export async function getPerson(tx: Tx, id: string) {
  if (!UUID.test(id)) return null;
  const tenantId = await tenantScope(tx);
  const row = await tx
    .selectFrom("users as u")
    .select((eb) => [
      "u.id",
      "u.email",
      "u.display_name",
      "u.locale",
      "u.is_demo",
      "u.created_at",
      "u.deactivated_at",
      "u.email_verified_at",
      "u.totp_enabled_at",
      lastSeen,
      eb
        .selectFrom("sessions as s")
        .select((s) => s.fn.countAll<string>().as("n"))
        .whereRef("s.tenant_id", "=", "u.tenant_id")
        .whereRef("s.user_id", "=", "u.id")
        .where("s.revoked_at", "is", null)
        .where("s.expires_at", ">", sql<Date>`now()`)
        .as("open_sessions"),
    ])
    .where("u.tenant_id", "=", tenantId)
    .where("u.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    locale: row.locale,
    isDemo: row.is_demo,
    createdAt: row.created_at,
    deactivatedAt: row.deactivated_at,
    emailVerifiedAt: row.email_verified_at,
    totpEnabledAt: row.totp_enabled_at,
    lastSeenAt: row.last_seen_at,
    openSessions: Number(row.open_sessions ?? 0),
    roles: await rolesOfUser(tx, id),
  };
}

export type Person = NonNullable<Awaited<ReturnType<typeof getPerson>>>;

/** Serialises the lockout checks of one town (held until the transaction ends). */
async function lockStaffGuard(tx: Tx, tenantId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`communa.staff-guard:${tenantId}`}, 0))`.execute(tx);
}

/** Active accounts other than `userId` that hold the staff role. */
async function otherActiveStaff(tx: Tx, tenantId: string, userId: string): Promise<number> {
  const { n } = await tx
    .selectFrom("user_roles as ur")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "ur.tenant_id").onRef("u.id", "=", "ur.user_id"))
    .select((eb) => eb.fn.count<string>("ur.user_id").distinct().as("n"))
    .where("ur.tenant_id", "=", tenantId)
    .where("ur.role", "=", "staff")
    .where("u.deactivated_at", "is", null)
    .where("u.id", "<>", userId)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** What the audit log keeps of a grant: who, which role, which organisation (by id and name). */
const grantRecord = (person: { email: string }, role: string, organisationId: string | null, organisationName: string | null) => ({
  email: person.email,
  role,
  organisationId,
  organisationName,
});

export const addRoleSchema = z.object({
  role: z.string({ required_error: `${NS}:errors.roleRequired` }).trim().min(1, `${NS}:errors.roleRequired`),
  organisationId: z.string().trim().optional(),
});

/**
 * Checks a role (and its organisation) against the town's roles: an association role needs an
 * existing organisation; the others take none (the form says so), so one sent is ignored.
 */
async function checkRoleChoice(tx: Tx, input: { role: string; organisationId?: string }): Promise<{ role: TenantRole; organisation: { id: string; name: string } | null }> {
  const role = (await listRoles(tx)).find((r) => r.key === input.role);
  if (!role) throw new PeopleError(`${NS}:errors.unknownRole`, "role");
  if (!role.needsOrganisation) return { role, organisation: null };
  if (!input.organisationId) throw new PeopleError(`${NS}:errors.organisationRequired`, "organisationId");
  const organisation = await findOrganisation(tx, input.organisationId);
  if (!organisation) throw new PeopleError(`${NS}:errors.unknownOrganisation`, "organisationId");
  return { role, organisation: { id: organisation.id, name: organisation.name } };
}

/** Gives a role; `created: false` when the person already held it (nothing written then). */
export async function addPersonRole(tx: Tx, actor: Actor, person: Person, input: z.output<typeof addRoleSchema>): Promise<{ created: boolean }> {
  const { role, organisation } = await checkRoleChoice(tx, input);
  let result: { id: string; created: boolean };
  try {
    result = await assignRole(tx, { userId: person.id, role: role.key, organisationId: organisation?.id ?? null });
  } catch (error) {
    if (error instanceof RoleAssignmentError) throw new PeopleError(`${NS}:errors.${error.code}`, error.field === "userId" ? "_form" : error.field);
    throw error;
  }
  if (result.created) {
    await recordAudit(tx, {
      actor: staffActor(actor),
      action: "person.role.add",
      subject: { type: "user", id: person.id },
      after: grantRecord(person, role.key, organisation?.id ?? null, organisation?.name ?? null),
    });
  }
  return { created: result.created };
}

/** Takes one of the person's grants away (by its id); null when it is not one of theirs. */
export async function removePersonRole(tx: Tx, actor: Actor, person: Person, grantId: string): Promise<{ removed: true } | null> {
  const grant = person.roles.find((r) => r.id === grantId);
  if (!grant) return null;
  if (grant.role === "staff") {
    const tenantId = await tenantScope(tx);
    await lockStaffGuard(tx, tenantId);
    const keepsStaff = person.roles.some((r) => r.role === "staff" && r.id !== grant.id);
    if (!keepsStaff) {
      if (person.id === actor.id) throw new PeopleError(`${NS}:errors.ownStaffRole`);
      if (person.deactivatedAt === null && (await otherActiveStaff(tx, tenantId, person.id)) === 0) throw new PeopleError(`${NS}:errors.lastStaff`);
    }
  }
  await removeRole(tx, { userId: person.id, role: grant.role, organisationId: grant.organisationId });
  await recordAudit(tx, {
    actor: staffActor(actor),
    action: "person.role.remove",
    subject: { type: "user", id: person.id },
    before: grantRecord(person, grant.role, grant.organisationId, grant.organisationName),
  });
  return { removed: true };
}

/** Deactivates the account and ends all its sessions; `changed: false` when it already was. */
export async function deactivatePerson(tx: Tx, actor: Actor, person: Person): Promise<{ changed: boolean }> {
  if (person.id === actor.id) throw new PeopleError(`${NS}:errors.deactivateSelf`);
  const tenantId = await tenantScope(tx);
  await lockStaffGuard(tx, tenantId);
  // Read again under the lock: another staff member may have changed this account meanwhile.
  const current = await tx
    .selectFrom("users")
    .select("deactivated_at")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", person.id)
    .executeTakeFirstOrThrow();
  if (current.deactivated_at) return { changed: false };
  const isStaff = person.roles.some((r) => r.role === "staff");
  if (isStaff && (await otherActiveStaff(tx, tenantId, person.id)) === 0) throw new PeopleError(`${NS}:errors.lastStaff`);
  const now = new Date();
  await tx.updateTable("users").set({ deactivated_at: now, updated_at: now }).where("tenant_id", "=", tenantId).where("id", "=", person.id).execute();
  await revokeAllSessions(tx, person.id);
  await recordAudit(tx, {
    actor: staffActor(actor),
    action: "person.deactivate",
    subject: { type: "user", id: person.id },
    before: { email: person.email, deactivatedAt: null, openSessions: person.openSessions },
    after: { email: person.email, deactivatedAt: now.toISOString(), openSessions: 0 },
  });
  return { changed: true };
}

/** Lets the account sign in again (with its own password); `changed: false` when it was active. */
export async function reactivatePerson(tx: Tx, actor: Actor, person: Person): Promise<{ changed: boolean }> {
  const tenantId = await tenantScope(tx);
  const updated = await tx
    .updateTable("users")
    .set({ deactivated_at: null, updated_at: new Date() })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", person.id)
    .where("deactivated_at", "is not", null)
    .returning("id")
    .executeTakeFirst();
  if (!updated) return { changed: false };
  await recordAudit(tx, {
    actor: staffActor(actor),
    action: "person.reactivate",
    subject: { type: "user", id: person.id },
    before: { email: person.email, deactivatedAt: person.deactivatedAt?.toISOString() ?? null },
    after: { email: person.email, deactivatedAt: null },
  });
  return { changed: true };
}

// ---------------------------------------------------------------------------------------
// Organisations

export const organisationSchema = z.object({
  name: z
    .string({ required_error: `${NS}:organisations.errors.nameRequired` })
    .trim()
    .min(1, `${NS}:organisations.errors.nameRequired`)
    .max(200, `${NS}:organisations.errors.nameTooLong`),
});

export async function findOrganisation(tx: Tx, id: string) {
  if (!UUID.test(id)) return null;
  const tenantId = await tenantScope(tx);
  const row = await tx
    .selectFrom("organisations")
    .select(["id", "name", "kind", "is_demo", "created_at"])
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, kind: row.kind, isDemo: row.is_demo, createdAt: row.created_at } : null;
}

/** The town's organisations by name, with how many accounts hold a role in each. */
export async function listOrganisations(tx: Tx) {
  const tenantId = await tenantScope(tx);
  const rows = await tx
    .selectFrom("organisations as o")
    .select((eb) => [
      "o.id",
      "o.name",
      "o.is_demo",
      "o.created_at",
      eb
        .selectFrom("user_roles as ur")
        .select((s) => s.fn.count<string>("ur.user_id").distinct().as("n"))
        .whereRef("ur.tenant_id", "=", "o.tenant_id")
        .whereRef("ur.organisation_id", "=", "o.id")
        .as("members"),
    ])
    .where("o.tenant_id", "=", tenantId)
    .orderBy(folded(sql`o.name`))
    .orderBy("o.id")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, isDemo: r.is_demo, createdAt: r.created_at, members: Number(r.members ?? 0) }));
}

/** The accounts holding a role in the organisation, with those roles. */
export async function organisationMembers(tx: Tx, organisationId: string) {
  const tenantId = await tenantScope(tx);
  const rows = await tx
    .selectFrom("user_roles as ur")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "ur.tenant_id").onRef("u.id", "=", "ur.user_id"))
    .select(["u.id", "u.display_name", "u.email", "u.deactivated_at", "ur.role"])
    .where("ur.tenant_id", "=", tenantId)
    .where("ur.organisation_id", "=", organisationId)
    .orderBy(folded(sql`u.display_name`))
    .orderBy("ur.role")
    .execute();
  const members = new Map<string, { id: string; displayName: string; email: string; deactivated: boolean; roles: string[] }>();
  for (const r of rows) {
    const m = members.get(r.id) ?? { id: r.id, displayName: r.display_name, email: r.email, deactivated: r.deactivated_at !== null, roles: [] };
    m.roles.push(r.role);
    members.set(r.id, m);
  }
  return [...members.values()];
}

async function nameTaken(tx: Tx, tenantId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = tx
    .selectFrom("organisations")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where(sql<boolean>`${folded(sql`name`)} = ${folded(sql`${name}`)}`);
  if (exceptId) q = q.where("id", "<>", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

const NAME_TAKEN = `${NS}:organisations.errors.nameTaken`;

/** Creates an organisation; a name already used in the town (ignoring case and accents) is refused. */
export async function createOrganisation(tx: Tx, actor: Actor, name: string): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrors }> {
  const tenantId = await tenantScope(tx);
  if (await nameTaken(tx, tenantId, name)) return { ok: false, errors: { name: NAME_TAKEN } };
  // A creation racing this one with the very same name leaves nothing to insert, not an error
  // that would abort the transaction.
  const row = await tx
    .insertInto("organisations")
    .values({ tenant_id: tenantId, name })
    .onConflict((oc) => oc.columns(["tenant_id", "name"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) return { ok: false, errors: { name: NAME_TAKEN } };
  await recordAudit(tx, { actor: staffActor(actor), action: "organisation.create", subject: { type: "organisation", id: row.id }, after: { name } });
  return { ok: true, id: row.id };
}

/** Renames an organisation; `changed: false` when the name is the same. */
export async function renameOrganisation(
  tx: Tx,
  actor: Actor,
  organisation: { id: string; name: string },
  name: string,
): Promise<{ ok: true; changed: boolean } | { ok: false; errors: FieldErrors }> {
  if (name === organisation.name) return { ok: true, changed: false };
  const tenantId = await tenantScope(tx);
  if (await nameTaken(tx, tenantId, name, organisation.id)) return { ok: false, errors: { name: NAME_TAKEN } };
  // The unique constraint may still fire if another rename took the name meanwhile: the
  // savepoint keeps the transaction usable so the form can say so.
  await sql`savepoint organisation_rename`.execute(tx);
  try {
    await tx.updateTable("organisations").set({ name }).where("tenant_id", "=", tenantId).where("id", "=", organisation.id).execute();
  } catch (error) {
    if ((error as { code?: string }).code !== "23505") throw error;
    await sql`rollback to savepoint organisation_rename`.execute(tx);
    return { ok: false, errors: { name: NAME_TAKEN } };
  }
  await sql`release savepoint organisation_rename`.execute(tx);
  await recordAudit(tx, {
    actor: staffActor(actor),
    action: "organisation.rename",
    subject: { type: "organisation", id: organisation.id },
    before: { name: organisation.name },
    after: { name },
  });
  return { ok: true, changed: true };
}

// ---------------------------------------------------------------------------------------
// Invitations

export { INVITATION_TTL_DAYS };

export const INVITATIONS_PAGE_SIZE = 25;

const invitationStatus = sql<InvitationStatus>`case
  when i.revoked_at is not null then 'revoked'
  when i.accepted_at is not null then 'accepted'
  when i.expires_at <= now() then 'expired'
  else 'pending' end`;

export type InvitationRow = {
  id: string;
  email: string;
  role: string;
  organisationName: string | null;
  status: InvitationStatus;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedUser: { id: string; displayName: string } | null;
};

/** One page of the town's invitations, newest first, optionally of one status. */
export async function listInvitations(
  tx: Tx,
  query: { status: InvitationStatus | ""; page: number },
): Promise<{ invitations: InvitationRow[]; total: number; page: number; pageCount: number }> {
  const tenantId = await tenantScope(tx);
  let base = tx.selectFrom("invitations as i").where("i.tenant_id", "=", tenantId);
  if (query.status) base = base.where(sql<boolean>`${invitationStatus} = ${query.status}`);
  const { n } = await base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  const total = Number(n);
  const pageCount = Math.max(1, Math.ceil(total / INVITATIONS_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const rows = await base
    .leftJoin("organisations as o", (j) => j.onRef("o.tenant_id", "=", "i.tenant_id").onRef("o.id", "=", "i.organisation_id"))
    .leftJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "i.tenant_id").onRef("u.id", "=", "i.accepted_user_id"))
    .select([
      "i.id",
      "i.email",
      "i.role",
      "o.name as organisation_name",
      invitationStatus.as("status"),
      "i.invited_by_label",
      "i.created_at",
      "i.expires_at",
      "i.accepted_at",
      "u.id as accepted_user_id",
      "u.display_name as accepted_user_name",
    ])
    .orderBy("i.created_at", "desc")
    .orderBy("i.id")
    .limit(INVITATIONS_PAGE_SIZE)
    .offset((page - 1) * INVITATIONS_PAGE_SIZE)
    .execute();
  return {
    total,
    page,
    pageCount,
    invitations: rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      organisationName: r.organisation_name,
      status: r.status,
      invitedBy: r.invited_by_label,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      acceptedAt: r.accepted_at,
      acceptedUser: r.accepted_user_id && r.accepted_user_name ? { id: r.accepted_user_id, displayName: r.accepted_user_name } : null,
    })),
  };
}

export const inviteSchema = z.object({
  email: z
    .string({ required_error: `${NS}:invite.errors.emailRequired` })
    .trim()
    .min(1, `${NS}:invite.errors.emailRequired`)
    .max(254, `${NS}:invite.errors.emailInvalid`)
    .email(`${NS}:invite.errors.emailInvalid`)
    .transform((e) => e.toLowerCase()),
  role: addRoleSchema.shape.role,
  organisationId: addRoleSchema.shape.organisationId,
  locale: z.enum(LOCALES, { errorMap: () => ({ message: `${NS}:invite.errors.locale` }) }),
});

export type InviteEnv = InvitationEnv & { tenantLocales: readonly Locale[] };

/** The role's name in the language of the email. */
function roleLabelIn(locale: Locale, role: TenantRole) {
  return roleLabel(tFor(locale), locale, role);
}

async function accountByEmail(tx: Tx, tenantId: string, email: string) {
  return tx
    .selectFrom("users")
    .select(["id", "display_name", "deactivated_at"])
    .where("tenant_id", "=", tenantId)
    .where("email", "=", email)
    .executeTakeFirst();
}

async function expiresAtOf(tx: Tx, id: string): Promise<Date> {
  const row = await tx.selectFrom("invitations").select("expires_at").where("id", "=", id).executeTakeFirstOrThrow();
  return row.expires_at;
}

export type InviteResult =
  | { ok: true; id: string; existingAccount: { id: string; displayName: string } | null }
  | { ok: false; errors: FieldErrors; existingAccountId?: string };

/**
 * Invites an address with a role, by email (link valid INVITATION_TTL_DAYS days). An address
 * that already has an account here may be invited: accepting (after signing in to that
 * account) adds the role to it. Refused: a deactivated account (it could not sign in to
 * accept), a role it already holds, an invitation already pending for the same role.
 */
export async function inviteToTown(env: InviteEnv, actor: Actor, invited: z.output<typeof inviteSchema>): Promise<InviteResult> {
  const { tx } = env;
  const input = { ...invited, email: invited.email.trim().toLowerCase() };
  const tenantId = await tenantScope(tx);
  if (!env.tenantLocales.includes(input.locale)) return { ok: false, errors: { locale: `${NS}:invite.errors.locale` } };
  let choice: Awaited<ReturnType<typeof checkRoleChoice>>;
  try {
    choice = await checkRoleChoice(tx, input);
  } catch (error) {
    if (error instanceof PeopleError) return { ok: false, errors: { [error.field]: error.key } };
    throw error;
  }
  const organisationId = choice.organisation?.id ?? null;
  const account = await accountByEmail(tx, tenantId, input.email);
  if (account?.deactivated_at) return { ok: false, errors: { email: `${NS}:invite.errors.accountDeactivated` }, existingAccountId: account.id };
  if (account) {
    const held = await rolesOfUser(tx, account.id);
    if (held.some((r) => r.role === choice.role.key && r.organisationId === organisationId)) {
      return { ok: false, errors: { email: `${NS}:invite.errors.alreadyHasRole` }, existingAccountId: account.id };
    }
  }
  const pending = await tx
    .selectFrom("invitations as i")
    .select("i.id")
    .where("i.tenant_id", "=", tenantId)
    .where("i.email", "=", input.email)
    .where("i.role", "=", choice.role.key)
    .where((eb) => (organisationId === null ? eb("i.organisation_id", "is", null) : eb("i.organisation_id", "=", organisationId)))
    .where(sql<boolean>`${invitationStatus} = 'pending'`)
    .executeTakeFirst();
  if (pending) return { ok: false, errors: { email: `${NS}:invite.errors.alreadyInvited` } };

  const id = await createInvitation(
    { ...env, locale: input.locale },
    {
      email: input.email,
      role: choice.role.key,
      organisationId,
      roleLabel: roleLabelIn(input.locale, choice.role),
      invitedBy: { kind: "staff", label: staffActor(actor).label },
    },
  );
  await recordAudit(tx, {
    actor: staffActor(actor),
    action: "invitation.create",
    subject: { type: "invitation", id },
    after: {
      email: input.email,
      role: choice.role.key,
      organisationId,
      organisationName: choice.organisation?.name ?? null,
      locale: input.locale,
      expiresAt: (await expiresAtOf(tx, id)).toISOString(),
      existingAccountId: account?.id ?? null,
    },
  });
  return { ok: true, id, existingAccount: account ? { id: account.id, displayName: account.display_name } : null };
}

async function findInvitation(tx: Tx, id: string) {
  if (!UUID.test(id)) return null;
  const tenantId = await tenantScope(tx);
  return (
    (await tx
      .selectFrom("invitations as i")
      .select(["i.id", "i.email", "i.role", "i.organisation_id", "i.expires_at", invitationStatus.as("status")])
      .where("i.tenant_id", "=", tenantId)
      .where("i.id", "=", id)
      .executeTakeFirst()) ?? null
  );
}

/** Makes a pending invitation's link worthless. null: no such invitation in this town. */
export async function revokeInvitation(tx: Tx, actor: Actor, id: string): Promise<{ ok: true } | { ok: false; key: string } | null> {
  const invitation = await findInvitation(tx, id);
  if (!invitation) return null;
  if (invitation.status !== "pending") return { ok: false, key: `${NS}:invitations.errors.notPending` };
  await tx.updateTable("invitations").set({ revoked_at: new Date() }).where("id", "=", invitation.id).where("revoked_at", "is", null).execute();
  await recordAudit(tx, {
    actor: staffActor(actor),
    action: "invitation.revoke",
    subject: { type: "invitation", id: invitation.id },
    before: { email: invitation.email, role: invitation.role, status: "pending" },
    after: { email: invitation.email, role: invitation.role, status: "revoked" },
  });
  return { ok: true };
}

/**
 * Sends a pending or expired invitation again: a new link (valid INVITATION_TTL_DAYS days
 * from now) in a new email, the old link revoked. null: no such invitation in this town.
 */
export async function resendInvitation(env: InvitationEnv, actor: Actor, id: string): Promise<{ ok: true; id: string } | { ok: false; key: string } | null> {
  const { tx } = env;
  const invitation = await findInvitation(tx, id);
  if (!invitation) return null;
  if (invitation.status !== "pending" && invitation.status !== "expired") return { ok: false, key: `${NS}:invitations.errors.notResendable` };
  const role = (await listRoles(tx)).find((r) => r.key === invitation.role);
  if (!role) return { ok: false, key: `${NS}:invitations.errors.notResendable` };
  await tx.updateTable("invitations").set({ revoked_at: new Date() }).where("id", "=", invitation.id).where("revoked_at", "is", null).execute();
  const newId = await createInvitation(env, {
    email: invitation.email,
    role: invitation.role,
    organisationId: invitation.organisation_id,
    roleLabel: roleLabelIn(env.locale, role),
    invitedBy: { kind: "staff", label: staffActor(actor).label },
  });
  await recordAudit(tx, {
    actor: staffActor(actor),
    action: "invitation.resend",
    subject: { type: "invitation", id: newId },
    before: { invitationId: invitation.id, email: invitation.email, role: invitation.role, status: invitation.status, expiresAt: invitation.expires_at.toISOString() },
    after: { invitationId: newId, email: invitation.email, role: invitation.role, status: "pending", locale: env.locale, expiresAt: (await expiresAtOf(tx, newId)).toISOString() },
  });
  return { ok: true, id: newId };
}
