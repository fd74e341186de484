// The staff import, through its loader and action as Remix calls them.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { createTestTenant, type TestTenant } from "../../../../../db/test/helpers";
import { insertInitiative, json, postForm, respond, routeArgs, signedIn } from "../../test/fixtures";
import { action, loader } from "./gestion.import";
import { loader as templateLoader } from "./gestion.modele-import[.]csv";

afterAll(async () => {
  await closeDatabase();
});

const PATH = "/initiatives/gestion/import";
const csvFile = (text: string | Uint8Array<ArrayBuffer>, name = "initiatives.csv") => new File([text], name, { type: "text/csv" });

type ActionData = {
  errors: Record<string, string>;
  issues: { row: number | null; column: string | null; message: string }[];
  fileName: string | null;
  preview: { rows: { row: number; name: string; kind: string }[]; payload: string; expires: string; signature: string } | null;
};

async function count(t: TestTenant) {
  return withTenant(t.id, async (tx) => ({
    listings: (await tx.selectFrom("directory_initiatives").select("id").execute()).length,
    revisions: (await tx.selectFrom("directory_revisions").select("id").execute()).length,
    events: (await tx.selectFrom("core_events").select("id").execute()).length,
  }));
}

async function preview(t: TestTenant, cookie: string, file: File) {
  return respond(() => action(postForm(t.host, PATH, { intent: "preview", file }, cookie)));
}

function confirmFields(p: NonNullable<ActionData["preview"]>) {
  return { intent: "confirm", payload: p.payload, expires: p.expires, signature: p.signature, fileName: "initiatives.csv" };
}

describe("access", () => {
  it("is for staff only: sign-in redirect for visitors, 403 for residents", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const anonymous = await respond(() => loader(routeArgs(t.host, PATH)));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(`/connexion?retour=${encodeURIComponent(PATH)}`);
    const resident = await signedIn(t.id, ["resident"]);
    expect((await respond(() => loader(routeArgs(t.host, PATH, { headers: { cookie: resident.cookie } })))).status).toBe(403);
    expect((await respond(() => action(postForm(t.host, PATH, { intent: "preview", file: csvFile("nom;type\nA;amap\n") }, resident.cookie)))).status).toBe(403);
    expect((await respond(() => templateLoader(routeArgs(t.host, "/initiatives/gestion/modele-import.csv", { headers: { cookie: resident.cookie } })))).status).toBe(403);
    expect(await count(t)).toEqual({ listings: 0, revisions: 0, events: 0 });
  });

  it("refuses a form without the CSRF token", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const staff = await signedIn(t.id, ["staff"]);
    const form = new FormData();
    form.set("intent", "preview");
    form.set("file", csvFile("nom;type\nA;amap\n"));
    const res = await respond(() => action(routeArgs(t.host, PATH, { method: "POST", body: form, headers: { cookie: staff.cookie } })));
    expect(res.status).toBe(403);
  });
});

describe("preview then confirm", () => {
  it("previews a correct file, then publishes all of it on confirmation", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const staff = await signedIn(t.id, ["staff"], "Claude Agent");
    const res = await preview(t, staff.cookie, csvFile("\uFEFFnom;type;latitude;longitude\r\nAMAP du Bourg;amap;50,48;3,01\r\nBoîte du parc;Boîte à dons;;\r\n"));
    expect(res.status).toBe(200);
    const data = await json<ActionData>(res);
    expect(data.issues).toEqual([]);
    expect(data.preview!.rows.map((r) => [r.row, r.name, r.kind])).toEqual([
      [2, "AMAP du Bourg", "AMAP"],
      [3, "Boîte du parc", "Boîte à dons"],
    ]);
    expect(await count(t)).toEqual({ listings: 0, revisions: 0, events: 0 });

    const done = await respond(() => action(postForm(t.host, PATH, confirmFields(data.preview!), staff.cookie)));
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`${PATH}?importe=2`);
    expect(await count(t)).toEqual({ listings: 2, revisions: 2, events: 2 });
    const page = await json(await respond(() => loader(routeArgs(t.host, `${PATH}?importe=2`, { headers: { cookie: staff.cookie } }))));
    expect(page.imported).toBe(2);
    const published = await withTenant(t.id, (tx) =>
      tx.selectFrom("directory_initiatives").innerJoin("directory_revisions", "directory_revisions.initiative_id", "directory_initiatives.id").select(["name", "status", "action", "actor_label", "latitude"]).orderBy("name").execute(),
    );
    expect(published).toEqual([
      { name: "AMAP du Bourg", status: "published", action: "imported", actor_label: "Claude Agent", latitude: 50.48 },
      { name: "Boîte du parc", status: "published", action: "imported", actor_label: "Claude Agent", latitude: null },
    ]);
  });

  it("shows every problem, translated, and imports nothing", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const staff = await signedIn(t.id, ["staff"]);
    const res = await preview(t, staff.cookie, csvFile("nom;type;latitude;longitude;contact_email\nBon;amap;;;\n;amap;;;\nParis;amap;48.85;2.35;\nMail;amap;;;pas-un-email\n"));
    expect(res.status).toBe(400);
    const data = await json<ActionData>(res);
    expect(data.preview).toBeNull();
    expect(data.errors).toEqual({ file: "directory:opendata.import.errors.fileHasProblems" });
    expect(data.issues).toEqual([
      { row: 3, column: "nom", message: "Cette cellule est obligatoire." },
      { row: 4, column: "latitude", message: "La position (48.85, 2.35) est en dehors de la zone de la carte de la commune." },
      { row: 5, column: "contact_email", message: "« pas-un-email » n'est pas une adresse e-mail valide." },
    ]);
    expect(await count(t)).toEqual({ listings: 0, revisions: 0, events: 0 });
  });

  it("refuses a missing, oversized or non-UTF-8 file with a clear message", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const staff = await signedIn(t.id, ["staff"]);
    const missing = await respond(() => action(postForm(t.host, PATH, { intent: "preview" }, staff.cookie)));
    expect(missing.status).toBe(400);
    expect((await json<ActionData>(missing)).errors.file).toBe("directory:opendata.import.errors.fileMissing");
    const big = await preview(t, staff.cookie, csvFile("nom;type\n" + "x".repeat(1024 * 1024)));
    expect(big.status).toBe(400);
    expect((await json<ActionData>(big)).errors.file).toBe("directory:opendata.import.errors.fileTooLarge");
    const latin1 = await preview(t, staff.cookie, csvFile(Uint8Array.from([0x6e, 0x6f, 0x6d, 0x3b, 0x74, 0x79, 0x70, 0x65, 0x0a, 0xc9, 0x74, 0xe9, 0x3b, 0x61, 0x6d, 0x61, 0x70])));
    expect(latin1.status).toBe(400);
    expect((await json<ActionData>(latin1)).issues[0].message).toMatch(/n'est pas encodé en UTF-8/);
  });

  it("refuses a tampered confirmation", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const staff = await signedIn(t.id, ["staff"]);
    const data = await json<ActionData>(await preview(t, staff.cookie, csvFile("nom;type\nA vérifier;amap\n")));
    const forged = { ...confirmFields(data.preview!), payload: Buffer.from("nom;type\nAutre chose;amap\nEncore;amap\n").toString("base64url") };
    const res = await respond(() => action(postForm(t.host, PATH, forged, staff.cookie)));
    expect(res.status).toBe(400);
    expect((await json<ActionData>(res)).errors.file).toBe("directory:opendata.import.errors.expired");
    const colleague = await signedIn(t.id, ["staff"]);
    const replayed = await respond(() => action(postForm(t.host, PATH, confirmFields(data.preview!), colleague.cookie)));
    expect(replayed.status).toBe(400);
    expect(await count(t)).toEqual({ listings: 0, revisions: 0, events: 0 });
  });

  it("checks again on confirmation: a duplicate added since the preview stops the whole import", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const staff = await signedIn(t.id, ["staff"]);
    const data = await json<ActionData>(await preview(t, staff.cookie, csvFile("nom;type\nUne;amap\nDeux;amap\n")));
    expect(data.preview).not.toBeNull();
    await insertInitiative(t.id, { name: "DEUX", status: "pending" });
    const res = await respond(() => action(postForm(t.host, PATH, confirmFields(data.preview!), staff.cookie)));
    expect(res.status).toBe(400);
    expect((await json<ActionData>(res)).issues).toEqual([{ row: 3, column: "nom", message: "Une initiative nommée « DEUX » existe déjà dans l'annuaire." }]);
    expect((await count(t)).listings).toBe(1);
  });
});

describe("template", () => {
  it("downloads the header row the import reads", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const staff = await signedIn(t.id, ["staff"]);
    const res = await respond(() => templateLoader(routeArgs(t.host, "/initiatives/gestion/modele-import.csv", { headers: { cookie: staff.cookie } })));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("modele-import-initiatives.csv");
    // Buffer keeps the byte-order mark that Response.text() would strip.
    const text = Buffer.from(await res.arrayBuffer()).toString("utf8");
    expect(text).toBe(
      "\uFEFFnom;type;etape;thematiques;description;adresse;quartier;latitude;longitude;contact_nom;contact_email;contact_telephone;liens;horaires;langues;accessibilite;contact_public\r\n",
    );
  });
});
