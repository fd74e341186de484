// A town's export, re-imported into an empty database, loses nothing: every row of every
// table, compared as PostgreSQL sees it. The town is a copy of the Hellemmes demo (accounts,
// organisations, listings, logo) plus a fixture row in every other table, with the values
// that break naive exports: bytes, microseconds, big numbers inside JSON, a JSON null next
// to a SQL NULL, a listing merged into one that sorts after it, identity columns.
import { saveTenantOverrides } from "./settings.server";
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { sql, type Kysely } from "kysely";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { recordAudit } from "../audit.server";
import { createInvitation } from "../auth/invitations.server";
import { replaceRecoveryCodes } from "../auth/totp.server";
import { createSession } from "../auth/session.server";
import { issueToken } from "../auth/tokens.server";
import { closeDatabase, withTenant, type Tx } from "../db/db.server";
import { recordEvent } from "../events.server";
import { exportTenantToFile, importTenantFromFile } from "../../../db/tenant-portability";
import { ownerDb, syncTenants } from "../../../db/tenants-sync";
import { removeTenantFolder, writeTenantFolder } from "../../../db/test/tenant-folders";
import { exportTenant, importTenant, PortabilityError, tenantSchema, type ExportManifest } from "./portability.server";

const ownerUrl = () => process.env.TEST_OWNER_DATABASE_URL!;
const quiet = () => undefined;
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await closeDatabase();
});

/** A fresh, migrated, empty database on the test cluster, created (and owned) by the owner role. */
async function emptyDatabase(): Promise<string> {
  const name = `communa_import_${crypto.randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ownerUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: ownerUrl() });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const url = new URL(ownerUrl());
  url.pathname = `/${name}`;
  // db/migrate.ts imports the migration files at run time, which needs tsx's loader: run it
  // in a process of its own, as `npm run db:migrate` does.
  await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", 'const { migrateToLatest } = await import("./db/migrate.ts"); await migrateToLatest(process.env.TARGET_URL, () => {});'],
    { env: { ...process.env, TARGET_URL: url.toString() } },
  );
  return url.toString();
}

function withOwner<T>(url: string, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const db = ownerDb(url);
  return fn(db).finally(() => db.destroy());
}

/** Every row of every table of the tenant, as PostgreSQL renders it, in primary-key order. */
async function snapshot(url: string, tenantId: string): Promise<Record<string, string[]>> {
  return withOwner(url, (db) =>
    db.transaction().execute(async (tx) => {
      await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(tx);
      const out: Record<string, string[]> = {};
      for (const table of await tenantSchema(tx)) {
        const { rows } = await sql<{ row: string }>`
          select to_jsonb(t)::text as row from ${sql.table(table.name)} t
          where ${sql.ref(table.scope)} = ${tenantId}::uuid
          order by ${sql.join(table.primaryKey.map((k) => sql.ref(k)))}`.execute(tx);
        out[table.name] = rows.map((r) => r.row);
      }
      return out;
    }),
  );
}

// Listings whose ids sort the "wrong" way: the merged one comes first in the export.
const MERGED = "00000000-0000-4000-8000-000000000001";
const KEPT = "ffffffff-ffff-4fff-8fff-ffffffffffff";
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** A row in every table the demo leaves empty; a table a fixture does not know is reported below. */
const fixtures: Record<string, (tx: Tx, ids: { tenant: string; user: string; organisation: string; origin: string; name: string }) => Promise<unknown>> = {
  sessions: (tx, ids) => createSession(tx, ids.tenant, ids.user, { ip: "203.0.113.7", userAgent: "Firefox, \"quoted\"\nnew line" }),
  auth_tokens: (tx, ids) => issueToken(tx, ids.tenant, ids.user, "change_email", "nouvelle@ville.test"),
  user_recovery_codes: (tx, ids) => replaceRecoveryCodes(tx, ids.tenant, ids.user),
  auth_attempts: (tx, ids) => tx.insertInto("auth_attempts").values({ tenant_id: ids.tenant, scope: "address", key: "203.0.113.7" }).execute(),
  core_events: (tx, ids) =>
    recordEvent(tx, { module: "directory", kind: "initiative_published", actorId: ids.user, subjectType: "initiative", subjectId: KEPT, quantities: { kg: 12.5, count: 3 } }),
  audit_log: async (tx, ids) => {
    await recordAudit(tx, { actor: { kind: "staff", id: ids.user, label: "Agent ; « guillemets »" }, action: "module.disable", subject: { type: "module", id: "directory" }, before: null, after: { enabled: false } });
    await recordAudit(tx, { actor: { kind: "operator", id: null, label: "Opé" }, action: "tenant.export", subject: { type: "tenant" }, after: { deep: { x: null, s: "é\"\\\n" } } });
  },
  invitations: (tx, ids) =>
    createInvitation(
      { tx, tenant: { id: ids.tenant, name: ids.name }, afterCommit: () => undefined, origin: ids.origin, locale: "fr" },
      { email: "invitee@ville.test", role: "association_manager", organisationId: ids.organisation, invitedBy: { kind: "staff", label: "Agent" } },
    ),
  directory_vocabulary: (tx, ids) =>
    sql`insert into directory_vocabulary (tenant_id, vocabulary, key, labels, colour, position)
        values (${ids.tenant}, 'layer', 'eau', ${JSON.stringify({ fr: "Eau", en: "Water" })}::jsonb, '#0f766e', 3)`.execute(tx),
  directory_initiatives: (tx, ids) =>
    sql`insert into directory_initiatives (tenant_id, id, name, kind, layers, latitude, longitude, opening_hours, status, merged_into, organisation_id, links)
        values (${ids.tenant}, ${KEPT}, 'Gardée', 'buying_group', '{"a b","c,d"}', 50.123456789012345, 3.1, '[{"day":1,"opens":"09:00","closes":"12:00"}]', 'published', null, ${ids.organisation}, '{https://exemple.org/?a=1&b=2}'),
               (${ids.tenant}, ${MERGED}, 'Fusionnée', 'buying_group', '{}', null, null, '[]', 'merged', ${KEPT}, null, '{}')`.execute(tx),
  directory_photos: (tx, ids) =>
    sql`insert into directory_photos (tenant_id, initiative_id, content_type, bytes, width, height, alt)
        values (${ids.tenant}, ${KEPT}, 'image/png', ${ALL_BYTES}, 640, 480, 'Tous les octets')`.execute(tx),
  directory_revisions: (tx, ids) =>
    sql`insert into directory_revisions (tenant_id, initiative_id, action, actor_user_id, actor_label, snapshot)
        values (${ids.tenant}, ${KEPT}, 'update', ${ids.user}, 'Agent', ${'{"name": "Gardée", "big": 12345678901234567890, "small": 0.1000000000000000055511151231257827, "n": 1.5e300, "empty": [], "nothing": null}'}::jsonb)`.execute(tx),
  directory_claims: (tx, ids) =>
    sql`insert into directory_claims (tenant_id, initiative_id, user_id, organisation_id, message)
        values (${ids.tenant}, ${KEPT}, ${ids.user}, ${ids.organisation}, 'C''est la nôtre')`.execute(tx),
  directory_contact_requests: (tx, ids) =>
    sql`insert into directory_contact_requests (tenant_id, id, user_id, name, email, place, latitude, longitude, message, consent_at, purge_after)
        values (${ids.tenant}, ${MERGED}, ${ids.user}, 'Habitante', 'Habitante@Ville.test', 'Quartier', 50.6, 3.1, 'Bonjour', now(), now() + interval '1 year')`.execute(tx),
  directory_contact_targets: (tx, ids) =>
    sql`insert into directory_contact_targets (tenant_id, request_id, initiative_id) values (${ids.tenant}, ${MERGED}, ${KEPT})`.execute(tx),
  directory_links: (tx, ids) =>
    sql`insert into directory_links (tenant_id, initiative_id, purpose, token_hash, expires_at, request_id)
        values (${ids.tenant}, ${KEPT}, 'contact_answered', ${crypto.randomBytes(32).toString("hex")}, now() + interval '14 days', ${MERGED})`.execute(tx),
  tenant_settings: (tx, ids) =>
    saveTenantOverrides(tx, ids.tenant, { name: "Ville « renommée »", theme: { primary: "#123456", accent: "#654321" }, audit: { retentionDays: 400 } }),
  visitor_permissions: (tx, ids) => sql`insert into visitor_permissions (tenant_id, rules) values (${ids.tenant}, '{"directory": []}') on conflict do nothing`.execute(tx),
};

/** The Hellemmes demo under a slug and host of its own, synced as `npm run tenants:sync` does. */
async function demoTown() {
  const slug = `export-${crypto.randomBytes(4).toString("hex")}`;
  const definition = JSON.parse(await fs.readFile("tenants/hellemmes/tenant.json", "utf8"));
  definition.hosts = [`${slug}.localhost`];
  const dir = await writeTenantFolder([
    {
      slug,
      definition,
      logo: await fs.readFile("tenants/hellemmes/logo.svg"),
      demo: JSON.parse(await fs.readFile("tenants/hellemmes/demo.json", "utf8")),
    },
  ]);
  cleanups.push(() => removeTenantFolder(dir));
  await syncTenants({ ownerUrl: ownerUrl(), dir, log: quiet });
  const tenant = await withOwner(ownerUrl(), (db) => db.selectFrom("tenants").select(["id", "slug", "name", "hosts"]).where("slug", "=", slug).executeTakeFirstOrThrow());
  const existing = await withTenant(tenant.id, async (tx) => {
    const names = (await tenantSchema(tx)).map((t) => t.name);
    const user = await tx.selectFrom("users").select("id").where("email", "=", "association@hellemmes.example.org").executeTakeFirstOrThrow();
    const organisation = await tx.selectFrom("organisations").select("id").orderBy("name").executeTakeFirstOrThrow();
    return { names, user: user.id, organisation: organisation.id };
  });
  const ids = { tenant: tenant.id, user: existing.user, organisation: existing.organisation, origin: `http://${tenant.hosts[0]}`, name: tenant.name };
  await withTenant(tenant.id, async (tx) => {
    for (const name of existing.names) if (fixtures[name]) await fixtures[name](tx, ids);
  });
  return tenant;
}

async function exportOf(tenantId: string) {
  return withTenant(tenantId, (tx) => exportTenant(tx, tenantId), { snapshot: true });
}

function rezip(zip: Uint8Array, change: (manifest: ExportManifest, files: Record<string, Uint8Array>) => void) {
  const files = unzipSync(zip);
  const manifest = JSON.parse(strFromU8(files["manifest.json"])) as ExportManifest;
  change(manifest, files);
  files["manifest.json"] = strToU8(JSON.stringify(manifest));
  return zipSync(files);
}

describe("a town's export and re-import", () => {
  let town: { id: string; slug: string; name: string };
  let zip: Uint8Array;
  let target: string;

  beforeAll(async () => {
    town = await demoTown();
    zip = (await exportOf(town.id)).zip;
    target = await emptyDatabase();
  });

  it("starts from a town with rows in every one of its tables", async () => {
    const rows = await snapshot(ownerUrl(), town.id);
    const empty = Object.entries(rows)
      .filter(([, r]) => r.length === 0)
      .map(([name]) => name);
    // A new table needs a fixture above, or the round trip proves nothing about it.
    expect(empty, `tables without a row in the fixture town: ${empty.join(", ")}`).toEqual([]);
    expect(rows.directory_initiatives.length).toBeGreaterThan(4);
    expect(rows.audit_log).toHaveLength(2);
  });

  it("writes JSON and CSV for every table, and the same archive from the console and from the command line", async () => {
    const files = unzipSync(zip);
    const manifest = JSON.parse(strFromU8(files["manifest.json"])) as ExportManifest;
    const rows = await snapshot(ownerUrl(), town.id);
    expect(manifest.tables.map((t) => t.name).sort()).toEqual(Object.keys(rows).sort());
    for (const table of manifest.tables) {
      expect(JSON.parse(strFromU8(files[table.json])), table.name).toHaveLength(rows[table.name].length);
      const csvLines = strFromU8(files[table.csv]).trim().split("\n");
      expect(csvLines[0].split(","), table.name).toEqual(table.columns.map((c) => c.name));
    }
    const photo = JSON.parse(strFromU8(files["tables/directory_photos.json"]))[0];
    expect(Buffer.from(photo.bytes, "base64")).toEqual(ALL_BYTES);
    // A SQL NULL is a missing key; a JSON null stays a value.
    const audit = JSON.parse(strFromU8(files["tables/audit_log.json"])) as Array<Record<string, unknown>>;
    expect(audit.map((a) => "before" in a)).toEqual([true, false]);
    expect(audit[0].before).toBeNull();
    // Numbers inside JSON are PostgreSQL's, never rounded through a JavaScript double.
    expect(strFromU8(files["tables/directory_revisions.json"])).toContain('"big": 12345678901234567890');

    const file = path.join(os.tmpdir(), `communa-${town.slug}.zip`);
    cleanups.push(() => fs.rm(file, { force: true }));
    await exportTenantToFile(ownerUrl(), town.slug, file);
    const cli = unzipSync(new Uint8Array(await fs.readFile(file)));
    for (const table of manifest.tables) expect(strFromU8(cli[table.json]), table.name).toBe(strFromU8(files[table.json]));
  });

  it("refuses a damaged or mismatched archive with a reason, and imports nothing", async () => {
    await expect(withOwner(target, (db) => importTenant(db, strToU8("pas un zip")))).rejects.toThrow(PortabilityError);
    const unknownColumn = rezip(zip, (m) => m.tables.find((t) => t.name === "users")!.columns.push({ name: "nope", type: "text" }));
    await expect(withOwner(target, (db) => importTenant(db, unknownColumn))).rejects.toThrow(/users\.nope does not exist in this database/);
    // Found out halfway through (users come after tenants and organisations): all rolled back.
    const wrongCount = rezip(zip, (m) => (m.tables.find((t) => t.name === "users")!.rows += 1));
    await expect(withOwner(target, (db) => importTenant(db, wrongCount))).rejects.toThrow(/table users: \d+ rows inserted but the manifest counts/);
    const left = await withOwner(target, (db) => db.selectFrom("tenants").select("id").where("id", "=", town.id).execute());
    expect(left).toEqual([]);
  });

  it("re-imports into an empty database without losing a row, a value or a byte", async () => {
    const file = path.join(os.tmpdir(), `communa-${town.slug}-console.zip`);
    cleanups.push(() => fs.rm(file, { force: true }));
    await fs.writeFile(file, zip);
    const summary = await importTenantFromFile(target, file);
    expect(summary.tenant).toMatchObject({ id: town.id, slug: town.slug });

    const before = await snapshot(ownerUrl(), town.id);
    const after = await snapshot(target, town.id);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const name of Object.keys(before)) expect(after[name], name).toEqual(before[name]);
  });

  it("moves identity sequences past the imported rows, and refuses to import the same town twice", async () => {
    const ids = await withOwner(target, (db) =>
      db.transaction().execute(async (tx) => {
        await sql`select set_config('app.tenant_id', ${town.id}, true)`.execute(tx);
        const max = await tx.selectFrom("core_events").select((eb) => eb.fn.max("id").as("max")).executeTakeFirstOrThrow();
        const added = await tx.insertInto("core_events").values({ tenant_id: town.id, module: "core", kind: "after_import", quantities: "{}" }).returning("id").executeTakeFirstOrThrow();
        return { max: BigInt(max.max as string), added: BigInt(added.id) };
      }),
    );
    expect(ids.added).toBeGreaterThan(ids.max);
    await expect(importTenantFromFile(target, await writeTemp(zip))).rejects.toThrow(/already has the tenant/);
  });
});

async function writeTemp(bytes: Uint8Array) {
  const file = path.join(os.tmpdir(), `communa-${crypto.randomBytes(4).toString("hex")}.zip`);
  cleanups.push(() => fs.rm(file, { force: true }));
  await fs.writeFile(file, bytes);
  return file;
}
