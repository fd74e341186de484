// The audit log of a town: who changed what, when, with the values before and after. Written
// by the staff console and by the operator console (an operator's action on a town goes to
// that town's log), always in the transaction of the change itself, so that a change and its
// entry commit or roll back together. Entries are never updated (a trigger refuses it).
import { sql, type ColumnType, type Generated } from "kysely";
import type { Tx } from "./db/db.server";

type Json<T> = ColumnType<T, T | string, T | string>;

export type AuditActorKind = "staff" | "operator";

export interface AuditLogTable {
  tenant_id: string;
  id: Generated<string>;
  actor_kind: AuditActorKind;
  actor_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  occurred_at: Generated<Date>;
}

declare module "./db/schema" {
  interface DB {
    audit_log: AuditLogTable;
  }
}

export type AuditEntry = {
  actor: { kind: AuditActorKind; id: string | null; label: string };
  /** Dotted, lowercase: `tenant.create`, `tenant.suspend`, `module.disable`… */
  action: string;
  subject: { type: string; id?: string | null };
  /** The values the change replaced and the values it wrote (JSON-serialisable); omit for none. */
  before?: unknown;
  after?: unknown;
};

const ACTION = /^[a-z][a-z0-9_.-]*$/;

/** Appends an entry to the log of the tenant the transaction is scoped to. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<string> {
  if (!ACTION.test(entry.action)) throw new Error(`recordAudit: malformed action ${JSON.stringify(entry.action)}`);
  const row = await tx
    .insertInto("audit_log")
    .values({
      // The tenant is the one the transaction is scoped to; RLS refuses any other, and a
      // transaction scoped to none fails here rather than writing nowhere.
      tenant_id: sql<string>`current_setting('app.tenant_id')::uuid`,
      actor_kind: entry.actor.kind,
      actor_id: entry.actor.id,
      actor_label: entry.actor.label.slice(0, 300),
      action: entry.action,
      subject_type: entry.subject.type,
      subject_id: entry.subject.id ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** The actor of a change made in the staff console by a signed-in user. */
export function staffActor(user: { id: string; email: string; displayName: string }): AuditEntry["actor"] {
  return { kind: "staff", id: user.id, label: `${user.displayName} <${user.email}>` };
}
