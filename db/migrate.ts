import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { FileMigrationProvider, Kysely, Migrator, PostgresDialect, type MigrationResultSet } from "kysely";

export const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

function ownerDb(ownerUrl: string) {
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ownerUrl, max: 2 }) }) });
}

function report(result: MigrationResultSet, log: (m: string) => void) {
  for (const r of result.results ?? []) log(`migration ${r.migrationName}: ${r.status}`);
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
}

export async function migrateToLatest(ownerUrl: string, log: (m: string) => void = console.log) {
  const db = ownerDb(ownerUrl);
  try {
    const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) });
    report(await migrator.migrateToLatest(), log);
  } finally {
    await db.destroy();
  }
}

export async function migrateDown(ownerUrl: string, log: (m: string) => void = console.log) {
  const db = ownerDb(ownerUrl);
  try {
    const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) });
    report(await migrator.migrateDown(), log);
  } finally {
    await db.destroy();
  }
}
