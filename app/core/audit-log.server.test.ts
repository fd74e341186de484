// Reading the audit log: filters (dates are the town's calendar days), pagination, the
// changed keys of an entry, the CSV export, and the purge past the town's retention period.
import { parse } from "csv-parse/sync";
import { closeDatabase, withTenant } from "./db/db.server";
import {
  AUDIT_PAGE_SIZE,
  auditChanges,
  auditCsv,
  auditFilterChoices,
  exportAuditEntries,
  listAuditEntries,
  parseAuditFilters,
  purgeExpiredAuditEntries,
  type AuditFilters,
} from "./audit-log.server";
import { purgeExpiredPersonalData } from "./retention.server";
import { saveTenantOverrides } from "./tenant/settings.server";
import { createTestTenant, type TestTenant } from "../../db/test/helpers";

afterAll(async () => {
  await closeDatabase();
});

type Seed = { action: string; at: string; actor?: string; subjectType?: string; subjectId?: string | null; before?: unknown; after?: unknown; kind?: "staff" | "operator" };

async function seed(town: TestTenant, entries: Seed[]) {
  await withTenant(town.id, async (tx) => {
    for (const e of entries) {
      await tx
        .insertInto("audit_log")
        .values({
          tenant_id: town.id,
          actor_kind: e.kind ?? "staff",
          actor_id: null,
          actor_label: e.actor ?? "Agent Test <agent@example.org>",
          action: e.action,
          subject_type: e.subjectType ?? "module",
          subject_id: e.subjectId === undefined ? "directory" : e.subjectId,
          before: e.before === undefined ? null : JSON.stringify(e.before),
          after: e.after === undefined ? null : JSON.stringify(e.after),
          occurred_at: new Date(e.at),
        } as never)
        .execute();
    }
  });
}

const PARIS = "Europe/Paris";
const list = (town: TestTenant, filters: AuditFilters, page = 1) => withTenant(town.id, (tx) => listAuditEntries(tx, filters, PARIS, page));
const actionsOf = (rows: { action: string }[]) => rows.map((r) => r.action);

describe("parseAuditFilters", () => {
  it("reads the journal's query string, French or ISO dates alike", () => {
    const parsed = parseAuditFilters(new URLSearchParams("action=module&auteur=%20Camille%20&objet=module&du=01/03/2026&au=2026-03-31&page=3"));
    expect(parsed).toMatchObject({ ok: true, page: 3, filters: { action: "module", actor: "Camille", subjectType: "module", from: "2026-03-01", to: "2026-03-31" } });
    expect(parseAuditFilters(new URLSearchParams("page=-2"))).toMatchObject({ ok: true, page: 1, filters: {} });
    expect(parseAuditFilters(new URLSearchParams("page=abc"))).toMatchObject({ ok: true, page: 1 });
  });

  it("names each bad filter by its field, with what was typed", () => {
    expect(parseAuditFilters(new URLSearchParams("du=2026-02-30&au=hier&action=DROP%20TABLE"))).toEqual({
      ok: false,
      errors: { du: "console-audit:errors.date", au: "console-audit:errors.date", action: "common:form.errors.choice" },
      input: { action: "DROP TABLE", actor: "", subjectType: "", from: "2026-02-30", to: "hier" },
    });
    expect(parseAuditFilters(new URLSearchParams("du=2026-03-02&au=2026-03-01"))).toMatchObject({ ok: false, errors: { au: "console-audit:errors.dateOrder" } });
    expect(parseAuditFilters(new URLSearchParams(`auteur=${"x".repeat(201)}`))).toMatchObject({ ok: false, errors: { auteur: "common:form.errors.tooLong" } });
  });
});

describe("listAuditEntries", () => {
  let town: TestTenant;
  beforeAll(async () => {
    town = await createTestTenant();
    const other = await createTestTenant();
    await seed(town, [
      { action: "module.disable", at: "2026-03-01T09:00:00Z", actor: "Camille Martin <camille@example.org>" },
      { action: "module.enable", at: "2026-03-01T10:00:00Z", actor: "Camille Martin <camille@example.org>" },
      // 23:30 UTC on 28 March is 00:30 on the 29th in Paris (winter time, UTC+1).
      { action: "module.settings", at: "2026-03-28T23:30:00Z", actor: "Dominique 100%_sûr <dom@example.org>" },
      // 29 March 2026 is the change to summer time: 22:30 UTC is already 00:30 on the 30th.
      { action: "modules.other", at: "2026-03-29T22:30:00Z", subjectType: "role", subjectId: "elected" },
      { action: "tenant.suspend", at: "2026-04-02T08:00:00Z", kind: "operator", actor: "Opé <op@communa.test>", subjectType: "tenant", subjectId: null },
    ]);
    await seed(other, [{ action: "module.disable", at: "2026-03-01T09:30:00Z", actor: "Camille Martin <camille@example.org>" }]);
  });

  it("lists the town's entries only, newest first", async () => {
    const { entries, hasMore } = await list(town, {});
    expect(actionsOf(entries)).toEqual(["tenant.suspend", "modules.other", "module.settings", "module.enable", "module.disable"]);
    expect(hasMore).toBe(false);
    expect(entries[0]).toMatchObject({ actorKind: "operator", subjectType: "tenant", subjectId: null });
  });

  it("filters by action prefix (whole segments only) or exact action", async () => {
    expect(actionsOf((await list(town, { action: "module" })).entries)).toEqual(["module.settings", "module.enable", "module.disable"]);
    expect(actionsOf((await list(town, { action: "module.enable" })).entries)).toEqual(["module.enable"]);
    expect(actionsOf((await list(town, { action: "mod" })).entries)).toEqual([]);
  });

  it("filters by actor (any case, wildcards taken literally) and subject type", async () => {
    expect(actionsOf((await list(town, { actor: "CAMILLE" })).entries)).toEqual(["module.enable", "module.disable"]);
    expect(actionsOf((await list(town, { actor: "100%_" })).entries)).toEqual(["module.settings"]);
    expect(actionsOf((await list(town, { actor: "%" })).entries)).toEqual(["module.settings"]);
    expect(actionsOf((await list(town, { subjectType: "role" })).entries)).toEqual(["modules.other"]);
  });

  it("takes dates as calendar days of the town's time zone, across a change of clocks", async () => {
    expect(actionsOf((await list(town, { from: "2026-03-29", to: "2026-03-29" })).entries)).toEqual(["module.settings"]);
    expect(actionsOf((await list(town, { to: "2026-03-28" })).entries)).toEqual(["module.enable", "module.disable"]);
    expect(actionsOf((await list(town, { from: "2026-03-30", to: "2026-03-30" })).entries)).toEqual(["modules.other"]);
    expect(actionsOf((await list(town, { from: "2026-03-01", to: "2026-03-01", actor: "camille" })).entries)).toEqual(["module.enable", "module.disable"]);
  });

  it("offers every action, its dotted prefixes and every subject type as choices", async () => {
    expect(await withTenant(town.id, (tx) => auditFilterChoices(tx))).toEqual({
      actions: [
        { value: "module", group: true },
        { value: "module.disable", group: false },
        { value: "module.enable", group: false },
        { value: "module.settings", group: false },
        { value: "modules", group: true },
        { value: "modules.other", group: false },
        { value: "tenant", group: true },
        { value: "tenant.suspend", group: false },
      ],
      subjectTypes: ["module", "role", "tenant"],
    });
  });

  it("pages by 50", async () => {
    const busy = await createTestTenant();
    await seed(
      busy,
      Array.from({ length: AUDIT_PAGE_SIZE + 1 }, (_, i) => ({ action: `module.n${String(i).padStart(2, "0")}`, at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() })),
    );
    const first = await list(busy, {});
    expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.hasMore).toBe(true);
    expect(first.entries[0].action).toBe("module.n50");
    const second = await list(busy, {}, 2);
    expect(actionsOf(second.entries)).toEqual(["module.n00"]);
    expect(second.hasMore).toBe(false);
  });
});

describe("auditChanges", () => {
  it("lists the top-level keys that changed, whatever the order of keys", () => {
    expect(auditChanges({ a: 1, b: { x: 1, y: 2 }, c: [1], gone: true }, { b: { y: 2, x: 1 }, a: 2, c: [1], added: "x" })).toEqual([
      { key: "a", before: "1", after: "2" },
      { key: "added", before: null, after: '"x"' },
      { key: "gone", before: "true", after: null },
    ]);
  });

  it("compares values that are not both objects whole", () => {
    expect(auditChanges(null, { status: "active" })).toEqual([{ key: null, before: null, after: '{"status":"active"}' }]);
    expect(auditChanges([1, 2], [1, 2])).toEqual([]);
    expect(auditChanges(null, null)).toEqual([]);
  });
});

describe("auditCsv", () => {
  it("writes UTF-8 with a BOM, `;` separated, ISO dates, JSON values, and defuses formulas", async () => {
    const town = await createTestTenant();
    await seed(town, [
      { action: "module.settings", at: "2026-05-04T10:15:00Z", actor: "=HYPERLINK(\"http://evil\") <e@example.org>", before: { freshnessMonths: 6 }, after: { freshnessMonths: 12, note: "été; \"cité\"" } },
      { action: "tenant.create", at: "2026-05-01T08:00:00Z", kind: "operator", actor: "Opé <op@communa.test>", subjectType: "tenant", subjectId: null, after: { name: "Lomme" } },
    ]);
    const rows = await withTenant(town.id, (tx) => exportAuditEntries(tx, {}, PARIS));
    const csv = auditCsv(rows, { date: "date", actor: "auteur", action: "action", subjectType: "type_objet", subjectId: "id_objet", before: "avant_json", after: "apres_json" });
    expect(csv.startsWith("\ufeff")).toBe(true);
    expect(csv.slice(1).split("\r\n")[0]).toBe("date;auteur;action;type_objet;id_objet;avant_json;apres_json");
    const records = parse(csv, { bom: true, delimiter: ";", record_delimiter: "\r\n" }) as string[][];
    expect(records).toHaveLength(3);
    const [date, actor, action, subjectType, subjectId, before, after] = records[1];
    expect([date, actor, action, subjectType, subjectId]).toEqual(["2026-05-04T10:15:00.000Z", "'=HYPERLINK(\"http://evil\") <e@example.org>", "module.settings", "module", "directory"]);
    expect(JSON.parse(before)).toEqual({ freshnessMonths: 6 });
    expect(JSON.parse(after)).toEqual({ freshnessMonths: 12, note: 'été; "cité"' });
    expect(records[2]).toEqual(["2026-05-01T08:00:00.000Z", "Opé <op@communa.test>", "tenant.create", "tenant", "", "", '{"name":"Lomme"}']);
    const filtered = await withTenant(town.id, (tx) => exportAuditEntries(tx, { action: "tenant" }, PARIS));
    expect(actionsOf(filtered)).toEqual(["tenant.create"]);
  });
});

describe("retention", () => {
  // Far enough ahead that the other test files' runs of the daily job (their own clocks) never reach these entries.
  const now = new Date("2031-06-01T12:00:00Z");
  const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 3600 * 1000).toISOString();
  const remaining = (town: TestTenant) => withTenant(town.id, (tx) => tx.selectFrom("audit_log").select("action").orderBy("occurred_at").execute()).then(actionsOf);

  it("deletes entries older than the town's period (365 days by default, or what its staff chose), in that town only", async () => {
    const byDefault = await createTestTenant();
    const shorter = await createTestTenant();
    for (const town of [byDefault, shorter]) {
      await seed(town, [
        { action: "module.a400", at: daysAgo(400) },
        { action: "module.a366", at: daysAgo(366) },
        { action: "module.a364", at: daysAgo(364) },
        { action: "module.a100", at: daysAgo(100) },
        { action: "module.a10", at: daysAgo(10) },
      ]);
    }
    await withTenant(shorter.id, (tx) => saveTenantOverrides(tx, shorter.id, { audit: { retentionDays: 90 } }));

    // Through the daily job's per-tenant purge.
    const counts = await withTenant(byDefault.id, (tx) => purgeExpiredPersonalData(tx, now));
    expect(counts.audit).toBe(2);
    expect(await remaining(byDefault)).toEqual(["module.a364", "module.a100", "module.a10"]);
    expect(await remaining(shorter)).toHaveLength(5);

    expect(await withTenant(shorter.id, (tx) => purgeExpiredAuditEntries(tx, now))).toBe(4);
    expect(await remaining(shorter)).toEqual(["module.a10"]);
    // Idempotent: a second run finds nothing more.
    expect(await withTenant(shorter.id, (tx) => purgeExpiredAuditEntries(tx, now))).toBe(0);
  });

  it("runs for every town in the daily job", async () => {
    const { runRetentionPurge } = await import("./jobs/jobs.server");
    const town = await createTestTenant();
    await seed(town, [{ action: "module.old", at: "2020-01-01T00:00:00Z" }, { action: "module.recent", at: "2025-12-30T00:00:00Z" }]);
    const counts = await runRetentionPurge({ log: { info: () => undefined, warn: () => undefined, error: () => undefined }, now: new Date("2026-01-01") });
    expect(counts[town.slug].audit).toBe(1);
    expect(await remaining(town)).toEqual(["module.recent"]);
  });
});
