// The wrapper's transaction when the request has no session: opened by the loader's first
// query only, yet still one transaction, scoped to the tenant, committed when the loader
// returns and rolled back when it throws.
import { sql } from "kysely";
import { BUILTIN_ROLES } from "~/core/modules/types";
import { closeDatabase, withTenant } from "./db/db.server";
import { recordEvent } from "./events.server";
import { notFound, requireTenant, tenantLoader } from "./route.server";
import { createTestTenant, type TestTenant } from "../../db/test/helpers";
import { testContext } from "../../db/test/routes";

vi.mock(import("./db/db.server"), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, withTenant: vi.fn(actual.withTenant) as typeof actual.withTenant };
});

afterAll(async () => {
  await closeDatabase();
});

const withTenantCalls = vi.mocked(withTenant);

function args(tenant: TestTenant, headers: Record<string, string> = {}) {
  return { request: new Request(`http://${tenant.host}/`, { headers }), params: {}, context: testContext() };
}

/** A tenant whose definition is already cached, so that only the loader's transactions count. */
async function resolvedTenant(): Promise<TestTenant> {
  const tenant = await createTestTenant();
  await requireTenant(new Request(`http://${tenant.host}/`));
  withTenantCalls.mockClear();
  return tenant;
}

function eventCount(tenant: TestTenant) {
  return withTenant(tenant.id, (tx) =>
    tx
      .selectFrom("core_events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n)),
  );
}

describe("tenantLoader without a session cookie", () => {
  it("opens no transaction for a loader that makes no query", async () => {
    const tenant = await resolvedTenant();
    const loader = tenantLoader(async ({ tenant: t }) => t.slug);
    expect(await loader(args(tenant))).toBe(tenant.slug);
    expect(withTenantCalls).not.toHaveBeenCalled();
  });

  it("runs every query of the loader in one transaction scoped to its tenant", async () => {
    const tenant = await resolvedTenant();
    await createTestTenant();
    const loader = tenantLoader(async ({ tx }) => {
      const first = await sql<{ xid: string; tenant: string }>`select txid_current()::text as xid, current_setting('app.tenant_id') as tenant`.execute(tx);
      const roles = await tx.selectFrom("roles").select(["tenant_id", "key"]).execute();
      const second = await sql<{ xid: string }>`select txid_current()::text as xid`.execute(tx);
      return { first: first.rows[0], roles, second: second.rows[0] };
    });
    const result = await loader(args(tenant));
    expect(withTenantCalls).toHaveBeenCalledTimes(1);
    expect(result.first.tenant).toBe(tenant.id);
    expect(result.second.xid).toBe(result.first.xid);
    // Row-level security applies: the other tenant's built-in roles are not visible.
    expect(result.roles).toHaveLength(BUILTIN_ROLES.length);
    expect(new Set(result.roles.map((r) => r.tenant_id))).toEqual(new Set([tenant.id]));
  });

  it("commits what the loader wrote once it returns", async () => {
    const tenant = await resolvedTenant();
    const loader = tenantLoader(async ({ tx }) => {
      await recordEvent(tx, { module: "test", kind: "lazy-commit" });
      return "done";
    });
    expect(await loader(args(tenant))).toBe("done");
    expect(await eventCount(tenant)).toBe(1);
  });

  it("rolls back what the loader wrote when it throws a response", async () => {
    const tenant = await resolvedTenant();
    const loader = tenantLoader(async ({ tx }) => {
      await recordEvent(tx, { module: "test", kind: "lazy-rollback" });
      notFound();
    });
    const thrown = await loader(args(tenant)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
    expect(await eventCount(tenant)).toBe(0);
  });

  it("rejects with the database's error when a query fails, writing nothing", async () => {
    const tenant = await resolvedTenant();
    const loader = tenantLoader(async ({ tx }) => {
      await recordEvent(tx, { module: "test", kind: "lazy-failure" });
      await sql`select 1 / 0`.execute(tx);
      return "unreachable";
    });
    await expect(loader(args(tenant))).rejects.toThrow(/division by zero/);
    expect(await eventCount(tenant)).toBe(0);
  });
});

describe("tenantLoader with a session cookie", () => {
  it("opens the transaction before the loader runs, to look the session up", async () => {
    const tenant = await resolvedTenant();
    const token = "a".repeat(43);
    const loader = tenantLoader(async ({ user }) => user);
    expect(await loader(args(tenant, { cookie: `communa_session=${token}` }))).toBeNull();
    expect(withTenantCalls).toHaveBeenCalledTimes(1);
  });
});
