// Scheduled background jobs of the modules. Each module declares its jobs in its manifest
// (`jobs`: an id, a crontab schedule, a function); the queue (graphile-worker, on the same
// PostgreSQL, see db/jobs.ts) fires them, and a run goes through every active tenant that
// enabled the module, one `withTenant` transaction each: jobs reach tenant data exactly as
// requests do, under row-level security, never around it.
import type { Logger } from "../http/context";
import { withPlatform, withTenant } from "../db/db.server";
import { isProduction } from "../http/cookies.server";
import { listModules, parseModuleSettings } from "../modules/registry.server";
import { purgeExpiredPersonalData } from "../retention.server";
import type { JobTenant, ModuleJob, ModuleManifest } from "../modules/types";
import type { StoredTenantDefinition } from "../tenant/definition";

/**
 * Scheme and host of a tenant outside any request (links in the mails a job sends): its
 * first host name, https in production; the port is PUBLIC_PORT when set, else PORT outside
 * production (a development server on http://<town>.localhost:3000).
 */
export function jobOrigin(tenant: Pick<JobTenant, "hosts">): string {
  const production = isProduction();
  const port = process.env.PUBLIC_PORT ?? (production ? undefined : process.env.PORT ?? "3000");
  const scheme = production ? "https" : "http";
  const defaultPort = production ? "443" : "80";
  return `${scheme}://${tenant.hosts[0]}${port && port !== defaultPort ? `:${port}` : ""}`;
}

/** Active tenants that enabled the module, with its settings (defaults applied). */
export async function tenantsWithModule(moduleId: string, log: Logger, tenantIds?: string[]): Promise<Array<{ tenant: JobTenant; settings: Record<string, unknown> }>> {
  if (tenantIds?.length === 0) return [];
  const tenants = await withPlatform((tx) => {
    let query = tx.selectFrom("tenants").select(["id", "slug", "name", "hosts", "definition"]).where("status", "=", "active");
    if (tenantIds) query = query.where("id", "in", tenantIds);
    return query.orderBy("slug").execute();
  });
  const result: Array<{ tenant: JobTenant; settings: Record<string, unknown> }> = [];
  for (const t of tenants) {
    const state = await withTenant(t.id, (tx) =>
      tx.selectFrom("tenant_modules").select(["enabled", "settings"]).where("module_id", "=", moduleId).executeTakeFirst(),
    );
    if (!state?.enabled) continue;
    let settings: Record<string, unknown>;
    try {
      settings = parseModuleSettings(moduleId, state.settings);
    } catch (error) {
      log.error("job skipped a tenant: invalid module settings", { tenant: t.slug, module: moduleId, error: String(error) });
      continue;
    }
    const definition = t.definition as StoredTenantDefinition;
    result.push({
      tenant: { id: t.id, slug: t.slug, name: t.name, hosts: t.hosts, timeZone: definition.timeZone, defaultLocale: definition.locales.default },
      settings,
    });
  }
  return result;
}

export type JobRunReport = { tenants: number; failed: string[]; counts: Record<string, Record<string, number>> };

/**
 * Runs one module job for every tenant concerned. A tenant whose run fails is rolled back
 * and reported; the others go on. Throws at the end if any failed, so the queue retries the
 * job later (jobs are idempotent: the tenants that succeeded have nothing left to do).
 */
export async function runModuleJob(
  manifest: Pick<ModuleManifest, "id">,
  job: ModuleJob,
  /** `tenantIds`: only these tenants (a run for one town), still only if they enabled the module. */
  options: { now?: Date; log: Logger; tenantIds?: string[] },
): Promise<JobRunReport> {
  const now = options.now ?? new Date();
  const report: JobRunReport = { tenants: 0, failed: [], counts: {} };
  for (const { tenant, settings } of await tenantsWithModule(manifest.id, options.log, options.tenantIds)) {
    report.tenants++;
    const pending: Array<() => Promise<void> | void> = [];
    try {
      const counts = await withTenant(tenant.id, (tx) =>
        job.run({ tx, tenant, settings, now, origin: jobOrigin(tenant), afterCommit: (f) => pending.push(f), log: options.log }),
      );
      if (counts) report.counts[tenant.slug] = counts;
    } catch (error) {
      report.failed.push(tenant.slug);
      options.log.error("job failed for a tenant", { job: `${manifest.id}:${job.id}`, tenant: tenant.slug, error: error instanceof Error ? error.stack ?? error.message : String(error) });
      continue;
    }
    for (const f of pending) {
      try {
        await f();
      } catch (error) {
        options.log.error("job after-commit task failed", { job: `${manifest.id}:${job.id}`, tenant: tenant.slug, error: String(error) });
      }
    }
  }
  options.log.info("job finished", { job: `${manifest.id}:${job.id}`, tenants: report.tenants, failed: report.failed, counts: report.counts });
  if (report.failed.length > 0) throw new Error(`${manifest.id}:${job.id} failed for ${report.failed.join(", ")}`);
  return report;
}

/** The queue's name of a module job (graphile-worker task identifiers allow no dots). */
export const jobIdentifier = (moduleId: string, jobId: string) => `${moduleId}:${jobId}`;

/** The core's own job: delete personal data past the durations of the privacy page, in every tenant. */
export const RETENTION_JOB = { identifier: "core:purge_personal_data", schedule: "17 3 * * *" } as const;

export async function runRetentionPurge(options: { now?: Date; log: Logger }) {
  const tenants = await withPlatform((tx) => tx.selectFrom("tenants").select(["id", "slug"]).orderBy("slug").execute());
  const counts: Record<string, Record<string, number>> = {};
  for (const t of tenants) {
    counts[t.slug] = await withTenant(t.id, (tx) => purgeExpiredPersonalData(tx, options.now ?? new Date()));
  }
  options.log.info("job finished", { job: RETENTION_JOB.identifier, tenants: tenants.length, counts });
  return counts;
}

/** Every module's jobs and the core's as graphile-worker tasks, and the crontab that schedules them. */
export function moduleJobTasks(log: Logger): { taskList: Record<string, () => Promise<void>>; crontab: string } {
  const taskList: Record<string, () => Promise<void>> = {
    [RETENTION_JOB.identifier]: async () => {
      await runRetentionPurge({ log });
    },
  };
  const lines: string[] = [`${RETENTION_JOB.schedule} ${RETENTION_JOB.identifier}`];
  for (const manifest of listModules()) {
    for (const job of manifest.jobs ?? []) {
      const identifier = jobIdentifier(manifest.id, job.id);
      taskList[identifier] = async () => {
        await runModuleJob(manifest, job, { log });
      };
      lines.push(`${job.schedule} ${identifier}`);
    }
  }
  return { taskList, crontab: lines.join("\n") };
}
