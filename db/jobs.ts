// The background job queue: graphile-worker, in its own schema (`graphile_worker`) of the
// same PostgreSQL. No tenant data lives there, only jobs and schedules. Its tables keep
// row-level security on with no policy (graphile-worker's own protection), so only their
// owner reaches them: the schema is installed and the queue is worked through the owner
// connection. The jobs themselves reach tenant data through the app role and `withTenant`
// (app/core/jobs/jobs.server.ts).
import { Logger, run, runMigrations } from "graphile-worker";

type Log = { info: (m: string, f?: Record<string, unknown>) => void; warn: (m: string, f?: Record<string, unknown>) => void; error: (m: string, f?: Record<string, unknown>) => void };

function queueLogger(log: Log) {
  return new Logger(() => (level, message, meta) => {
    const fields = { component: "jobs", ...(meta as Record<string, unknown> | undefined) };
    if (level === "error") log.error(message, fields);
    else if (level === "warning") log.warn(message, fields);
    else if (level === "info") log.info(message, fields);
  });
}

/** Creates or upgrades the queue's schema; idempotent, run at every start after the migrations. */
export async function installJobQueue(ownerUrl: string, log: (m: string) => void) {
  await runMigrations({ connectionString: ownerUrl, logger: queueLogger({ info: log, warn: log, error: log }) });
}

/**
 * Starts working the queue: the modules' scheduled jobs fire from graphile-worker's
 * crontab, which records every fired slot, so two app instances never run the same slot
 * twice. The web server calls `stop` on shutdown: it waits for running jobs, then closes
 * the jobs' own database connections.
 */
export async function startJobRunner(ownerUrl: string, log: Log): Promise<{ stop: () => Promise<void> }> {
  // The app's code, loaded only here: db/setup.ts (and the test setup) import this file for
  // installJobQueue without pulling every module in. This copy of the app's code (not the
  // Remix build's) has its own pool of the app role, used by the jobs only.
  const { moduleJobTasks } = await import("../app/core/jobs/jobs.server.ts");
  const { closeDatabase } = await import("../app/core/db/db.server.ts");
  const { taskList, crontab } = moduleJobTasks(log);
  const runner = await run({
    connectionString: ownerUrl,
    maxPoolSize: 4,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 5_000,
    taskList,
    crontab,
    logger: queueLogger(log),
  });
  return {
    stop: async () => {
      await runner.stop();
      await closeDatabase();
    },
  };
}
