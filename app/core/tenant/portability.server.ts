// A whole town's data, out and back in: a zip with, for every table, the rows as JSON (the
// authority, lossless) and as CSV (for people and spreadsheets), plus a manifest.
//
// The tables are discovered from the schema, not listed: the platform row in `tenants`, and
// every base table with a `tenant_id` column, so that a module's new table is part of the
// export the day its migration runs. The JSON of a row is built by PostgreSQL itself and is
// never parsed by JavaScript on the way out or back in, so nothing is rounded:
//  - jsonb values are embedded as JSON; a SQL NULL there is a missing key (a JSON null is
//    a value of its own);
//  - bytea is base64;
//  - booleans, small integers, text, uuids and timestamps are JSON values (timestamps in
//    ISO 8601 with their offset, to the microsecond);
//  - anything else (bigint, numeric, floats, arrays…) is PostgreSQL's own text form, which
//    it reads back exactly.
// Generated columns are left out: the database computes them again on import.
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import { stringify } from "csv-stringify/sync";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";

export const EXPORT_FORMAT = "communa-tenant-export";
export const EXPORT_VERSION = 1;

// Either a transaction of the app (scoped with withTenant) or the owner's connection.
type Db = Kysely<any> | Transaction<any>;

type ColumnKind = "jsonb" | "bytea" | "json-value" | "pg-text";

export type ExportColumn = { name: string; type: string };

type Column = ExportColumn & { kind: ColumnKind; identity: boolean; generated: boolean; optional: boolean };

type Table = {
  name: string;
  /** `tenants` holds one row per town under `id`; every other table names it in `tenant_id`. */
  scope: "id" | "tenant_id";
  columns: Column[];
  primaryKey: string[];
  dependsOn: string[];
};

export type ExportManifest = {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  tenant: { id: string; slug: string; name: string };
  /** In an order that satisfies every foreign key: parents before children. */
  tables: Array<{ name: string; rows: number; columns: ExportColumn[]; json: string; csv: string }>;
};

/** A refusal to export or import, meant for the person at the console or the terminal. */
export class PortabilityError extends Error {}

const JSON_VALUE_TYPES = new Set(["bool", "int2", "int4", "text", "varchar", "bpchar", "citext", "uuid", "timestamptz", "timestamp", "date"]);

function kindOf(typname: string): ColumnKind {
  if (typname === "jsonb") return "jsonb";
  if (typname === "bytea") return "bytea";
  return JSON_VALUE_TYPES.has(typname) ? "json-value" : "pg-text";
}

/** The town's tables as this database has them, parents before children. */
export async function tenantSchema(db: Db): Promise<Table[]> {
  const { rows: names } = await sql<{ table_name: string }>`
    select c.table_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
    order by 1`.execute(db);
  const wanted = ["tenants", ...names.map((n) => n.table_name)];
  const { rows: columns } = await sql<{
    table_name: string;
    name: string;
    type: string;
    typname: string;
    identity: boolean;
    generated: boolean;
    optional: boolean;
  }>`
    select c.relname as table_name, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
           coalesce(bt.typname, t.typname) as typname,
           a.attidentity <> '' as identity, a.attgenerated <> '' as generated,
           (not a.attnotnull or a.atthasdef or a.attidentity <> '') as optional
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_type t on t.oid = a.atttypid
    left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
    where c.relnamespace = current_schema()::regnamespace and c.relname = any(${wanted}::text[])
      and a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attnum`.execute(db);
  const { rows: keys } = await sql<{ table_name: string; columns: string[] }>`
    select c.relname as table_name, array_agg(a.attname::text order by k.ord) as columns
    from pg_constraint p
    join pg_class c on c.oid = p.conrelid
    cross join lateral unnest(p.conkey) with ordinality as k(attnum, ord)
    join pg_attribute a on a.attrelid = p.conrelid and a.attnum = k.attnum
    where p.contype = 'p' and c.relnamespace = current_schema()::regnamespace and c.relname = any(${wanted}::text[])
    group by c.relname`.execute(db);
  const { rows: references } = await sql<{ table_name: string; parent: string }>`
    select distinct c.relname as table_name, pc.relname as parent
    from pg_constraint p
    join pg_class c on c.oid = p.conrelid
    join pg_class pc on pc.oid = p.confrelid
    where p.contype = 'f' and c.relnamespace = current_schema()::regnamespace and c.relname = any(${wanted}::text[])`.execute(db);

  const tables = new Map<string, Table>();
  for (const name of wanted) {
    const primaryKey = keys.find((k) => k.table_name === name)?.columns ?? [];
    if (primaryKey.length === 0) throw new PortabilityError(`table ${name} has no primary key: its rows cannot be exported in a stable order`);
    tables.set(name, {
      name,
      scope: name === "tenants" ? "id" : "tenant_id",
      primaryKey,
      columns: columns
        .filter((c) => c.table_name === name)
        .map((c) => ({ name: c.name, type: c.type, kind: kindOf(c.typname), identity: c.identity, generated: c.generated, optional: c.optional })),
      // A table referencing itself (a listing merged into another) is inserted in one
      // statement, whose foreign keys are checked at its end: no order is needed inside it.
      dependsOn: references.filter((r) => r.table_name === name && r.parent !== name).map((r) => r.parent),
    });
  }
  return topologicalOrder(tables);
}

function topologicalOrder(tables: Map<string, Table>): Table[] {
  const ordered: Table[] = [];
  const done = new Set<string>();
  const remaining = new Set(tables.keys());
  while (remaining.size > 0) {
    // `tenants` first in any case: every other row is checked against it by RLS on import.
    const ready = [...remaining]
      .filter((name) => tables.get(name)!.dependsOn.every((p) => done.has(p) || !tables.has(p)))
      .sort((a, b) => (a === "tenants" ? -1 : b === "tenants" ? 1 : a.localeCompare(b)));
    if (ready.length === 0) {
      throw new PortabilityError(`the foreign keys between ${[...remaining].sort().join(", ")} form a cycle: no insertion order exists`);
    }
    for (const name of ready) {
      ordered.push(tables.get(name)!);
      done.add(name);
      remaining.delete(name);
    }
  }
  return ordered;
}

const exported = (table: Table) => table.columns.filter((c) => !c.generated);

/** One row as JSON text, built by PostgreSQL (jsonb_build_object takes at most 100 arguments). */
function rowJson(table: Table): RawBuilder<string> {
  const columns = exported(table);
  const value = (c: Column) => {
    const ref = sql.ref(c.name);
    if (c.kind === "jsonb") return ref;
    if (c.kind === "bytea") return sql`to_jsonb(translate(encode(${ref}, 'base64'), E'\\n', ''))`;
    if (c.kind === "json-value") return sql`to_jsonb(${ref})`;
    return sql`to_jsonb(${ref}::text)`;
  };
  const parts: RawBuilder<unknown>[] = [];
  for (let i = 0; i < columns.length; i += 40) {
    const chunk = columns.slice(i, i + 40);
    parts.push(sql`jsonb_build_object(${sql.join(chunk.map((c) => sql`${c.name}::text, ${value(c)}`))})`);
  }
  let object = sql`(${sql.join(parts, sql` || `)})`;
  const jsonbColumns = columns.filter((c) => c.kind === "jsonb");
  if (jsonbColumns.length > 0) {
    const nullKeys = jsonbColumns.map((c) => sql`case when ${sql.ref(c.name)} is null then ${c.name}::text end`);
    object = sql`(${object} - array_remove(array[${sql.join(nullKeys)}], null))`;
  }
  return sql<string>`${object}::text`;
}

/** The same columns as text, for the CSV (empty cell for NULL). */
function csvColumns(table: Table) {
  return exported(table).map((c) => {
    const ref = sql.ref(c.name);
    const value = c.kind === "bytea" ? sql`translate(encode(${ref}, 'base64'), E'\\n', '')` : sql`${ref}::text`;
    return sql`${value} as ${sql.id(c.name)}`;
  });
}

const orderBy = (table: Table) => sql.join(table.primaryKey.map((k) => sql.ref(k)));

/**
 * Everything a town owns, as a zip. Run it in one snapshot (`withTenant(id, fn, { snapshot:
 * true })`, or a repeatable-read transaction of the owner scoped to the tenant), so that
 * every table is read at the same instant and the foreign keys hold in the archive.
 */
export async function exportTenant(db: Db, tenantId: string): Promise<{ zip: Uint8Array<ArrayBuffer>; manifest: ExportManifest }> {
  const tenant = await db.selectFrom("tenants").select(["id", "slug", "name"]).where("id", "=", tenantId).executeTakeFirst();
  if (!tenant) throw new PortabilityError(`no tenant ${tenantId}`);
  const files: Record<string, Uint8Array> = {};
  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    tables: [],
  };
  for (const table of await tenantSchema(db)) {
    const scope = sql`${sql.ref(table.scope)} = ${tenantId}::uuid`;
    const { rows } = await sql<{ row: string }>`select ${rowJson(table)} as row from ${sql.table(table.name)} where ${scope} order by ${orderBy(table)}`.execute(db);
    const columns = exported(table);
    const text = await sql<Record<string, string | null>>`select ${sql.join(csvColumns(table))} from ${sql.table(table.name)} where ${scope} order by ${orderBy(table)}`.execute(db);
    const json = `tables/${table.name}.json`;
    const csv = `tables/${table.name}.csv`;
    files[json] = strToU8(rows.length === 0 ? "[]\n" : `[\n${rows.map((r) => r.row).join(",\n")}\n]\n`);
    files[csv] = strToU8(
      stringify(
        text.rows.map((r) => columns.map((c) => r[c.name] ?? "")),
        { header: true, columns: columns.map((c) => c.name) },
      ),
    );
    manifest.tables.push({ name: table.name, rows: rows.length, columns: columns.map(({ name, type }) => ({ name, type })), json, csv });
  }
  files["manifest.json"] = strToU8(JSON.stringify(manifest, null, 2) + "\n");
  return { zip: zipSync(files, { level: 6 }), manifest };
}

/** The archive's file name: the town and the day, nothing a header could choke on. */
export function exportFileName(slug: string, at: Date) {
  return `communa-${slug.replace(/[^a-z0-9-]/g, "")}-${at.toISOString().slice(0, 10)}.zip`;
}

// An export is trusted input (the operator's own file), but a damaged or foreign zip should
// be refused with a reason, not explode: cap what it may unpack to.
const MAX_UNPACKED_BYTES = 4 * 1024 * 1024 * 1024;

function readArchive(zip: Uint8Array): { manifest: ExportManifest; files: Record<string, Uint8Array> } {
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter: (file) => {
        total += file.originalSize;
        if (total > MAX_UNPACKED_BYTES) throw new PortabilityError("the archive unpacks to more than 4 GB: refused");
        return file.name === "manifest.json" || (file.name.startsWith("tables/") && file.name.endsWith(".json"));
      },
    });
  } catch (error) {
    if (error instanceof PortabilityError) throw error;
    throw new PortabilityError(`not a readable zip archive (${(error as Error).message})`);
  }
  if (!files["manifest.json"]) throw new PortabilityError("manifest.json is missing: not a Communa tenant export");
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(strFromU8(files["manifest.json"]));
  } catch {
    throw new PortabilityError("manifest.json is not valid JSON");
  }
  if (manifest?.format !== EXPORT_FORMAT) throw new PortabilityError("manifest.json does not describe a Communa tenant export");
  if (manifest.version !== EXPORT_VERSION) throw new PortabilityError(`export format version ${manifest.version} is not supported (expected ${EXPORT_VERSION})`);
  if (!Array.isArray(manifest.tables) || manifest.tables[0]?.name !== "tenants") throw new PortabilityError("manifest.json lists no tenant row");
  for (const entry of manifest.tables) {
    if (!files[entry.json]) throw new PortabilityError(`${entry.json} is missing from the archive`);
  }
  return { manifest, files };
}

/** Where the archive and this database disagree, in words; empty when the import can go ahead. */
function schemaProblems(manifest: ExportManifest, target: Map<string, Table>): string[] {
  const problems: string[] = [];
  for (const entry of manifest.tables) {
    const table = target.get(entry.name);
    if (!table) {
      problems.push(`table ${entry.name} does not exist in this database (migrate it to the version the export came from)`);
      continue;
    }
    const columns = new Map(exported(table).map((c) => [c.name, c]));
    for (const c of entry.columns) {
      const here = columns.get(c.name);
      if (!here) problems.push(`${entry.name}.${c.name} does not exist in this database`);
      else if (here.type !== c.type) problems.push(`${entry.name}.${c.name} is ${here.type} here but ${c.type} in the export`);
    }
    const exportedNames = new Set(entry.columns.map((c) => c.name));
    for (const c of columns.values()) {
      if (!exportedNames.has(c.name) && !c.optional) problems.push(`${entry.name}.${c.name} is required here and absent from the export`);
    }
  }
  return problems;
}

function insertRows(table: Table, columns: Column[], json: string) {
  const decoded = columns.map((c) => {
    const field = sql`r.v -> ${c.name}::text`;
    const text = sql`r.v ->> ${c.name}::text`;
    if (c.kind === "jsonb") return field;
    if (c.kind === "bytea") return sql`decode(${text}, 'base64')`;
    return sql`(${text})::${sql.raw(c.type)}`;
  });
  const overriding = columns.some((c) => c.identity) ? sql`overriding system value` : sql``;
  return sql`
    insert into ${sql.table(table.name)} (${sql.join(columns.map((c) => sql.ref(c.name)))}) ${overriding}
    select ${sql.join(decoded)} from jsonb_array_elements(${json}::jsonb) as r(v)`;
}

export type ImportSummary = { tenant: ExportManifest["tenant"]; tables: Array<{ name: string; rows: number }> };

/**
 * Loads an export into this database, in one transaction of the owner: all of it or
 * nothing. The database must be migrated and must not hold this tenant (same id or slug)
 * nor its host names. Every table goes in parents first; identity values are kept
 * (`overriding system value`) and their sequences moved past them; the tables' own
 * triggers are off while the rows go in, since the rows are the result of those triggers
 * already (a counter bumped once per write would be bumped again), and the foreign keys
 * are still checked.
 */
export async function importTenant(ownerDb: Kysely<any>, zip: Uint8Array): Promise<ImportSummary> {
  const { manifest, files } = readArchive(zip);
  return ownerDb.transaction().execute(async (tx) => {
    const order = await tenantSchema(tx);
    const target = new Map(order.map((t) => [t.name, t]));
    const problems = schemaProblems(manifest, target);
    if (problems.length) throw new PortabilityError(`the export does not fit this database:\n  - ${problems.join("\n  - ")}`);
    const clash = await sql<{ slug: string }>`
      select slug from tenants where id = ${manifest.tenant.id}::uuid or slug = ${manifest.tenant.slug}`.execute(tx);
    if (clash.rows.length) throw new PortabilityError(`this database already has the tenant ${manifest.tenant.slug} (same id or slug): import into a database without it`);

    const entries = new Map(manifest.tables.map((e) => [e.name, e]));
    const tables = order.filter((t) => entries.has(t.name));
    const summary: ImportSummary = { tenant: manifest.tenant, tables: [] };
    for (const table of tables) {
      if (table.scope === "tenant_id") await sql`alter table ${sql.table(table.name)} disable trigger user`.execute(tx);
    }
    for (const table of tables) {
      const entry = entries.get(table.name)!;
      const names = new Set(entry.columns.map((c) => c.name));
      const columns = exported(table).filter((c) => names.has(c.name));
      let inserted: bigint;
      try {
        const result = await insertRows(table, columns, strFromU8(files[entry.json])).execute(tx);
        inserted = result.numAffectedRows ?? 0n;
      } catch (error) {
        const message = (error as Error).message;
        if (table.name === "tenants" && /host/.test(message)) {
          throw new PortabilityError(`a host name of ${manifest.tenant.slug} is already used by another tenant of this database (${message})`);
        }
        throw new PortabilityError(`table ${table.name}: ${message}`);
      }
      if (Number(inserted) !== entry.rows) {
        throw new PortabilityError(`table ${table.name}: ${inserted} rows inserted but the manifest counts ${entry.rows}`);
      }
      if (table.name === "tenants") {
        // From here on the transaction is the tenant's: row-level security checks every row.
        await sql`select set_config('app.tenant_id', ${manifest.tenant.id}, true)`.execute(tx);
      }
      for (const c of columns.filter((col) => col.identity)) {
        // Sequences are shared by every tenant of the database: only ever moved forward.
        await sql`
          select setval(x.seq, x.max_value)
          from (select pg_get_serial_sequence(${table.name}, ${c.name})::regclass as seq,
                       (select max(${sql.ref(c.name)}) from ${sql.table(table.name)}) as max_value) x
          where x.max_value > coalesce(pg_sequence_last_value(x.seq), 0)`.execute(tx);
      }
      summary.tables.push({ name: table.name, rows: entry.rows });
    }
    for (const table of tables) {
      if (table.scope === "tenant_id") await sql`alter table ${sql.table(table.name)} enable trigger user`.execute(tx);
    }
    return summary;
  });
}
