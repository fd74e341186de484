// Invitations to join a town's platform with a role: the first staff account of a new town
// (sent from the operator console), and later the staff console's own invitations. The link
// carries a single-use token valid 7 days; only its sha256 is stored. Opening it, the
// invitee chooses a name and a password (a new account, its address proven by the link), or,
// when the address already has an account here, signs in to it and accepts: the role is
// added to that account. Every function runs in the caller's tenant transaction.
import { sql, type ColumnType, type Generated } from "kysely";
import { z } from "zod";
import type { Tx } from "../db/db.server";
import { queueEmail, type MailContext } from "../email/outbox.server";
import { tFor } from "../i18n/i18n.server";
import type { Locale } from "../tenant/definition";
import { hashPassword } from "./password.server";
import { assignRole } from "./roles.server";
import { PASSWORD_MAX, PASSWORD_MIN } from "./schemas";
import { hashToken, newToken, rotateSession } from "./session.server";
import type { ClientMeta } from "./accounts.server";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface InvitationsTable {
  tenant_id: string;
  id: Generated<string>;
  email: string;
  role: string;
  organisation_id: string | null;
  token_hash: string;
  invited_by_kind: "staff" | "operator";
  invited_by_label: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_user_id: string | null;
  revoked_at: Timestamp | null;
}

declare module "../db/schema" {
  interface DB {
    invitations: InvitationsTable;
  }
}

export const INVITATION_TTL_DAYS = 7;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type InvitationInput = {
  email: string;
  role: string;
  organisationId?: string | null;
  /** The role's name in the email's language; a town's own role has no translation key, only its stored labels. */
  roleLabel?: string;
  invitedBy: { kind: "staff" | "operator"; label: string };
};

export type InvitationEnv = MailContext & {
  /** Scheme and host of the town, for the link. */
  origin: string;
  /** Language of the invitation email. */
  locale: Locale;
};

/** Records an invitation and mails its link; returns the invitation's id. */
export async function createInvitation(env: InvitationEnv, input: InvitationInput): Promise<string> {
  const token = newToken();
  const email = input.email.trim().toLowerCase();
  const row = await env.tx
    .insertInto("invitations")
    .values({
      tenant_id: env.tenant.id,
      email,
      role: input.role,
      organisation_id: input.organisationId ?? null,
      token_hash: hashToken(token),
      invited_by_kind: input.invitedBy.kind,
      invited_by_label: input.invitedBy.label.slice(0, 300),
      expires_at: sql<Date>`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
    } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  const t = tFor(env.locale, "roles");
  await queueEmail(env, {
    to: email,
    template: "invitation",
    locale: env.locale,
    vars: { role: input.roleLabel ?? t(`labels.${input.role}`, { defaultValue: input.role }), url: `${env.origin}/invitation?token=${token}`, days: INVITATION_TTL_DAYS },
  });
  return row.id;
}

export type PendingInvitation = { id: string; email: string; role: string; organisationId: string | null };

export type InvitationCheck = { status: "valid"; invitation: PendingInvitation } | { status: "expired" | "used" | "invalid" };

/** What a link is worth, without using it. A revoked invitation reads as invalid. */
export async function checkInvitation(tx: Tx, token: string): Promise<InvitationCheck> {
  if (!TOKEN_SHAPE.test(token)) return { status: "invalid" };
  const row = await tx
    .selectFrom("invitations")
    .select(["id", "email", "role", "organisation_id", "expires_at", "accepted_at", "revoked_at"])
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) return { status: "invalid" };
  if (row.accepted_at) return { status: "used" };
  if (row.expires_at.getTime() <= Date.now()) return { status: "expired" };
  return { status: "valid", invitation: { id: row.id, email: row.email, role: row.role, organisationId: row.organisation_id } };
}

/** The acceptance form of a new account; messages are keys of the `auth` namespace. */
export const acceptInvitationSchema = z
  .object({
    token: z.string({ required_error: "auth:errors.linkInvalid" }),
    displayName: z
      .string({ required_error: "auth:errors.displayNameRequired" })
      .trim()
      .min(1, "auth:errors.displayNameRequired")
      .max(100, "auth:errors.displayNameTooLong"),
    password: z
      .string({ required_error: "auth:errors.passwordRequired" })
      .min(PASSWORD_MIN, "auth:errors.passwordTooShort")
      .max(PASSWORD_MAX, "auth:errors.passwordTooLong"),
    confirmPassword: z.string({ required_error: "auth:errors.confirmRequired" }),
  })
  .superRefine((value, ctx) => {
    if (value.password !== value.confirmPassword) ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "auth:errors.passwordMismatch" });
  });

export type AcceptResult =
  | { ok: true; userId: string; role: string; cookie: string | null }
  | { ok: false; reason: "expired" | "used" | "invalid" | "signInFirst" | "otherAccount" };

/** Marks the invitation used, unless another click got there first (then: null). */
async function consume(tx: Tx, token: string): Promise<PendingInvitation | null> {
  const row = await tx
    .updateTable("invitations")
    .set({ accepted_at: new Date() })
    .where("token_hash", "=", hashToken(token))
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .returning(["id", "email", "role", "organisation_id"])
    .executeTakeFirst();
  return row ? { id: row.id, email: row.email, role: row.role, organisationId: row.organisation_id } : null;
}

async function grant(tx: Tx, invitation: PendingInvitation, userId: string) {
  await tx.updateTable("invitations").set({ accepted_user_id: userId }).where("id", "=", invitation.id).execute();
  await assignRole(tx, { userId, role: invitation.role, organisationId: invitation.organisationId });
}

async function accountFor(tx: Tx, email: string) {
  return tx.selectFrom("users").select(["id", "deactivated_at"]).where("email", "=", email).executeTakeFirst();
}

/**
 * Accepts with a new account: name and password chosen here, the address proven by the link,
 * the role given, a fresh session opened. When the address already has an account, nothing
 * is created: the invitee must sign in to that account and accept from there.
 */
export async function acceptWithNewAccount(
  env: { tx: Tx; tenant: { id: string }; locale: Locale },
  input: { token: string; displayName: string; password: string },
  meta: ClientMeta,
): Promise<AcceptResult> {
  const check = await checkInvitation(env.tx, input.token);
  if (check.status !== "valid") return { ok: false, reason: check.status };
  if (await accountFor(env.tx, check.invitation.email)) return { ok: false, reason: "signInFirst" };
  // Hash before writing anything: the slow step must not hold the invitation's row.
  const passwordHash = await hashPassword(input.password);
  const used = await consume(env.tx, input.token);
  if (!used) return { ok: false, reason: "used" };
  const user = await env.tx
    .insertInto("users")
    .values({
      tenant_id: env.tenant.id,
      email: used.email,
      display_name: input.displayName.trim(),
      password_hash: passwordHash,
      email_verified_at: new Date(),
      locale: env.locale,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await grant(env.tx, used, user.id);
  const cookie = await rotateSession(env.tx, env.tenant.id, user.id, meta);
  return { ok: true, userId: user.id, role: used.role, cookie };
}

/** Accepts for the signed-in account, which must be the one the invitation was sent to. */
export async function acceptAsSignedInUser(tx: Tx, token: string, user: { id: string; email: string }): Promise<AcceptResult> {
  const check = await checkInvitation(tx, token);
  if (check.status !== "valid") return { ok: false, reason: check.status };
  if (check.invitation.email.toLowerCase() !== user.email.toLowerCase()) return { ok: false, reason: "otherAccount" };
  const used = await consume(tx, token);
  if (!used) return { ok: false, reason: "used" };
  await grant(tx, used, user.id);
  return { ok: true, userId: user.id, role: used.role, cookie: null };
}
