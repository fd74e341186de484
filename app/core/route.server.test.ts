// The request wrapper, through a real module route: the tenant comes from the Host header,
// and a module the tenant has not enabled answers 404 as if it did not exist.
import { closeDatabase } from "~/core/db/db.server";
import { loader as initiativesLoader } from "~/modules/directory/routes/initiatives+/_index";
import { loader as accessibilityLoader } from "~/routes/accessibilite";
import { createTestTenant, ownerDb } from "../../db/test/helpers";
import { testContext } from "../../db/test/routes";

afterAll(async () => {
  await closeDatabase();
});

function initiatives(host: string) {
  return initiativesLoader({ request: new Request(`http://${host}/initiatives`), params: {}, context: testContext() });
}

async function thrown(promise: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a thrown response, the loader returned ${String(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(Response);
  const response = outcome.error as Response;
  return { status: response.status, body: await response.json() };
}

describe("tenantLoader on a module route", () => {
  it("answers 404 not-found when the tenant has disabled the module", async () => {
    const tenant = await createTestTenant({ disabledModules: ["directory"] });
    expect(await thrown(initiatives(tenant.host))).toEqual({ status: 404, body: { reason: "not-found" } });
  });

  it("answers 404 not-found when the tenant never enabled the module", async () => {
    const tenant = await createTestTenant();
    expect(await thrown(initiatives(tenant.host))).toEqual({ status: 404, body: { reason: "not-found" } });
  });

  it("serves the page with 200 when the module is enabled", async () => {
    const tenant = await createTestTenant({ modules: { directory: {} } });
    const response = (await initiatives(tenant.host)) as Response;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ town: `Ville ${tenant.slug}` });
  });

  it("answers 404 unknown-host, naming the host, when no tenant has it", async () => {
    expect(await thrown(initiatives("nulle-part.localhost"))).toEqual({ status: 404, body: { reason: "unknown-host", host: "nulle-part.localhost" } });
  });
});

describe("a suspended tenant", () => {
  it("answers 503 on its module pages but still serves its legal pages", async () => {
    const tenant = await createTestTenant({ modules: { directory: {} } });
    await ownerDb().updateTable("tenants").set({ status: "suspended" }).where("id", "=", tenant.id).execute();
    expect(await thrown(initiatives(tenant.host))).toEqual({ status: 503, body: { reason: "suspended" } });
    const legal = (await accessibilityLoader({ request: new Request(`http://${tenant.host}/accessibilite`), params: {}, context: testContext() })) as Response;
    expect(legal.status).toBe(200);
  });
});
