// Fixtures of the submission, moderation, freshness and contact tests: a town with the
// directory, people with roles, forms as the browser posts them, and the mail the outbox kept.
import sharp from "sharp";
import { withTenant } from "~/core/db/db.server";
import { CSRF_FIELD, csrfTokenFor } from "~/core/http/csrf.server";
import { createTestTenant, type TestTenant } from "../../../../db/test/helpers";
import { CSRF_SEED, loadContext, signedIn } from "./fixtures";

export { respond, insertInitiative, signedIn } from "./fixtures";

/** Inside the test tenant's bounds ([[2.98, 50.45], [3.05, 50.51]]). */
export const INSIDE = { latitude: 50.4822, longitude: 3.0156 };

export function directoryTown(settings: Record<string, unknown> = {}): Promise<TestTenant> {
  return createTestTenant({ modules: { directory: settings } });
}

type Entry = [string, string | File];

/** A multipart POST as the browser sends the forms (repeated names allowed), with the CSRF field. */
export function post(tenant: TestTenant, path: string, entries: Entry[] | Record<string, string>, options: { cookie?: string; params?: Record<string, string> } = {}) {
  const form = new FormData();
  form.set(CSRF_FIELD, csrfTokenFor(CSRF_SEED));
  for (const [name, value] of Array.isArray(entries) ? entries : Object.entries(entries)) form.append(name, value);
  const headers: Record<string, string> = { host: tenant.host };
  if (options.cookie) headers.cookie = options.cookie;
  return { request: new Request(`http://${tenant.host}${path}`, { method: "POST", body: form, headers }), params: options.params ?? {}, context: loadContext() };
}

export function get(tenant: TestTenant, path: string, options: { cookie?: string; params?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { host: tenant.host };
  if (options.cookie) headers.cookie = options.cookie;
  return { request: new Request(`http://${tenant.host}${path}`, { headers }), params: options.params ?? {}, context: loadContext() };
}

export async function createOrganisation(tenant: TestTenant, name = "Association test"): Promise<string> {
  const row = await withTenant(tenant.id, (tx) =>
    tx.insertInto("organisations").values({ tenant_id: tenant.id, name, kind: "association" }).returning("id").executeTakeFirstOrThrow(),
  );
  return row.id;
}

/** A signed-in association manager of `organisationId`, with a known email address. */
export async function manager(tenant: TestTenant, organisationId: string, email: string, name = "Responsable Test") {
  const { cookie, userId } = await signedIn(tenant.id, [], name);
  await withTenant(tenant.id, async (tx) => {
    await tx.updateTable("users").set({ email }).where("id", "=", userId).execute();
    await tx.insertInto("user_roles").values({ tenant_id: tenant.id, user_id: userId, role: "association_manager", organisation_id: organisationId }).execute();
  });
  return { cookie, userId, email };
}

export async function staffMember(tenant: TestTenant, name = "Agent Test") {
  return signedIn(tenant.id, ["staff"], name);
}

export function outbox(tenant: TestTenant) {
  return withTenant(tenant.id, (tx) => tx.selectFrom("outbox_emails").select(["to_address", "subject", "text_body", "html_body", "status"]).orderBy("created_at").orderBy("id").execute());
}

/** The mails kept for `to`, oldest first. */
export async function mailsTo(tenant: TestTenant, to: string) {
  return (await outbox(tenant)).filter((m) => m.to_address === to);
}

/** The first link in a mail's text whose path starts with `path`, as a path + query on the tenant. */
export function linkIn(text: string, path: string): string {
  const match = text.match(new RegExp(`https?://[^/\\s]+(${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^\\s]*)`));
  if (!match) throw new Error(`no link to ${path} in:\n${text}`);
  return match[1];
}

export const tokenOf = (pathAndQuery: string) => new URL(pathAndQuery, "http://x").searchParams.get("jeton")!;

export function events(tenant: TestTenant, kind: string) {
  return withTenant(tenant.id, (tx) => tx.selectFrom("core_events").selectAll().where("module", "=", "directory").where("kind", "=", kind).execute());
}

export function listing(tenant: TestTenant, id: string) {
  return withTenant(tenant.id, (tx) => tx.selectFrom("directory_initiatives").selectAll().where("id", "=", id).executeTakeFirst());
}

export function revisions(tenant: TestTenant, id: string) {
  return withTenant(tenant.id, (tx) => tx.selectFrom("directory_revisions").select(["action", "actor_label", "actor_user_id", "snapshot"]).where("initiative_id", "=", id).orderBy("id").execute());
}

/** A real image of the given size and format, with an EXIF note that must not survive. */
export async function image(width: number, height: number, format: "jpeg" | "png" | "webp" = "jpeg"): Promise<Uint8Array> {
  const base = sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } }).withExif({ IFD0: { Copyright: "exif-should-be-dropped" } });
  const encoded = format === "jpeg" ? base.jpeg() : format === "png" ? base.png() : base.webp();
  return new Uint8Array(await encoded.toBuffer());
}

export const file = (bytes: Uint8Array | string, name: string, type: string) => new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], name, { type });

/** The fields of a valid submission; override or drop any. */
export function submissionFields(overrides: Record<string, string> = {}): Entry[] {
  const fields: Record<string, string> = {
    submitterName: "Camille Proposante",
    submitterEmail: "camille@example.org",
    name: "Épicerie solidaire des Tilleuls",
    kind: "buying_group",
    stage: "gestation",
    description: "Commandes groupées de produits secs.",
    address: "12 rue des Tilleuls",
    neighbourhood: "Centre",
    latitude: String(INSIDE.latitude).replace(".", ","),
    longitude: String(INSIDE.longitude),
    contactName: "Camille",
    contactEmail: "contact-tilleuls@example.org",
    contactPhone: "03 20 00 00 00",
    links: "https://tilleuls.example.org\nhttps://social.example.org/tilleuls",
    schedule: "Le samedi matin",
    accessibilityNotes: "Accès de plain-pied",
    ...overrides,
  };
  const entries: Entry[] = Object.entries(fields).filter(([, v]) => v !== "");
  entries.push(["layers", "se_nourrir"], ["layers", "echanger"], ["languages", "fr"], ["languages", "ar"]);
  return entries;
}
