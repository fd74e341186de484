import { closeDatabase, withTenant } from "~/core/db/db.server";
import { createTestTenant } from "../../../../db/test/helpers";
import { DEFAULT_VOCABULARIES } from "../vocabulary";
import { insertInitiative, signedIn } from "../test/fixtures";
import { analyseImport, decodeCsv, importInitiatives, parseImportCsv, signImport, verifyImport, type ImportIssue } from "./import.server";
import { listOpenDataByName, toCsv, toOpenDataRecord } from "./opendata.server";
import { getVocabularies } from "./vocabulary.server";

afterAll(async () => {
  await closeDatabase();
});

// The test towns' map area (db/test/helpers.ts): longitude 2.98..3.05, latitude 50.45..50.51.
const context = { vocabularies: DEFAULT_VOCABULARIES, bounds: [[2.98, 50.45], [3.05, 50.51]] as [[number, number], [number, number]] };
const encode = (text: string) => new TextEncoder().encode(text);
const brief = (issues: ImportIssue[]) => issues.map((i) => `${i.row ?? "-"}:${i.column ?? "-"}:${i.code}`);

describe("reading the file", () => {
  it("reads UTF-8 with or without BOM, `;` or `,`, decimal comma, labels instead of codes", () => {
    const semicolon = "\uFEFFnom;type;etape;thematiques;latitude;longitude;contact_public;langues\r\n" +
      "Épicerie test;Projet de supermarché coopératif;Épicerie test;Se nourrir|travailler;50,48;3,01;oui;fr|AR\r\n";
    const decoded = decodeCsv(encode(semicolon));
    expect(decoded.ok).toBe(true);
    const a = parseImportCsv(decoded.ok ? decoded.text : "", context);
    expect(a.issues).toEqual([]);
    expect(a.rows).toEqual([
      expect.objectContaining({
        row: 2,
        name: "Épicerie test",
        kind: "cooperative_supermarket",
        stage: "test_grocery",
        layers: ["se_nourrir", "travailler"],
        latitude: 50.48,
        longitude: 3.01,
        contactPublic: true,
        languages: ["fr", "ar"],
      }),
    ]);
    const comma = 'nom,type,description,liens\n"AMAP du centre",amap,"Paniers, légumes","https://amap.example.org|http://b.example.org"\n';
    const b = parseImportCsv(comma, context);
    expect(b.issues).toEqual([]);
    expect(b.rows[0]).toMatchObject({ name: "AMAP du centre", kind: "amap", description: "Paniers, légumes", links: ["https://amap.example.org", "http://b.example.org"], contactPublic: false, languages: ["fr"] });
  });

  it("refuses a file that is not UTF-8 instead of guessing", () => {
    const latin1 = Uint8Array.from([...encode("nom;type\n"), 0xc9, 0x70, 0x69, ...encode(";amap\n")]);
    const decoded = decodeCsv(latin1);
    expect(decoded).toEqual({ ok: false, issue: { row: null, column: null, code: "notUtf8" } });
    expect(decodeCsv(new Uint8Array())).toEqual({ ok: false, issue: { row: null, column: null, code: "fileEmpty" } });
  });

  it("reports file-level problems: columns, quotes, no rows, too many rows", () => {
    expect(brief(parseImportCsv("nom;kind\nA;amap\n", context).issues)).toEqual(["1:kind:unknownColumn", "1:type:missingColumn"]);
    expect(brief(parseImportCsv("nom;type;nom\nA;amap;B\n", context).issues)).toEqual(["1:nom:duplicateColumn"]);
    expect(brief(parseImportCsv('nom;type\n"Oups;amap\n', context).issues)).toEqual(["-:-:quotes"]);
    expect(brief(parseImportCsv("nom;type\n\n;\n", context).issues)).toEqual(["-:-:noRows"]);
    const many = "nom;type\n" + Array.from({ length: 1001 }, (_, i) => `Initiative ${i};amap`).join("\n");
    expect(parseImportCsv(many, context).issues).toEqual([{ row: null, column: null, code: "tooManyRows", params: { count: 1001, max: 1000 } }]);
  });

  it("reports every broken row with its spreadsheet row number and column", () => {
    const csv = [
      "nom;type;etape;thematiques;latitude;longitude;contact_email;liens;langues;contact_public;contact_telephone",
      "Bon;amap;;;50.48;3.01;;;;;",
      ";inconnu;;;;;;;;;",
      "",
      "Loin;amap;;;48.85;2.35;;;;;",
      "Mauvais;amap;etape_x;voler;abc;3.01;pas-un-email;ftp://x.org;xx;peut-être;abc",
      "Moitié;amap;;;50.48;;;;;;",
      "Court;amap",
    ].join("\n");
    const { rows, issues } = parseImportCsv(csv, context);
    expect(rows.map((r) => r.name)).toEqual(["Bon"]);
    expect(brief(issues)).toEqual([
      "3:nom:required",
      "3:type:unknownValue",
      "5:latitude:outOfBounds",
      "6:etape:unknownValue",
      "6:thematiques:unknownValue",
      "6:latitude:notANumber",
      "6:contact_email:email",
      "6:contact_telephone:phone",
      "6:contact_public:yesNo",
      "6:liens:url",
      "6:langues:language",
      "7:longitude:coordinatesPair",
      "8:-:columnCount",
    ]);
    expect(issues.find((i) => i.row === 3 && i.column === "type")!.params).toMatchObject({ value: "inconnu", allowed: expect.stringContaining("buying_group") });
  });

  it("reads back its own CSV export (formula guard removed, export-only columns ignored)", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    await insertInitiative(t.id, { name: "-10 % sur le vrac", kind: "buying_group", latitude: 50.48, longitude: 3.01, layers: ["se_nourrir"], links: ["https://vrac.example.org"] });
    const csv = await withTenant(t.id, async (tx) => {
      const vocabularies = await getVocabularies(tx);
      return toCsv((await listOpenDataByName(tx)).map((r) => toOpenDataRecord(r, { vocabularies, origin: "http://x", timeZone: "Europe/Paris" })));
    });
    const { rows, issues } = parseImportCsv(csv, context);
    expect(issues).toEqual([]);
    expect(rows[0]).toMatchObject({ name: "-10 % sur le vrac", layers: ["se_nourrir"], links: ["https://vrac.example.org"], latitude: 50.48, longitude: 3.01 });
  });
});

describe("duplicates and the import itself", () => {
  it("flags names duplicated in the file or with existing listings, accents and case ignored", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    await insertInitiative(t.id, { name: "Repair Café Centre", status: "pending" });
    await insertInitiative(t.id, { name: "Ancienne refusée", status: "refused" });
    const csv = "nom;type\nrepair cafe centre;repair_cafe\nJardin;shared_garden\nJARDÍN;shared_garden\nAncienne refusée;amap\n";
    const analysis = await withTenant(t.id, (tx) => analyseImport(tx, csv, context));
    expect(brief(analysis.issues)).toEqual(["2:nom:duplicateExisting", "4:nom:duplicateInFile"]);
    expect(analysis.issues[0].params).toEqual({ existing: "Repair Café Centre" });
    expect(analysis.issues[1].params).toEqual({ other: 3 });
  });

  it("publishes every row with an 'imported' revision by the staff member and an event", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const { userId } = await signedIn(t.id, ["staff"]);
    const csv = "nom;type;contact_email;contact_public\nUn;amap;un@example.org;non\nDeux;give_box;;\n";
    const ids = await withTenant(t.id, async (tx) => {
      const analysis = await analyseImport(tx, csv, context);
      expect(analysis.issues).toEqual([]);
      return importInitiatives(tx, t.id, analysis.rows, { userId, label: "Agent Test" });
    });
    expect(ids).toHaveLength(2);
    await withTenant(t.id, async (tx) => {
      const listings = await tx.selectFrom("directory_initiatives").select(["id", "name", "status", "contact_email", "contact_public"]).orderBy("name", "desc").execute();
      expect(listings.map((l) => [l.name, l.status, l.contact_email, l.contact_public])).toEqual([
        ["Un", "published", "un@example.org", false],
        ["Deux", "published", null, false],
      ]);
      const revisions = await tx.selectFrom("directory_revisions").select(["initiative_id", "action", "actor_user_id", "actor_label", "snapshot"]).execute();
      expect(revisions.map((r) => [r.action, r.actor_user_id, r.actor_label]).sort()).toEqual([
        ["imported", userId, "Agent Test"],
        ["imported", userId, "Agent Test"],
      ]);
      expect(revisions.map((r) => (r.snapshot as { name: string }).name).sort()).toEqual(["Deux", "Un"]);
      const events = await tx.selectFrom("core_events").select(["kind", "module", "subject_id", "actor_id"]).execute();
      expect(events.map((e) => e.subject_id).sort()).toEqual([...ids].sort());
      expect(events.every((e) => e.kind === "initiative_published" && e.module === "directory" && e.actor_id === userId)).toBe(true);
    });
  });

  it("leaves nothing behind when the database refuses a row mid-import", async () => {
    const t = await createTestTenant({ modules: { directory: {} } });
    const { userId } = await signedIn(t.id, ["staff"]);
    const rows = parseImportCsv("nom;type\nPremière;amap\nSeconde;amap\n", context).rows;
    // A row the checks would have refused, forced through to prove the transaction holds.
    rows[1] = { ...rows[1], description: "x".repeat(5001) };
    await expect(withTenant(t.id, (tx) => importInitiatives(tx, t.id, rows, { userId, label: "Agent" }))).rejects.toThrow();
    const left = await withTenant(t.id, async (tx) => ({
      listings: (await tx.selectFrom("directory_initiatives").select("id").execute()).length,
      revisions: (await tx.selectFrom("directory_revisions").select("id").execute()).length,
      events: (await tx.selectFrom("core_events").select("id").execute()).length,
    }));
    expect(left).toEqual({ listings: 0, revisions: 0, events: 0 });
  });
});

describe("the signed confirmation", () => {
  const scope = { tenantId: "6d1f4c4e-1111-4111-8111-111111111111", userId: "6d1f4c4e-2222-4222-8222-222222222222" };

  it("gives back exactly the previewed text, line ends included", () => {
    const text = "nom;type\r\nÉpicerie;amap\r\n";
    expect(verifyImport(signImport(text, scope), scope)).toBe(text);
  });

  it("refuses an altered file, another staff member or town, and an expired preview", () => {
    const signed = signImport("nom;type\nA;amap\n", scope);
    const altered = { ...signed, payload: Buffer.from("nom;type\nB;amap\n").toString("base64url") };
    expect(verifyImport(altered, scope)).toBeNull();
    expect(verifyImport(signed, { ...scope, userId: "6d1f4c4e-3333-4333-8333-333333333333" })).toBeNull();
    expect(verifyImport(signed, { ...scope, tenantId: "6d1f4c4e-4444-4444-8444-444444444444" })).toBeNull();
    expect(verifyImport({ ...signed, expires: String(Number(signed.expires) + 1000) }, scope)).toBeNull();
    expect(verifyImport(signed, scope, Number(signed.expires) + 1)).toBeNull();
    expect(verifyImport({}, scope)).toBeNull();
  });
});
