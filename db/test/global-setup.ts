// One real PostgreSQL for the whole test run: a fresh embedded cluster (or DATABASE_URL
// when set), migrated, with the restricted app role. Tests connect as that role.
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { prepareDatabase, type DatabaseUrls } from "../setup.ts";

let db: DatabaseUrls | undefined;
// One cluster per run, so that several runs on one machine never share a data directory;
// beside EMBEDDED_PG_DIR when set (a checkout that the `postgres` user cannot traverse).
const clusterParent = process.env.EMBEDDED_PG_DIR ? path.dirname(path.resolve(process.env.EMBEDDED_PG_DIR)) : ".data";
const dataDir = path.join(clusterParent, `pg-test-${process.pid}`);

export async function setup(project: TestProject) {
  db = await prepareDatabase({ dataDir, fast: true, log: () => undefined, env: { ...process.env, EMBEDDED_PG_PORT: "0" } });
  project.provide("ownerUrl", db.ownerUrl);
  project.provide("appUrl", db.appUrl);
}

export async function teardown() {
  await db?.embedded?.stop();
  if (db?.embedded) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(dataDir + ".superuser-password", { force: true });
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    ownerUrl: string;
    appUrl: string;
  }
}
