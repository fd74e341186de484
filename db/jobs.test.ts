// The job queue: graphile-worker's schema is installed by the setup (the test cluster went
// through it), the modules' jobs become its tasks and crontab, and a job taken from the
// queue reaches tenant data through the app role, tenant by tenant.
import { Logger, parseCrontab, run, type Runner } from "graphile-worker";
import { sql } from "kysely";
import { silentLog } from "../app/core/auth/testing.ts";
import { closeDatabase, withTenant } from "../app/core/db/db.server.ts";
import { moduleJobTasks } from "../app/core/jobs/jobs.server.ts";
import { installJobQueue } from "./jobs.ts";
import { createTestTenant, ownerDb } from "./test/helpers.ts";

let runner: Runner | undefined;

afterAll(async () => {
  await runner?.stop();
  await closeDatabase();
});

describe("job queue", () => {
  it("is installed in its own schema, and installing again changes nothing", async () => {
    const before = await sql<{ n: string }>`select count(*) as n from graphile_worker.migrations`.execute(ownerDb());
    expect(Number(before.rows[0].n)).toBeGreaterThan(0);
    await installJobQueue(process.env.TEST_OWNER_DATABASE_URL!, () => undefined);
    const after = await sql<{ n: string }>`select count(*) as n from graphile_worker.migrations`.execute(ownerDb());
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it("schedules every module job from the manifests, and the core's retention purge", () => {
    const { taskList, crontab } = moduleJobTasks(silentLog);
    const expected = ["core:purge_personal_data", "directory:contact-purge", "directory:freshness"];
    expect(Object.keys(taskList).sort()).toEqual(expected);
    const items = parseCrontab(crontab);
    expect(items.map((i) => i.task).sort()).toEqual(expected);
  });

  it("runs a module job taken from the queue against each tenant, under row-level security", async () => {
    const town = await createTestTenant({ modules: { directory: {} } });
    const request = await withTenant(town.id, (tx) =>
      tx
        .insertInto("directory_contact_requests")
        .values({ tenant_id: town.id, name: "Alex", email: "alex@example.org", place: "Ici", consent_at: new Date(), purge_after: new Date(Date.now() - 1000) })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    const { taskList } = moduleJobTasks(silentLog);
    runner = await run({ connectionString: process.env.TEST_OWNER_DATABASE_URL, taskList, concurrency: 1, noHandleSignals: true, pollInterval: 200, logger: new Logger(() => () => undefined) });
    const done = new Promise<void>((resolve, reject) => {
      runner!.events.on("job:success", ({ job }) => job.task_identifier === "directory:contact-purge" && resolve());
      runner!.events.on("job:error", ({ error }) => reject(error));
    });
    await runner.addJob("directory:contact-purge", {});
    await done;
    const row = await withTenant(town.id, (tx) => tx.selectFrom("directory_contact_requests").select(["email", "purged_at"]).where("id", "=", request.id).executeTakeFirstOrThrow());
    expect(row.email).toBeNull();
    expect(row.purged_at).toBeInstanceOf(Date);
  });
});
