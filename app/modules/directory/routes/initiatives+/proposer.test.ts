// Submitting an initiative without an account: the form's checks (nothing saved on any
// problem, photos included), the photos sniffed and re-encoded, the confirmation email and
// its single-use link that sends the listing to the moderation queue.
import sharp from "sharp";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import {
  directoryTown,
  file,
  get,
  image,
  linkIn,
  listing,
  mailsTo,
  post,
  respond,
  revisions,
  submissionFields,
  tokenOf,
} from "../../test/moderation-fixtures";
import { loader as confirmLoader } from "./confirmer";
import { action as submitAction, loader as submitLoader } from "./proposer";

afterAll(closeDatabase);

const count = (tenantId: string, table: "directory_initiatives" | "directory_photos" | "directory_links") =>
  withTenant(tenantId, (tx) => tx.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).then((r) => Number(r.n));

async function submit(tenant: Awaited<ReturnType<typeof directoryTown>>, entries = submissionFields()) {
  return respond(() => submitAction(post(tenant, "/initiatives/proposer", entries)));
}

describe("proposing an initiative without an account", () => {
  it("stores it unconfirmed with its photos, and emails a link that sends it to moderation once", async () => {
    const town = await directoryTown();
    const big = await image(3200, 1600, "jpeg");
    const entries = submissionFields();
    entries.push(["photo1", file(big, "photo.jpg", "image/jpeg")], ["photoAlt1", "La devanture"], ["photo2", file(await image(400, 300, "png"), "b.png", "image/png")]);
    const response = await submit(town, entries);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/initiatives/proposer?envoye=1");

    const [row] = await withTenant(town.id, (tx) => tx.selectFrom("directory_initiatives").selectAll().execute());
    expect(row).toMatchObject({
      status: "unconfirmed",
      name: "Épicerie solidaire des Tilleuls",
      latitude: 50.4822,
      longitude: 3.0156,
      layers: ["se_nourrir", "echanger"],
      languages: ["fr", "ar"],
      links: ["https://tilleuls.example.org", "https://social.example.org/tilleuls"],
      contact_public: false,
      submitter_email: "camille@example.org",
    });
    const photos = await withTenant(town.id, (tx) => tx.selectFrom("directory_photos").selectAll().orderBy("position").execute());
    expect(photos.map((p) => [p.content_type, p.width, p.height, p.alt])).toEqual([
      ["image/jpeg", 1600, 800, "La devanture"],
      ["image/png", 400, 300, ""],
    ]);
    // Re-encoded: the EXIF the phone wrote (a GPS position, often) is gone.
    expect((await sharp(photos[0].bytes).metadata()).exif).toBeUndefined();
    expect((await revisions(town, row.id)).map((r) => r.action)).toEqual(["submitted"]);

    const [mail] = await mailsTo(town, "camille@example.org");
    expect(mail.subject).toBe(`Ville ${town.slug} : confirmez votre proposition d'initiative`);
    const link = linkIn(mail.text_body, "/initiatives/confirmer");
    const confirmed = await respond(() => confirmLoader(get(town, link)));
    expect(confirmed.headers.get("location")).toBe("/initiatives/confirmer?etat=confirmee");
    expect((await listing(town, row.id))?.status).toBe("pending");
    expect((await revisions(town, row.id)).map((r) => r.action)).toEqual(["submitted", "confirmed_by_submitter"]);

    // The same link again: used, nothing changes.
    const again = await respond(() => confirmLoader(get(town, link)));
    expect(again.headers.get("location")).toBe("/initiatives/confirmer?etat=deja-confirmee");
    const bogus = await respond(() => confirmLoader(get(town, `/initiatives/confirmer?jeton=${"x".repeat(43)}`)));
    expect(bogus.headers.get("location")).toBe("/initiatives/confirmer?etat=invalide");
    const page = await respond(() => confirmLoader(get(town, "/initiatives/confirmer?etat=invalide")));
    expect(page.status).toBe(400);
  });

  it("refuses an expired confirmation link", async () => {
    const town = await directoryTown();
    await submit(town);
    const link = linkIn((await mailsTo(town, "camille@example.org"))[0].text_body, "/initiatives/confirmer");
    await withTenant(town.id, (tx) => tx.updateTable("directory_links").set({ expires_at: new Date(Date.now() - 1000) }).execute());
    const response = await respond(() => confirmLoader(get(town, link)));
    expect(response.headers.get("location")).toBe("/initiatives/confirmer?etat=expiree");
    const [row] = await withTenant(town.id, (tx) => tx.selectFrom("directory_initiatives").select("status").execute());
    expect(row.status).toBe("unconfirmed");
  });

  it.each([
    ["a missing name", { name: "" }, "name", "directory:moderation.errors.nameRequired"],
    ["a missing email to confirm", { submitterEmail: "" }, "submitterEmail", "directory:moderation.errors.submitterEmailRequired"],
    ["an invalid email", { submitterEmail: "camille@" }, "submitterEmail", "common:form.errors.email"],
    ["an unknown kind", { kind: "chateau" }, "kind", "common:form.errors.choice"],
    ["a position outside the town", { latitude: "48,8566", longitude: "2,3522" }, "latitude", "directory:moderation.errors.outOfBounds"],
    ["half a position", { longitude: "" }, "longitude", "directory:moderation.errors.positionPair"],
    ["a coordinate that is not a number", { latitude: "nord" }, "latitude", "directory:moderation.errors.coordinate"],
    ["a link that is not a web address", { links: "javascript:alert(1)" }, "links", "directory:moderation.errors.link"],
    ["a phone number made of letters", { contactPhone: "appelez-moi" }, "contactPhone", "directory:moderation.errors.phone"],
  ])("refuses %s with a translated message and keeps what was typed, saving nothing", async (_what, overrides, field, key) => {
    const town = await directoryTown();
    const entries = submissionFields(overrides);
    entries.push(["photo1", file(await image(200, 200), "ok.jpg", "image/jpeg")]);
    const response = await submit(town, entries);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[field]).toBe(key);
    expect(body.values.description).toBe("Commandes groupées de produits secs.");
    expect(body.lists.layers).toEqual(["se_nourrir", "echanger"]);
    expect(await count(town.id, "directory_initiatives")).toBe(0);
    expect(await count(town.id, "directory_photos")).toBe(0);
    expect(await mailsTo(town, "camille@example.org")).toEqual([]);
  });

  it("refuses a file that is not an image, whatever its name and declared type", async () => {
    const town = await directoryTown();
    const entries = submissionFields();
    entries.push(["photo1", file("<svg onload=alert(1)></svg>", "photo.jpg", "image/jpeg")]);
    const body = await (await submit(town, entries)).json();
    expect(body.errors.photo1).toBe("directory:moderation.errors.photo.notAnImage");
    expect(await count(town.id, "directory_initiatives")).toBe(0);
  });

  it("refuses a PNG signature on bytes that do not decode, and an oversized photo", async () => {
    const town = await directoryTown();
    const fake = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(7)]);
    const oversized = new Uint8Array(5 * 1024 * 1024 + 1);
    oversized.set([0xff, 0xd8, 0xff]);
    const entries = submissionFields();
    entries.push(["photo1", file(fake, "a.png", "image/png")], ["photo2", file(oversized, "b.jpg", "image/jpeg")]);
    const response = await submit(town, entries);
    const body = await response.json();
    expect(body.errors, JSON.stringify(body)).toBeDefined();
    expect(body.errors.photo1).toMatch(/^directory:moderation\.errors\.photo\.(notAnImage|unreadable)$/);
    expect(body.errors.photo2).toBe("directory:moderation.errors.photo.tooLarge");
    expect(await count(town.id, "directory_photos")).toBe(0);
  });

  it("writes nothing, photos included, when a later step of the transaction fails", async () => {
    const town = await directoryTown();
    const entries = submissionFields({ submitterEmail: "x".repeat(300) + "@example.org" });
    entries.push(["photo1", file(await image(100, 100), "ok.jpg", "image/jpeg")]);
    const response = await submit(town, entries);
    expect(response.status).toBe(400);
    expect(await count(town.id, "directory_photos")).toBe(0);
    expect(await count(town.id, "directory_links")).toBe(0);
  });

  it("caps the submissions waiting for confirmation from one address", async () => {
    const town = await directoryTown();
    for (let i = 0; i < 5; i++) expect((await submit(town, submissionFields({ name: `Initiative ${i}` }))).status).toBe(302);
    const refused = await submit(town, submissionFields({ name: "Une de trop" }));
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.submitterEmail).toBe("directory:moderation.errors.tooManyUnconfirmed");
    expect(await count(town.id, "directory_initiatives")).toBe(5);
  });

  it("shows the form with the town's vocabularies, and answers 404 where the directory is off", async () => {
    const town = await directoryTown();
    const page = await respond(() => submitLoader(get(town, "/initiatives/proposer")));
    const data = await page.json();
    expect(data.options.kind.map((o: { key: string }) => o.key)).toContain("amap");
    expect(data.options.bounds).toEqual([[2.98, 50.45], [3.05, 50.51]]);
    const { createTestTenant } = await import("../../../../../db/test/helpers");
    const off = await createTestTenant({ disabledModules: ["directory"] });
    expect((await respond(() => submitLoader(get(off, "/initiatives/proposer")))).status).toBe(404);
  });

  it("a confirmation link of one town does nothing in another", async () => {
    const a = await directoryTown();
    const b = await directoryTown();
    await submit(a);
    const link = linkIn((await mailsTo(a, "camille@example.org"))[0].text_body, "/initiatives/confirmer");
    const response = await respond(() => confirmLoader(get(b, link)));
    expect(response.headers.get("location")).toBe("/initiatives/confirmer?etat=invalide");
    const [row] = await withTenant(a.id, (tx) => tx.selectFrom("directory_initiatives").select("status").execute());
    expect(row.status).toBe("unconfirmed");
    expect(tokenOf(link)).toHaveLength(43);
  });
});
