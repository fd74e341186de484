// Freshness, run with a controlled clock: reminders when a listing falls due (once, however
// often the job runs), "to be checked" and then hidden without an answer, visible again as
// soon as someone confirms. Also the job as the queue runs it: per tenant, RLS applied.
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { runModuleJob } from "~/core/jobs/jobs.server";
import { getModule } from "~/core/modules/registry.server";
import { silentLog } from "~/core/auth/testing";
import { createTestTenant } from "../../../../db/test/helpers";
import { createOrganisation, directoryTown, get, insertInitiative, linkIn, listing, mailsTo, manager, outbox, post, respond, revisions, tokenOf } from "../test/moderation-fixtures";
import { action as linkAction, loader as linkLoader } from "../routes/initiatives+/lien";
import { confirmFreshnessByLink, runFreshness, type FreshnessSettings } from "./freshness.server";
import { abilityFor } from "~/core/permissions/ability.server";
import { allowedListings } from "./access.server";
import { getPublicListing } from "./listing.server";

afterAll(closeDatabase);

const DAY = 24 * 3600 * 1000;
const settings: FreshnessSettings = { freshnessMonths: 6, toCheckAfterDays: 30, hideAfterDays: 60 };
type Town = Awaited<ReturnType<typeof directoryTown>>;

function run(town: Town, now: Date) {
  const pending: Array<() => Promise<void> | void> = [];
  return withTenant(town.id, (tx) =>
    runFreshness(tx, {
      tenant: { id: town.id, name: `Ville ${town.slug}`, defaultLocale: "fr", timeZone: "Europe/Paris" },
      settings,
      now,
      origin: `http://${town.host}`,
      mail: { tx, tenant: { id: town.id, name: `Ville ${town.slug}` }, afterCommit: (f) => pending.push(f) },
    }),
  );
}

const T0 = new Date("2025-03-01T10:00:00Z");
const DUE = new Date("2025-09-02T10:00:00Z");

describe("freshness", () => {
  it("reminds the managers once when due, then marks to check, then hides, until someone confirms", async () => {
    const town = await directoryTown();
    const organisation = await createOrganisation(town);
    await manager(town, organisation, "one@example.org", "Alix");
    await manager(town, organisation, "two@example.org", "Bo");
    const id = await insertInitiative(town.id, { name: "AMAP des Prés", status: "published", organisation_id: organisation, confirmed_at: T0 });

    expect(await run(town, new Date("2025-08-31T10:00:00Z"))).toEqual({ reminded: 0, emails: 0, toCheck: 0, hidden: 0 });
    expect(await run(town, DUE)).toEqual({ reminded: 1, emails: 2, toCheck: 0, hidden: 0 });
    // The job runs again (next hour, a retry): nobody is reminded twice.
    expect(await run(town, DUE)).toEqual({ reminded: 0, emails: 0, toCheck: 0, hidden: 0 });
    expect(await run(town, new Date(DUE.getTime() + DAY))).toMatchObject({ reminded: 0, emails: 0 });
    const [mail] = await mailsTo(town, "one@example.org");
    expect(mail.subject).toBe(`Ville ${town.slug} : « AMAP des Prés » est-elle toujours à jour ?`);
    expect(mail.text_body).toContain("Bonjour Alix,");
    expect(mail.text_body).toContain("1 mars 2025");
    expect(await mailsTo(town, "two@example.org")).toHaveLength(1);

    expect(await run(town, new Date(DUE.getTime() + 29 * DAY))).toMatchObject({ toCheck: 0 });
    expect(await run(town, new Date(DUE.getTime() + 30 * DAY))).toMatchObject({ toCheck: 1 });
    expect((await listing(town, id))?.freshness).toBe("to_check");
    expect(await run(town, new Date(DUE.getTime() + 89 * DAY))).toMatchObject({ hidden: 0 });
    expect(await run(town, new Date(DUE.getTime() + 90 * DAY))).toMatchObject({ hidden: 1 });
    expect(await listing(town, id)).toMatchObject({ freshness: "hidden", status: "published" });
    // Hidden from the public page, never deleted.
    expect(await withTenant(town.id, async (tx) => getPublicListing(tx, id, allowedListings(await abilityFor(tx, null), "read")))).toBeNull();

    const confirmAt = new Date(DUE.getTime() + 100 * DAY);
    const token = tokenOf(linkIn(mail.text_body, "/initiatives/lien"));
    expect(await withTenant(town.id, (tx) => confirmFreshnessByLink(tx, token, confirmAt))).toMatchObject({ status: "confirmed", id });
    expect(await listing(town, id)).toMatchObject({ freshness: "fresh", confirmed_at: confirmAt });
    expect(await withTenant(town.id, async (tx) => getPublicListing(tx, id, allowedListings(await abilityFor(tx, null), "read")))).not.toBeNull();
    expect(await withTenant(town.id, (tx) => confirmFreshnessByLink(tx, token, confirmAt))).toEqual({ status: "used" });
    // The next cycle starts from the new confirmation.
    expect(await run(town, new Date(confirmAt.getTime() + 30 * DAY))).toEqual({ reminded: 0, emails: 0, toCheck: 0, hidden: 0 });
    expect(await run(town, new Date(confirmAt.getTime() + 185 * DAY))).toMatchObject({ reminded: 1, emails: 2 });

    expect((await revisions(town, id)).map((r) => [r.action, r.actor_label])).toEqual([
      ["reminder_sent", "@system"],
      ["marked_to_check", "@system"],
      ["hidden", "@system"],
      ["freshness_confirmed", "@email-link"],
      ["reminder_sent", "@system"],
    ]);
  });

  it("reminds the submitter of an unclaimed listing, and still ages a listing nobody can be reminded about", async () => {
    const town = await directoryTown();
    const submitted = await insertInitiative(town.id, { name: "Boîte à dons", status: "published", submitter_name: "Sam", submitter_email: "sam@example.org", confirmed_at: T0 });
    const orphan = await insertInitiative(town.id, { name: "Sans adresse", status: "published", confirmed_at: T0 });
    const recent = await insertInitiative(town.id, { name: "Récente", status: "published", submitter_email: "recent@example.org", confirmed_at: new Date(DUE.getTime() - 10 * DAY) });
    const pending = await insertInitiative(town.id, { name: "En attente", status: "pending", submitter_email: "pending@example.org", confirmed_at: T0 });
    expect(await run(town, DUE)).toEqual({ reminded: 2, emails: 1, toCheck: 0, hidden: 0 });
    expect((await mailsTo(town, "sam@example.org"))[0].text_body).toContain("Bonjour Sam,");
    expect(await run(town, new Date(DUE.getTime() + 30 * DAY))).toMatchObject({ toCheck: 2 });
    expect((await listing(town, orphan))?.freshness).toBe("to_check");
    expect((await listing(town, submitted))?.freshness).toBe("to_check");
    expect((await listing(town, recent))?.freshness).toBe("fresh");
    expect((await listing(town, pending))?.freshness).toBe("fresh");
    expect((await outbox(town)).map((m) => m.to_address)).toEqual(["sam@example.org"]);
  });

  it("two runs at the same time remind each listing once", async () => {
    const town = await directoryTown();
    for (let i = 0; i < 20; i++) {
      await insertInitiative(town.id, { name: `Groupe ${i}`, status: "published", submitter_email: `g${i}@example.org`, confirmed_at: T0 });
    }
    const [a, b] = await Promise.all([run(town, DUE), run(town, DUE)]);
    expect(a.reminded + b.reminded).toBe(20);
    const sent = (await outbox(town)).map((m) => m.to_address);
    expect(sent).toHaveLength(20);
    expect(new Set(sent).size).toBe(20);
  });

  it("the one-click link of a reminder confirms the listing through the page", async () => {
    const town = await directoryTown();
    const id = await insertInitiative(town.id, { name: "Jardin", status: "published", submitter_email: "jardin@example.org", confirmed_at: new Date(Date.now() - 200 * DAY), freshness: "to_check" });
    await run(town, new Date());
    const link = linkIn((await mailsTo(town, "jardin@example.org"))[0].text_body, "/initiatives/lien");
    const response = await respond(() => linkLoader(get(town, link)));
    expect(response.headers.get("location")).toBe(`/initiatives/lien?etat=informations-confirmees&fiche=${id}`);
    expect((await listing(town, id))?.freshness).toBe("fresh");
  });
});

describe("a reminder's edit link", () => {
  it("edits a published listing at once, confirms it, and works once", async () => {
    const town = await directoryTown();
    const id = await insertInitiative(town.id, { name: "Outilthèque", status: "published", address: "2 rue Haute", submitter_name: "Lou", submitter_email: "lou@example.org", confirmed_at: new Date(Date.now() - 200 * DAY), freshness: "to_check" });
    await run(town, new Date());
    // The mail holds the one-click link first, then the edit link.
    const [, edit] = [...(await mailsTo(town, "lou@example.org"))[0].text_body.matchAll(/\/initiatives\/lien\?jeton=([\w-]{43})/g)].map((m) => m[1]);
    const fields: Array<[string, string]> = [["jeton", edit], ["name", "Outilthèque du Centre"], ["kind", "tool_library"], ["address", "2 rue Haute"], ["languages", "fr"]];
    const saved = await respond(() => linkAction(post(town, "/initiatives/lien", fields)));
    expect(saved.headers.get("location")).toBe(`/initiatives/lien?etat=modifications-enregistrees&fiche=${id}`);
    expect(await listing(town, id)).toMatchObject({ name: "Outilthèque du Centre", status: "published", freshness: "fresh" });
    expect((await revisions(town, id)).map((r) => [r.action, r.actor_label])).toEqual([
      ["reminder_sent", "@system"],
      ["edited_by_link", "Lou"],
    ]);
    const again = await respond(() => linkAction(post(town, "/initiatives/lien", fields)));
    expect(again.headers.get("location")).toBe("/initiatives/lien?etat=deja-utilise");
  });
});

describe("the freshness job as the queue runs it", () => {
  it("goes through every tenant that enabled the directory, each in its own scope, and only those", async () => {
    const job = getModule("directory")!.jobs!.find((j) => j.id === "freshness")!;
    const on = await directoryTown({ freshnessMonths: 1 });
    const off = await createTestTenant({ disabledModules: ["directory"] });
    const now = new Date();
    const dueOn = await insertInitiative(on.id, { name: "Due", status: "published", submitter_email: "due@example.org", confirmed_at: new Date(now.getTime() - 40 * DAY) });
    const dueOff = await insertInitiative(off.id, { name: "Due ailleurs", status: "published", submitter_email: "off@example.org", confirmed_at: new Date(now.getTime() - 400 * DAY) });
    // Limited to this file's towns: the test database holds other files' towns too.
    const report = await runModuleJob({ id: "directory" }, job, { now, log: silentLog, tenantIds: [on.id, off.id] });
    expect(report.tenants).toBe(1);
    expect(report.failed).toEqual([]);
    expect(report.counts[on.slug]).toMatchObject({ reminded: 1, emails: 1 });
    expect(report.counts[off.slug]).toBeUndefined();
    expect((await listing(on, dueOn))?.reminder_sent_at).toEqual(now);
    expect((await listing(off, dueOff))?.reminder_sent_at).toBeNull();
    // Links in the mail point at the town's own host.
    expect((await mailsTo(on, "due@example.org"))[0].text_body).toContain(`http://${on.host}`);
  });
});
