// The core event log: append-only facts that modules write in the same transaction as the
// action, so that dashboards never read a module's own tables.
import { sql } from "kysely";
import type { Tx } from "./db/db.server";

export type EventInput = {
  module: string;
  kind: string;
  actorId?: string | null;
  subjectType?: string;
  subjectId?: string;
  quantities?: Record<string, number>;
  occurredAt?: Date;
};

export async function recordEvent(tx: Tx, event: EventInput) {
  await tx
    .insertInto("core_events")
    .values({
      // The tenant is the one the transaction is scoped to; RLS refuses any other.
      tenant_id: sql<string>`current_setting('app.tenant_id')::uuid`,
      module: event.module,
      kind: event.kind,
      actor_id: event.actorId ?? null,
      subject_type: event.subjectType ?? null,
      subject_id: event.subjectId ?? null,
      quantities: JSON.stringify(event.quantities ?? {}),
      ...(event.occurredAt ? { occurred_at: event.occurredAt } : {}),
    } as never)
    .execute();
}

export async function countEvents(tx: Tx, filter: { module: string; kind: string; from: Date; to: Date }) {
  const row = await tx
    .selectFrom("core_events")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("module", "=", filter.module)
    .where("kind", "=", filter.kind)
    .where("occurred_at", ">=", filter.from)
    .where("occurred_at", "<", filter.to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
