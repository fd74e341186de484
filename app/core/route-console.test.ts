// The wrapper's console options: `console` (staff only, two-factor rule of the town) and
// `sensitive` (a proof of the password within the last 15 minutes), on a real database.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { createTestTenant } from "../../db/test/helpers";
import { getArgs, respond } from "./auth/testing";
import { sessionCookieName } from "./auth/session.server";
import { signedInUser } from "./permissions/testing";
import { REAUTH_WINDOW_MS, tenantLoader } from "./route.server";
import { saveTenantOverrides } from "./tenant/settings.server";
import { invalidateTenantCache } from "./tenant/tenant.server";

afterAll(async () => {
  await closeDatabase();
});

const consolePage = tenantLoader(async ({ user }) => Response.json({ user: user?.id }), { console: true });
const sensitivePage = tenantLoader(async ({ user }) => Response.json({ user: user?.id }), { console: true, sensitive: true });
const staffOnly = tenantLoader(async () => Response.json({ ok: true }), { roles: ["staff"] });

const cookie = (token: string) => `${sessionCookieName()}=${token}`;

async function provenAgo(tenantId: string, sessionId: string, ms: number) {
  await withTenant(tenantId, (tx) => tx.updateTable("sessions").set({ reauthenticated_at: new Date(Date.now() - ms) }).where("id", "=", sessionId).execute());
}

describe("console option", () => {
  it("sends a visitor to sign in, refuses a resident with 403 and lets staff in", async () => {
    const town = await createTestTenant();
    const visitor = await respond(() => consolePage(getArgs(town, "/admin/x")));
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toBe("/connexion?retour=%2Fadmin%2Fx");
    const resident = await signedInUser(town, [{ role: "resident" }]);
    expect((await respond(() => consolePage(getArgs(town, "/admin/x", { cookie: cookie(resident.token) })))).status).toBe(403);
    const staff = await signedInUser(town, [{ role: "staff" }]);
    const ok = await respond(() => consolePage(getArgs(town, "/admin/x", { cookie: cookie(staff.token) })));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ user: staff.id });
  });

  it("a staff session of one town is nobody on another town's host", async () => {
    const [a, b] = [await createTestTenant(), await createTestTenant()];
    const staffOfA = await signedInUser(a, [{ role: "staff" }]);
    const onB = await respond(() => consolePage(getArgs(b, "/admin/x", { cookie: cookie(staffOfA.token) })));
    expect(onB.status).toBe(302);
    expect(onB.headers.get("location")).toMatch(/^\/connexion\?retour=/);
  });

  it("when the town requires two-factor sign-in, staff without it are sent to set it up and hold no staff powers meanwhile", async () => {
    const town = await createTestTenant();
    const staff = await signedInUser(town, [{ role: "staff" }]);
    await withTenant(town.id, (tx) => saveTenantOverrides(tx, town.id, { security: { staffTwoFactorRequired: true } }));
    invalidateTenantCache();
    const sent = await respond(() => consolePage(getArgs(town, "/admin/x", { cookie: cookie(staff.token) })));
    expect(sent.status).toBe(302);
    expect(sent.headers.get("location")).toBe("/compte/double-authentification?retour=%2Fadmin%2Fx");
    expect((await respond(() => staffOnly(getArgs(town, "/outils", { cookie: cookie(staff.token) })))).status).toBe(403);

    await withTenant(town.id, (tx) => tx.updateTable("users").set({ totp_secret: "JBSWY3DPEHPK3PXP", totp_enabled_at: new Date() }).where("id", "=", staff.id).execute());
    expect((await respond(() => consolePage(getArgs(town, "/admin/x", { cookie: cookie(staff.token) })))).status).toBe(200);
    expect((await respond(() => staffOnly(getArgs(town, "/outils", { cookie: cookie(staff.token) })))).status).toBe(200);
  });
});

describe("sensitive option", () => {
  it("lets in a password proven less than 15 minutes ago, and sends an older proof to confirm it again", async () => {
    const town = await createTestTenant();
    const staff = await signedInUser(town, [{ role: "staff" }]);
    // Signing in is a proof.
    expect((await respond(() => sensitivePage(getArgs(town, "/admin/roles", { cookie: cookie(staff.token) })))).status).toBe(200);
    await provenAgo(town.id, staff.sessionId, REAUTH_WINDOW_MS - 60_000);
    expect((await respond(() => sensitivePage(getArgs(town, "/admin/roles", { cookie: cookie(staff.token) })))).status).toBe(200);
    await provenAgo(town.id, staff.sessionId, REAUTH_WINDOW_MS + 60_000);
    const stale = await respond(() => sensitivePage(getArgs(town, "/admin/roles?role=elected", { cookie: cookie(staff.token) })));
    expect(stale.status).toBe(302);
    expect(stale.headers.get("location")).toBe("/admin/confirmer?retour=%2Fadmin%2Froles%3Frole%3Delected");
  });

  it("still refuses a resident with 403, whatever the age of their proof", async () => {
    const town = await createTestTenant();
    const resident = await signedInUser(town, [{ role: "resident" }]);
    expect((await respond(() => sensitivePage(getArgs(town, "/admin/roles", { cookie: cookie(resident.token) })))).status).toBe(403);
  });
});

describe("a session waiting for its second factor", () => {
  it("grants nothing", async () => {
    const town = await createTestTenant();
    const staff = await signedInUser(town, [{ role: "staff" }]);
    await withTenant(town.id, (tx) => tx.updateTable("sessions").set({ awaiting_second_factor: true }).where("id", "=", staff.sessionId).execute());
    const response = await respond(() => consolePage(getArgs(town, "/admin/x", { cookie: cookie(staff.token) })));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/connexion/);
  });
});
