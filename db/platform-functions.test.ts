// The platform functions: the only way the app role writes `tenants`. Called as the app role,
// as the operator console calls them; each refusal is one the database itself makes.
import crypto from "node:crypto";
import { sql } from "kysely";
import { hashToken } from "../app/core/auth/session.server";
import { closeDatabase, withPlatform, withTenant } from "../app/core/db/db.server";
import { revokeOperatorSession } from "../app/core/operator/session.server";
import { operatorBrowser } from "../app/core/operator/testing";
import { createTestTenant, ownerDb, testDefinition } from "./test/helpers";

afterAll(async () => {
  await closeDatabase();
});

/** A live operator session, as the console holds it: the id is the sha256 of the cookie token. */
async function operatorSession() {
  const { operatorId, sessionId } = await operatorBrowser("Opé Fonctions");
  return { operatorId, sessionId };
}

function create(session: string | null, slug: string, hosts: string[], definition: unknown = testDefinition(`Ville ${slug}`, hosts[0] ?? "x.localhost")) {
  return withPlatform((tx) =>
    sql<{ id: string }>`select platform_create_tenant(${session}, ${slug}, ${`Ville ${slug}`}, ${sql.val(hosts)}::text[], ${JSON.stringify(definition)}::jsonb) as id`.execute(tx),
  );
}

const freshSlug = () => `fn-${crypto.randomBytes(5).toString("hex")}`;

describe("the platform functions as the only door to tenants", () => {
  it("are the only SECURITY DEFINER functions, each with a pinned search_path, and PUBLIC may not execute them", async () => {
    const { rows } = await sql<{ proname: string; proconfig: string[] | null; public_grants: number }>`
      select p.proname, p.proconfig,
             (select count(*) from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a where a.grantee = 0)::int as public_grants
      from pg_proc p
      where p.pronamespace = 'public'::regnamespace and p.prosecdef
      order by p.proname`.execute(ownerDb());
    expect(rows.map((r) => r.proname)).toEqual(["platform_create_tenant", "platform_set_tenant_status"]);
    for (const row of rows) {
      expect(row.proconfig).toContain("search_path=pg_catalog, public, pg_temp");
      expect(row.public_grants).toBe(0);
    }
    const canRun = await withPlatform((tx) =>
      sql<{ ok: boolean }>`select has_function_privilege('platform_create_tenant(text, text, text, text[], jsonb)', 'execute') as ok`.execute(tx),
    );
    expect(canRun.rows[0].ok).toBe(true);
  });

  it("creates a tenant for a signed-in operator, and sets its status, returning the previous one", async () => {
    const { sessionId } = await operatorSession();
    const slug = freshSlug();
    const { rows } = await create(sessionId, slug, [`${slug}.localhost`, `www.${slug}.localhost`]);
    const row = await ownerDb().selectFrom("tenants").selectAll().where("id", "=", rows[0].id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ slug, name: `Ville ${slug}`, hosts: [`${slug}.localhost`, `www.${slug}.localhost`], status: "active" });
    // The columns and the stored definition cannot disagree.
    expect(row.definition).toMatchObject({ name: `Ville ${slug}`, hosts: row.hosts });

    const status = (value: string) =>
      withPlatform((tx) => sql<{ previous: string }>`select platform_set_tenant_status(${sessionId}, ${row.id}::uuid, ${value}) as previous`.execute(tx));
    expect((await status("suspended")).rows[0].previous).toBe("active");
    expect((await status("active")).rows[0].previous).toBe("suspended");
    const after = await ownerDb().selectFrom("tenants").select("status").where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(after.status).toBe("active");
  });

  it("refuses a caller without a live operator session: none, unknown, revoked", async () => {
    const slug = freshSlug();
    await expect(create(null, slug, [`${slug}.localhost`])).rejects.toThrow(/no signed-in operator/);
    await expect(create(hashToken("not-a-session"), slug, [`${slug}.localhost`])).rejects.toThrow(/no signed-in operator/);
    const { sessionId } = await operatorSession();
    await withPlatform((tx) => revokeOperatorSession(tx, sessionId));
    await expect(create(sessionId, slug, [`${slug}.localhost`])).rejects.toThrow(/no signed-in operator/);
    const tenant = await createTestTenant();
    await expect(
      withPlatform((tx) => sql`select platform_set_tenant_status(${sessionId}, ${tenant.id}::uuid, 'suspended')`.execute(tx)),
    ).rejects.toThrow(/no signed-in operator/);
    expect(await ownerDb().selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirst()).toBeUndefined();
  });

  it("refuses to run in a town's transaction, even with a valid operator session", async () => {
    const { sessionId } = await operatorSession();
    const town = await createTestTenant();
    const slug = freshSlug();
    await expect(
      withTenant(town.id, (tx) =>
        sql`select platform_create_tenant(${sessionId}, ${slug}, 'Intruse', ${sql.val([`${slug}.localhost`])}::text[], '{}'::jsonb)`.execute(tx),
      ),
    ).rejects.toThrow(/tenant transaction/);
    await expect(
      withTenant(town.id, (tx) => sql`select platform_set_tenant_status(${sessionId}, ${town.id}::uuid, 'suspended')`.execute(tx)),
    ).rejects.toThrow(/tenant transaction/);
    const row = await ownerDb().selectFrom("tenants").select("status").where("id", "=", town.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("active");
  });

  it("validates its input itself", async () => {
    const { sessionId } = await operatorSession();
    const slug = freshSlug();
    const host = `${slug}.localhost`;
    await expect(create(sessionId, "Pas-Un-Slug", [host])).rejects.toThrow(/invalid slug/);
    await expect(create(sessionId, "a".repeat(64), [host])).rejects.toThrow(/invalid slug/);
    await expect(create(sessionId, slug, [])).rejects.toThrow(/invalid hosts/);
    await expect(create(sessionId, slug, ["Majuscules.localhost"])).rejects.toThrow(/invalid hosts/);
    await expect(create(sessionId, slug, ["bad_host.localhost"])).rejects.toThrow(/invalid hosts/);
    await expect(create(sessionId, slug, [host, host])).rejects.toThrow(/invalid hosts/);
    await expect(create(sessionId, slug, [host], ["not", "an", "object"])).rejects.toThrow(/invalid definition/);
    const tenant = await createTestTenant();
    await expect(
      withPlatform((tx) => sql`select platform_set_tenant_status(${sessionId}, ${tenant.id}::uuid, 'deleted')`.execute(tx)),
    ).rejects.toThrow(/invalid status/);
    await expect(
      withPlatform((tx) => sql`select platform_set_tenant_status(${sessionId}, ${crypto.randomUUID()}::uuid, 'suspended')`.execute(tx)),
    ).rejects.toThrow(/no tenant/);
    expect(await ownerDb().selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirst()).toBeUndefined();
  });

  it("refuses a slug or a host name already taken, naming the hosts", async () => {
    const { sessionId } = await operatorSession();
    const existing = await createTestTenant();
    const slug = freshSlug();
    await expect(create(sessionId, existing.slug, [`${slug}.localhost`])).rejects.toMatchObject({ code: "23505", constraint: "tenants_slug_key" });
    await expect(create(sessionId, slug, [`${slug}.localhost`, existing.host])).rejects.toMatchObject({
      code: "23505",
      constraint: "tenants_hosts_unique",
      detail: existing.host,
    });
  });
});
