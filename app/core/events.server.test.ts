// The core event log: facts land in the tenant of the transaction that records them, are
// counted per period, and cannot be rewritten.
import { closeDatabase, withPlatform, withTenant } from "~/core/db/db.server";
import { createTestTenant, type TestTenant } from "../../db/test/helpers";
import { countEvents, recordEvent } from "./events.server";

afterAll(async () => {
  await closeDatabase();
});

let town: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  town = await createTestTenant();
  other = await createTestTenant();
});

const at = (iso: string) => new Date(iso);

describe("recordEvent", () => {
  it("writes the event under the transaction's tenant, invisible to another tenant", async () => {
    await withTenant(town.id, (tx) =>
      recordEvent(tx, { module: "test", kind: "written", subjectType: "Thing", subjectId: "42", quantities: { kg: 3.5 }, actorId: null }),
    );
    const mine = await withTenant(town.id, (tx) => tx.selectFrom("core_events").selectAll().where("kind", "=", "written").execute());
    expect(mine).toEqual([
      expect.objectContaining({ tenant_id: town.id, module: "test", kind: "written", subject_type: "Thing", subject_id: "42", quantities: { kg: 3.5 } }),
    ]);
    const theirs = await withTenant(other.id, (tx) => tx.selectFrom("core_events").select("id").where("kind", "=", "written").execute());
    expect(theirs).toEqual([]);
  });

  it("fails outside a tenant-scoped transaction", async () => {
    await expect(withPlatform((tx) => recordEvent(tx, { module: "test", kind: "orphan" }))).rejects.toThrow();
  });

  it("is append-only for the app", async () => {
    await withTenant(town.id, (tx) => recordEvent(tx, { module: "test", kind: "permanent" }));
    await expect(withTenant(town.id, (tx) => tx.updateTable("core_events").set({ kind: "rewritten" }).where("kind", "=", "permanent").execute())).rejects.toThrow(
      /permission denied|append-only/,
    );
    await expect(withTenant(town.id, (tx) => tx.deleteFrom("core_events").where("kind", "=", "permanent").execute())).rejects.toThrow(/permission denied|append-only/);
  });
});

describe("countEvents", () => {
  it("counts one module's events of one kind from the start of a period (included) to its end (excluded)", async () => {
    await withTenant(town.id, async (tx) => {
      for (const occurredAt of ["2026-02-28T23:59:59Z", "2026-03-01T00:00:00Z", "2026-03-15T12:00:00Z", "2026-03-31T23:59:59Z", "2026-04-01T00:00:00Z"]) {
        await recordEvent(tx, { module: "test", kind: "counted", occurredAt: at(occurredAt) });
      }
      await recordEvent(tx, { module: "test", kind: "other-kind", occurredAt: at("2026-03-10T00:00:00Z") });
      await recordEvent(tx, { module: "other-module", kind: "counted", occurredAt: at("2026-03-10T00:00:00Z") });
    });
    await withTenant(other.id, (tx) => recordEvent(tx, { module: "test", kind: "counted", occurredAt: at("2026-03-10T00:00:00Z") }));

    const march = { module: "test", kind: "counted", from: at("2026-03-01T00:00:00Z"), to: at("2026-04-01T00:00:00Z") };
    expect(await withTenant(town.id, (tx) => countEvents(tx, march))).toBe(3);
    expect(await withTenant(town.id, (tx) => countEvents(tx, { ...march, from: at("2026-02-01T00:00:00Z") }))).toBe(4);
    expect(await withTenant(other.id, (tx) => countEvents(tx, march))).toBe(1);
    expect(await withTenant(town.id, (tx) => countEvents(tx, { ...march, kind: "never" }))).toBe(0);
  });
});
