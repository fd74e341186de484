// The roles and permissions pages of the staff console, called as Remix calls them: the
// matrix changes the stored rules and what holders of the role may do, refuses anything it
// does not know without writing, stays within its town, and every change is audited.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { subject } from "@casl/ability";
import { sql } from "kysely";
import { listRoles } from "~/core/auth/roles.server";
import { getSessionUser, markReauthenticated, sessionCookieName, type SessionUser } from "~/core/auth/session.server";
import { respond, loadContext } from "~/core/auth/testing";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { csrfTokenFor } from "~/core/http/csrf.server";
import { i18nFor } from "~/core/i18n/i18n.server";
import { abilityFor } from "~/core/permissions/ability.server";
import { defaultRoleRules } from "~/core/permissions/catalog.server";
import type { PermissionRule } from "~/core/permissions/declarations";
import { createCustomRole, getRoleRules, saveRoleRules } from "~/core/permissions/rules.server";
import { signedInUser } from "~/core/permissions/testing";
import { cellField, encodeChoices, fieldsField, scopeField, SCOPE_ALL, SCOPE_SOME } from "~/core/ui/console/roles-matrix";
import { deriveRoleKey } from "~/core/ui/console/roles.server";
import type { MatrixModuleData } from "~/core/ui/PermissionMatrix";
import { createTestTenant, ownerDb, type TestTenant } from "../../../db/test/helpers";
import * as roleRoute from "./roles.$key";
import * as resetRoute from "./roles.$key_.reinitialiser";
import * as deleteRoute from "./roles.$key_.supprimer";
import * as listRoute from "./roles._index";

afterAll(async () => {
  await closeDatabase();
});

type User = SessionUser & { token: string };
type Route = { loader: (args: LoaderFunctionArgs) => Promise<unknown>; action: (args: ActionFunctionArgs) => Promise<unknown> };

const cookieOf = (user?: User) => (user ? `${sessionCookieName()}=${user.token}` : undefined);

function get(route: Route, tenant: TestTenant, path: string, params: Record<string, string>, user?: User) {
  const cookie = cookieOf(user);
  const request = new Request(`http://${tenant.host}${path}`, { headers: { host: tenant.host, ...(cookie ? { cookie } : {}) } });
  return respond(() => route.loader({ request, params, context: loadContext() }));
}

/** A form post as a browser sends it: names may repeat (checkboxes). */
function post(route: Route, tenant: TestTenant, path: string, params: Record<string, string>, fields: [string, string][], user?: User) {
  const context = loadContext();
  const body = new URLSearchParams([...fields, ["csrf", csrfTokenFor(context.csrfSeed)]]);
  const cookie = cookieOf(user);
  const request = new Request(`http://${tenant.host}${path}`, {
    method: "POST",
    headers: { host: tenant.host, "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body,
  });
  return respond(() => route.action({ request, params, context }));
}

type RolePage = { role: { key: string; kind: string; name: string; holders: number | null }; modules: MatrixModuleData[]; summary: { subjects: { subject: string; sentences: string[] }[]; nothing: string | null } };

const directoryRow = (page: RolePage) => page.modules.find((m) => m.id === "directory")!.rows.find((r) => r.subject === "Initiative")!;

async function rolePage(tenant: TestTenant, key: string, user: User): Promise<RolePage> {
  const res = await get(roleRoute, tenant, `/admin/roles/${key}`, { key }, user);
  expect(res.status).toBe(200);
  return (await res.json()) as RolePage;
}

/** The matrix form exactly as the page renders it, with `changes` applied on top. */
async function matrixForm(tenant: TestTenant, key: string, user: User, changes: Record<string, string | string[]> = {}): Promise<[string, string][]> {
  const page = await rolePage(tenant, key, user);
  const fields = new Map<string, string | string[]>();
  for (const m of page.modules) {
    for (const row of m.rows) {
      for (const { action, cell } of row.cells) {
        fields.set(cellField(row.subject, action), cell.kind === "custom" ? "custom" : encodeChoices(cell.choices));
        const restricted = cell.kind === "choices" && cell.fields !== null;
        fields.set(scopeField(row.subject, action), restricted ? SCOPE_SOME : SCOPE_ALL);
        fields.set(fieldsField(row.subject, action), restricted && cell.kind === "choices" ? (cell.fields ?? []) : []);
      }
    }
  }
  for (const [name, value] of Object.entries(changes)) fields.set(name, value);
  return [...fields].flatMap(([name, value]) => (Array.isArray(value) ? value.map((v): [string, string] => [name, v]) : [[name, value] as [string, string]]));
}

const rulesOf = (tenant: TestTenant, key: string) => withTenant(tenant.id, (tx) => getRoleRules(tx, key));
/** The role's rules on listings: other modules' rules are not what these tests change. */
const listingRulesOf = async (tenant: TestTenant, key: string) => (await rulesOf(tenant, key)).filter((r) => r.subject === "Initiative");
/** Every module's defaults for the role, as getRoleRules returns them. */
const defaultsOf = (key: string) => Object.values(defaultRoleRules(key)).flat();

async function auditOf(tenant: TestTenant, action: string, subjectId: string) {
  return withTenant(tenant.id, (tx) =>
    tx.selectFrom("audit_log").selectAll().where("action", "=", action).where("subject_id", "=", subjectId).orderBy("occurred_at", "desc").execute(),
  );
}

async function abilityOf(tenant: TestTenant, user: User) {
  return withTenant(tenant.id, async (tx) => abilityFor(tx, await getSessionUser(tx, user.token)));
}

async function render(route: { loader: (args: LoaderFunctionArgs) => Promise<unknown>; default: ComponentType }, pattern: string, tenant: TestTenant, path: string, user: User) {
  const context = loadContext();
  const handler = createStaticHandler([
    { id: "page", path: pattern, loader: (args) => route.loader({ request: args.request, params: args.params, context }) as Promise<Response>, Component: route.default },
  ]);
  const state = await handler.query(new Request(`http://${tenant.host}${path}`, { headers: { host: tenant.host, cookie: cookieOf(user)! } }));
  if (state instanceof Response) throw state;
  if (state.errors) throw Object.values(state.errors)[0];
  return renderToString(
    <I18nextProvider i18n={i18nFor("fr")}>
      <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, state)} context={state} hydrate={false} />
    </I18nextProvider>,
  );
}

let town: TestTenant;
let other: TestTenant;
let staff: User;
let resident: User;
let elected: User;
let otherStaff: User;
beforeAll(async () => {
  town = await createTestTenant({ modules: { directory: {} } });
  other = await createTestTenant({ modules: { directory: {} } });
  staff = await signedInUser(town, [{ role: "staff" }]);
  resident = await signedInUser(town, [{ role: "resident" }]);
  elected = await signedInUser(town, [{ role: "elected" }]);
  otherStaff = await signedInUser(other, [{ role: "staff" }]);
});

describe("the list of roles", () => {
  it("shows every role with its name and how many people hold it, everyone's rules first", async () => {
    const res = await get(listRoute, town, "/admin/roles", {}, staff);
    const data = (await res.json()) as { roles: { key: string; kind: string; name: string; holders: number | null }[] };
    expect(data.roles[0]).toEqual({ key: "visitor", kind: "visitor", name: "Tout le monde, connecté ou non", holders: null });
    expect(data.roles.find((r) => r.key === "elected")).toEqual({ key: "elected", kind: "builtin", name: "Élu·e", holders: 1 });
    expect(data.roles.find((r) => r.key === "repairer")?.holders).toBe(0);
    const html = await render(listRoute, "/admin/roles", town, "/admin/roles", staff);
    expect(html).toContain('href="/admin/roles/elected"');
    expect(html).toContain('<th scope="col">');
    expect(html).toContain("<caption");
  });
});

describe("the role x action matrix", () => {
  it("grants elected officials the right to update any listing, which their ability then allows; reset takes it away", async () => {
    const listing = subject("Initiative", { id: "x", status: "pending", organisation_id: null, neighbourhood: null });
    expect((await abilityOf(town, elected)).can("update", listing)).toBe(false);

    const form = await matrixForm(town, "elected", staff, { [cellField("Initiative", "update")]: "any" });
    const res = await post(roleRoute, town, "/admin/roles/elected", { key: "elected" }, form, staff);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin/roles/elected?ok=saved");
    expect(await rulesOf(town, "elected")).toEqual([...defaultsOf("elected"), { action: ["update"], subject: "Initiative" }]);
    expect((await abilityOf(town, elected)).can("update", listing)).toBe(true);
    expect((await abilityOf(town, elected)).can("moderate", listing)).toBe(false);

    const [entry] = await auditOf(town, "role.rules", "elected");
    expect(entry).toMatchObject({ actor_id: staff.id, before: defaultsOf("elected"), after: [...defaultsOf("elected"), { action: ["update"], subject: "Initiative" }] });
    // The summary beside the matrix says it in words.
    expect((await rolePage(town, "elected", staff)).summary.subjects.find((x) => x.subject === "Initiative")?.sentences).toContain("Peut modifier les initiatives.");

    const confirm = await get(resetRoute, town, "/admin/roles/elected/reinitialiser", { key: "elected" }, staff);
    expect(confirm.status).toBe(200);
    const reset = await post(resetRoute, town, "/admin/roles/elected/reinitialiser", { key: "elected" }, [], staff);
    expect(reset.headers.get("location")).toBe("/admin/roles/elected?ok=reset");
    expect(await rulesOf(town, "elected")).toEqual(defaultsOf("elected"));
    expect((await abilityOf(town, elected)).can("update", listing)).toBe(false);
    const [resetEntry] = await auditOf(town, "role.reset", "elected");
    expect(resetEntry).toMatchObject({ before: [...defaultsOf("elected"), { action: ["update"], subject: "Initiative" }], after: defaultsOf("elected") });
  });

  it("saves nothing when the form comes back as it was, and keeps a custom cell untouched while another changes", async () => {
    const custom: PermissionRule = { action: "read", subject: "Initiative", conditions: { status: { $in: ["published", "pending"] } } };
    await withTenant(town.id, (tx) => saveRoleRules(tx, "repairer", [custom]));
    const page = await rolePage(town, "repairer", staff);
    expect(directoryRow(page).cells.find((c) => c.action === "read")?.cell).toEqual({ kind: "custom" });

    const same = await post(roleRoute, town, "/admin/roles/repairer", { key: "repairer" }, await matrixForm(town, "repairer", staff), staff);
    expect(same.headers.get("location")).toBe("/admin/roles/repairer?ok=unchanged");
    expect(await auditOf(town, "role.rules", "repairer")).toHaveLength(0);

    const form = await matrixForm(town, "repairer", staff, {
      [cellField("Initiative", "update")]: "organisation",
      [scopeField("Initiative", "update")]: SCOPE_SOME,
      [fieldsField("Initiative", "update")]: ["description", "schedule"],
    });
    expect((await post(roleRoute, town, "/admin/roles/repairer", { key: "repairer" }, form, staff)).status).toBe(302);
    const rules = await listingRulesOf(town, "repairer");
    expect(rules).toContainEqual({ action: ["read"], subject: "Initiative", conditions: { status: { $in: ["published", "pending"] } } });
    expect(rules).toContainEqual({ action: ["update"], subject: "Initiative", fields: ["description", "schedule"], conditions: { organisation_id: { $in: "${user.organisationIds}" } } });
    const update = directoryRow(await rolePage(town, "repairer", staff)).cells.find((c) => c.action === "update")?.cell;
    expect(update).toEqual({ kind: "choices", choices: ["organisation"], fields: ["description", "schedule"] });
  });

  it("keeps a cell of several conditions as it is, and offers it back", async () => {
    await withTenant(town.id, (tx) =>
      saveRoleRules(tx, "association_member", [
        { action: "read", subject: "Initiative", conditions: { status: "published" } },
        { action: "read", subject: "Initiative", conditions: { neighbourhood: "${user.neighbourhood}" } },
      ]),
    );
    const html = await render(roleRoute, "/admin/roles/:key", town, "/admin/roles/association_member", staff);
    expect(html).toContain('<option value="published+neighbourhood" selected="">Contenus publiés seulement ou contenus de son quartier</option>');
    const same = await post(roleRoute, town, "/admin/roles/association_member", { key: "association_member" }, await matrixForm(town, "association_member", staff), staff);
    expect(same.headers.get("location")).toBe("/admin/roles/association_member?ok=unchanged");
  });

  it("refuses an unknown subject, action, choice or field with a translated 400, and writes nothing", async () => {
    const before = await rulesOf(town, "elected");
    const attempts: Array<{ changes: Record<string, string | string[]>; expectText: RegExp }> = [
      { changes: { [cellField("Spaceship", "read")]: "any" }, expectText: /Case « cell:Spaceship:read » : le sujet « Spaceship » n'existe pas\./ },
      { changes: { [cellField("Initiative", "fly")]: "any" }, expectText: /l'action « fly » n'existe pas pour « Initiative »/ },
      // Listings have no owner: "their own" is no choice for them.
      { changes: { [cellField("Initiative", "read")]: "own" }, expectText: /Initiatives — consulter : « own » n'est pas un choix possible pour cette case\./ },
      { changes: { [cellField("Initiative", "read")]: "custom" }, expectText: /« custom » n'est pas un choix possible/ },
      {
        changes: { [cellField("Initiative", "update")]: "any", [scopeField("Initiative", "update")]: SCOPE_SOME, [fieldsField("Initiative", "update")]: ["description", "password_hash"] },
        expectText: /le champ « password_hash » n'existe pas pour « Initiative »/,
      },
      {
        changes: { [cellField("Initiative", "update")]: "any", [scopeField("Initiative", "update")]: SCOPE_SOME, [fieldsField("Initiative", "update")]: [] },
        expectText: /cochez au moins un champ/,
      },
    ];
    for (const { changes, expectText } of attempts) {
      // A valid change rides along: it must not be saved either.
      const form = await matrixForm(town, "elected", staff, { [cellField("Initiative", "moderate")]: "any", ...changes });
      const res = await post(roleRoute, town, "/admin/roles/elected", { key: "elected" }, form, staff);
      expect(res.status, JSON.stringify(changes)).toBe(400);
      const body = (await res.json()) as { errors: Record<string, string>; messages: string[]; values: Record<string, unknown> };
      expect([...Object.values(body.errors), ...body.messages].join("\n")).toMatch(expectText);
      expect(body.values[cellField("Initiative", "moderate")]).toBe("any");
    }
    expect(await rulesOf(town, "elected")).toEqual(before);
    expect((await auditOf(town, "role.rules", "elected")).length).toBe(1);
  });

  it("renders an accessible table: caption, header scopes, each select named by its row and column, a focusable scrolling region", async () => {
    const html = await render(roleRoute, "/admin/roles/:key", town, "/admin/roles/staff", staff);
    expect(html).toContain("<caption>Initiatives locales : droits du rôle « Agent·e de la ville »</caption>");
    expect(html).toContain('<th scope="row" id="row-Initiative">Initiatives</th>');
    expect(html).toContain('<th scope="col" id="col-directory-update" class="role-matrix__action">modifier</th>');
    expect(html).toContain('aria-labelledby="row-Initiative matrix-separator col-directory-update"');
    expect(html).toContain('<span id="matrix-separator" hidden="">—</span>');
    expect(html).toContain('class="table-scroll" role="region" tabindex="0" aria-label="Tableau des droits : Initiatives locales"');
    // Console access does not come from this table: the staff role's page says so.
    expect(html).toContain("L&#x27;accès à l&#x27;administration est donné par le rôle « Agent·e de la ville » lui-même");
    expect(html).toContain("Ce que ce rôle peut faire");
  });

  it("edits everyone's rules: visitors lose the right to propose a listing, and get it back on reset", async () => {
    expect((await withTenant(town.id, (tx) => abilityFor(tx, null))).can("create", "Initiative")).toBe(true);
    const form = await matrixForm(town, "visitor", staff, { [cellField("Initiative", "create")]: "none" });
    expect((await post(roleRoute, town, "/admin/roles/visitor", { key: "visitor" }, form, staff)).status).toBe(302);
    expect((await withTenant(town.id, (tx) => abilityFor(tx, null))).can("create", "Initiative")).toBe(false);
    expect((await withTenant(town.id, (tx) => abilityFor(tx, null))).can("read", subject("Initiative", { status: "published" }))).toBe(true);
    expect((await auditOf(town, "role.rules", "visitor"))[0]).toMatchObject({ before: defaultsOf("visitor") });
    await post(resetRoute, town, "/admin/roles/visitor/reinitialiser", { key: "visitor" }, [], staff);
    expect((await withTenant(town.id, (tx) => abilityFor(tx, null))).can("create", "Initiative")).toBe(true);
    // Everyone's rules cannot be deleted.
    const refused = await post(deleteRoute, town, "/admin/roles/visitor/supprimer", { key: "visitor" }, [], staff);
    expect(refused.status).toBe(400);
  });
});

describe("custom roles", () => {
  it("derives the key from the French name, starts from another role's rules, and audits the creation", async () => {
    expect(deriveRoleKey("Bénévole de permanence")).toBe("benevole_de_permanence");
    expect(deriveRoleKey("  Élu·e référent·e ! ")).toBe("elu_e_referent_e");
    expect(deriveRoleKey("2e adjoint")).toBe("role_2e_adjoint");
    const res = await post(listRoute, town, "/admin/roles?index", {}, [["labelFr", "Bénévole de permanence"], ["labelEn", "Drop-in volunteer"], ["key", ""], ["basedOn", "visitor"]], staff);
    expect(res.headers.get("location")).toBe("/admin/roles/benevole_de_permanence?ok=created");
    const role = (await withTenant(town.id, (tx) => listRoles(tx))).find((r) => r.key === "benevole_de_permanence");
    expect(role).toMatchObject({ isBuiltin: false, labels: { fr: "Bénévole de permanence", en: "Drop-in volunteer" } });
    expect(await rulesOf(town, "benevole_de_permanence")).toEqual(defaultsOf("visitor"));
    expect((await auditOf(town, "role.create", "benevole_de_permanence"))[0]).toMatchObject({
      after: { key: "benevole_de_permanence", basedOn: "visitor", labels: { fr: "Bénévole de permanence", en: "Drop-in volunteer" } },
    });
    const page = await rolePage(town, "benevole_de_permanence", staff);
    expect(page.role).toEqual({ key: "benevole_de_permanence", kind: "custom", name: "Bénévole de permanence", holders: 0 });
  });

  it("refuses a missing name, a reserved, malformed or taken key and an unknown starting role, with the form's values", async () => {
    const cases: Array<{ fields: Record<string, string>; field: string; message: string }> = [
      { fields: { labelFr: "", key: "" }, field: "role-label-fr", message: "Indiquez le nom du rôle en français." },
      { fields: { labelFr: "Agents", key: "staff" }, field: "role-key", message: "L'identifiant « staff » est réservé à un rôle de la plateforme." },
      { fields: { labelFr: "Bénévoles", key: "Bénévoles" }, field: "role-key", message: "L'identifiant « Bénévoles » n'est pas valable : de 2 à 40 caractères, lettres minuscules sans accent, chiffres et tirets bas, en commençant par une lettre." },
      { fields: { labelFr: "!!!", key: "" }, field: "role-key", message: "L'identifiant tiré du nom français n'est pas utilisable : indiquez-en un." },
      { fields: { labelFr: "Bénévole de permanence", key: "" }, field: "role-key", message: "Un rôle porte déjà l'identifiant « benevole_de_permanence »." },
      { fields: { labelFr: "Gardien", key: "gardien", basedOn: "pirate" }, field: "role-based-on", message: "Le rôle « pirate » n'existe pas sur cette plateforme." },
      { fields: { labelFr: "x".repeat(61), key: "long" }, field: "role-label-fr", message: "Le nom du rôle ne doit pas dépasser 60 caractères." },
    ];
    const before = (await withTenant(town.id, (tx) => listRoles(tx))).length;
    for (const { fields, field, message } of cases) {
      const res = await post(listRoute, town, "/admin/roles?index", {}, Object.entries({ labelEn: "", basedOn: "", ...fields }), staff);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const body = (await res.json()) as { errors: Record<string, string>; values: Record<string, string> };
      expect(body.errors).toEqual({ [field]: message });
      expect(body.values.labelFr).toBe(fields.labelFr);
    }
    expect((await withTenant(town.id, (tx) => listRoles(tx))).length).toBe(before);
  });

  it("deletes a custom role after saying who loses it; its holders lose its rights; built-in roles are refused", async () => {
    await withTenant(town.id, (tx) => createCustomRole(tx, { key: "permanence", labels: { fr: "Permanence" } }));
    const form = await matrixForm(town, "permanence", staff, { [cellField("Initiative", "moderate")]: "any" });
    await post(roleRoute, town, "/admin/roles/permanence", { key: "permanence" }, form, staff);
    const volunteer = await signedInUser(town, [{ role: "permanence" }]);
    expect((await abilityOf(town, volunteer)).can("moderate", "Initiative")).toBe(true);

    const html = await render(deleteRoute, "/admin/roles/:key/supprimer", town, "/admin/roles/permanence/supprimer", staff);
    expect(html).toContain("1 personne a ce rôle : elle le perdra");
    const res = await post(deleteRoute, town, "/admin/roles/permanence/supprimer", { key: "permanence" }, [], staff);
    expect(res.headers.get("location")).toBe("/admin/roles?ok=deleted");
    expect((await withTenant(town.id, (tx) => listRoles(tx))).some((r) => r.key === "permanence")).toBe(false);
    expect((await abilityOf(town, volunteer)).can("moderate", "Initiative")).toBe(false);
    expect((await auditOf(town, "role.delete", "permanence"))[0]).toMatchObject({ before: { key: "permanence", holders: 1, revokedGrants: 1 }, after: null });
    expect((await get(roleRoute, town, "/admin/roles/permanence", { key: "permanence" }, staff)).status).toBe(404);

    const refusedPage = await render(deleteRoute, "/admin/roles/:key/supprimer", town, "/admin/roles/staff/supprimer", staff);
    expect(refusedPage).toContain("Ce rôle ne peut pas être supprimé");
    const refused = await post(deleteRoute, town, "/admin/roles/staff/supprimer", { key: "staff" }, [], staff);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toBe("Le rôle « staff » est un rôle de la plateforme : il ne peut pas être supprimé.");
    expect((await withTenant(town.id, (tx) => listRoles(tx))).some((r) => r.key === "staff")).toBe(true);
    expect(await auditOf(town, "role.delete", "staff")).toHaveLength(0);
  });
});

describe("who may use these pages", () => {
  const pages: Array<{ route: Route; path: string; params: Record<string, string> }> = [
    { route: listRoute, path: "/admin/roles", params: {} },
    { route: roleRoute, path: "/admin/roles/elected", params: { key: "elected" } },
    { route: resetRoute, path: "/admin/roles/elected/reinitialiser", params: { key: "elected" } },
    { route: deleteRoute, path: "/admin/roles/elected/supprimer", params: { key: "elected" } },
  ];

  it("answers 403 to a resident and sends a visitor to sign in, on every loader and action, writing nothing", async () => {
    const before = await rulesOf(town, "elected");
    for (const { route, path, params } of pages) {
      expect((await get(route, town, path, params, resident)).status, path).toBe(403);
      expect((await post(route, town, path, params, [[cellField("Initiative", "update"), "any"], ["labelFr", "Pirates"]], resident)).status, path).toBe(403);
      expect((await get(route, town, path, params)).headers.get("location"), path).toMatch(/^\/connexion\?retour=/);
    }
    expect(await rulesOf(town, "elected")).toEqual(before);
    expect((await withTenant(town.id, (tx) => listRoles(tx))).some((r) => r.key === "pirates")).toBe(false);
  });

  it("asks staff to confirm their password again after 15 minutes", async () => {
    const late = await signedInUser(town, [{ role: "staff" }]);
    await withTenant(town.id, (tx) => markReauthenticated(tx, late.sessionId, new Date(Date.now() - 16 * 60 * 1000)));
    for (const { route, path, params } of pages) {
      expect((await get(route, town, path, params, late)).headers.get("location"), path).toBe(`/admin/confirmer?retour=${encodeURIComponent(path)}`);
    }
    const res = await post(roleRoute, town, "/admin/roles/elected", { key: "elected" }, [[cellField("Initiative", "update"), "any"]], late);
    expect(res.headers.get("location")).toMatch(/^\/admin\/confirmer/);
  });

  it("keeps staff of one town away from another's roles", async () => {
    await withTenant(other.id, (tx) => createCustomRole(tx, { key: "only_elsewhere", labels: { fr: "Ailleurs" } }));
    const otherElected = await withTenant(other.id, (tx) => getRoleRules(tx, "elected"));
    // On its own host, staff of town A changes town A only.
    const form = await matrixForm(town, "elected", staff, { [cellField("Initiative", "remind")]: "any" });
    expect((await post(roleRoute, town, "/admin/roles/elected", { key: "elected" }, form, staff)).status).toBe(302);
    expect(await rulesOf(other, "elected")).toEqual(otherElected);
    // A role that exists only in town B is not found on A's host, for reading or writing.
    for (const { route, suffix } of [{ route: roleRoute, suffix: "" }, { route: resetRoute, suffix: "/reinitialiser" }, { route: deleteRoute, suffix: "/supprimer" }]) {
      const path = `/admin/roles/only_elsewhere${suffix}`;
      expect((await get(route, town, path, { key: "only_elsewhere" }, staff)).status, path).toBe(404);
      expect((await post(route, town, path, { key: "only_elsewhere" }, [[cellField("Initiative", "read"), "any"]], staff)).status, path).toBe(404);
    }
    expect(await rulesOf(other, "only_elsewhere")).toEqual([]);
    expect((await withTenant(other.id, (tx) => listRoles(tx))).some((r) => r.key === "only_elsewhere")).toBe(true);
    // B's session means nothing on A's host.
    expect((await get(roleRoute, town, "/admin/roles/elected", { key: "elected" }, otherStaff)).headers.get("location")).toMatch(/^\/connexion/);
    // Nor does anything of A's reach B's audit log.
    const { rows } = await sql<{ n: string }>`select count(*) as n from audit_log where tenant_id = ${other.id}::uuid and action like 'role.%'`.execute(ownerDb());
    expect(Number(rows[0].n)).toBe(0);
  });

});
