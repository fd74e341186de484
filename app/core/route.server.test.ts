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

describe("request body limit", () => {
  it("refuses a body over the limit with 413 before buffering it, whatever its declared length", async () => {
    const { readLimitedForm } = await import("./route.server");
    const big = "x=" + "a".repeat(2048);
    const declared = new Request("http://t.localhost/", { method: "POST", body: big, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(big.length) } });
    await expect(readLimitedForm(declared, 1024)).rejects.toMatchObject({ status: 413 });
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode("a".repeat(512)));
        c.close();
      },
    });
    const undeclared = new Request("http://t.localhost/", { method: "POST", body: stream, duplex: "half", headers: { "content-type": "application/x-www-form-urlencoded" } } as RequestInit);
    await expect(readLimitedForm(undeclared, 1024)).rejects.toMatchObject({ status: 413 });
    const small = new Request("http://t.localhost/", { method: "POST", body: "name=Caf%C3%A9", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect((await readLimitedForm(small, 1024)).get("name")).toBe("Café");
  });
});
