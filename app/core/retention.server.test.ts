import { sql } from "kysely";
import { closeDatabase, withTenant } from "./db/db.server";
import { purgeExpiredPersonalData } from "./retention.server";
import { createTestTenant } from "../../db/test/helpers";

afterAll(() => closeDatabase());

describe("retention purge", () => {
  it("deletes only what is past its stated duration, in the transaction's tenant only", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    const now = new Date("2026-06-01T12:00:00Z");
    const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 3600 * 1000);
    for (const t of [a, b]) {
      await withTenant(t.id, async (tx) => {
        const user = await tx
          .insertInto("users")
          .values({ tenant_id: t.id, email: "x@example.org", password_hash: "h", display_name: "X" })
          .returning("id")
          .executeTakeFirstOrThrow();
        await tx.insertInto("sessions").values([
          { tenant_id: t.id, id: "old", user_id: user.id, expires_at: daysAgo(1), created_at: daysAgo(31) },
          { tenant_id: t.id, id: "recent", user_id: user.id, expires_at: daysAgo(-20), created_at: daysAgo(10) },
        ] as never).execute();
        await tx.insertInto("auth_attempts").values([
          { tenant_id: t.id, scope: "account", key: "x", attempted_at: new Date(now.getTime() - 16 * 60 * 1000) },
          { tenant_id: t.id, scope: "account", key: "x", attempted_at: new Date(now.getTime() - 5 * 60 * 1000) },
        ] as never).execute();
        await tx.insertInto("outbox_emails").values([
          { tenant_id: t.id, to_address: "x@example.org", subject: "old", text_body: "", html_body: "", status: "sent", created_at: daysAgo(366) },
          { tenant_id: t.id, to_address: "x@example.org", subject: "new", text_body: "", html_body: "", status: "sent", created_at: daysAgo(30) },
        ] as never).execute();
      });
    }
    const counts = await withTenant(a.id, (tx) => purgeExpiredPersonalData(tx, now));
    expect(counts).toMatchObject({ sessions: 1, attempts: 1, emails: 1 });
    const left = (t: string) =>
      withTenant(t, async (tx) => {
        const { rows } = await sql<{ s: string; a: string; e: string }>`
          select (select count(*) from sessions) as s, (select count(*) from auth_attempts) as a,
                 (select count(*) from outbox_emails) as e`.execute(tx);
        return rows[0];
      });
    expect(await left(a.id)).toEqual({ s: "1", a: "1", e: "1" });
    expect(await left(b.id)).toEqual({ s: "2", a: "2", e: "2" });
  });
});

describe("retention job", () => {
  it("is scheduled daily on the queue and purges every tenant", async () => {
    const { moduleJobTasks, runRetentionPurge, RETENTION_JOB } = await import("./jobs/jobs.server");
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const { taskList, crontab } = moduleJobTasks(log);
    expect(crontab.split("\n")).toContain(`${RETENTION_JOB.schedule} ${RETENTION_JOB.identifier}`);
    expect(taskList[RETENTION_JOB.identifier]).toBeTypeOf("function");
    const t = await createTestTenant();
    await withTenant(t.id, (tx) =>
      tx.insertInto("auth_attempts").values({ tenant_id: t.id, scope: "address", key: "1.2.3.4", attempted_at: new Date("2020-01-01") } as never).execute(),
    );
    const counts = await runRetentionPurge({ log, now: new Date("2026-01-01") });
    expect(counts[t.slug].attempts).toBe(1);
  });
});
