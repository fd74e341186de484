// The legal pages and the home page's commune facts, rendered as the server renders them,
// from tenants applied by `tenants:sync` (the real path of a definition to a page).
import type { MetaDescriptor } from "@remix-run/node";
import { closeDatabase } from "~/core/db/db.server";
import * as accessibility from "~/routes/accessibilite";
import * as privacy from "~/routes/confidentialite";
import * as home from "~/routes/_index";
import * as notice from "~/routes/mentions-legales";
import { syncTenants } from "../../db/tenants-sync";
import { pageRequest, renderPage, testContext, textOf } from "../../db/test/routes";
import { removeTenantFolder, uniqueSlug, validDefinition, writeTenantFolder } from "../../db/test/tenant-folders";

const folders: string[] = [];

/** Applies one tenant definition, changed by `edit`, and returns its host and name. */
async function tenant(edit: (d: Record<string, any>) => void = () => undefined) {
  const slug = uniqueSlug("legal");
  const definition = validDefinition(slug);
  definition.demo = false;
  edit(definition);
  const dir = await writeTenantFolder([{ slug, definition }]);
  folders.push(dir);
  await syncTenants({ ownerUrl: process.env.TEST_OWNER_DATABASE_URL!, dir, log: () => undefined });
  return { host: definition.hosts[0] as string, name: definition.name as string, definition };
}

afterAll(async () => {
  await Promise.all(folders.map(removeTenantFolder));
  await closeDatabase();
});

/** A link without text has no accessible name (and a translation's markup can lose it). */
function expectEveryLinkNamed(html: string) {
  const links = [...html.matchAll(/<a\s[^>]*>(.*?)<\/a>/g)];
  expect(links.length).toBeGreaterThan(0);
  expect(links.filter((l) => textOf(l[1]) === "").map((l) => l[0])).toEqual([]);
}

function expectOneH1AndNoInlineStyle(html: string) {
  expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
  expect(html).not.toMatch(/\sstyle=/);
}

describe("/mentions-legales", () => {
  it("names the publisher, the director of publication, the address, the contact and the host", async () => {
    const t = await tenant();
    const html = await renderPage(notice, pageRequest(t.host, "/mentions-legales"));
    const text = textOf(html);
    expectOneH1AndNoInlineStyle(html);
    expect(text).toContain("Mentions légales");
    expect(text).toContain(`Plateforme coopérative de ${t.name}`);
    for (const value of Object.values(t.definition.legal)) expect(text).toContain(value);
    expect(html).toContain(`href="mailto:${t.definition.legal.contactEmail}"`);
    expect(html).toContain('href="/confidentialite"');
    expect(html).toContain('href="/accessibilite"');
    expectEveryLinkNamed(html);
  });

  it("has a title naming the page and the town, keeping the shell's other meta tags", async () => {
    const t = await tenant();
    const response = (await notice.loader({ request: pageRequest(t.host, "/mentions-legales"), params: {}, context: testContext() })) as Response;
    const data = await response.json();
    const root = { id: "root", meta: [{ title: `${t.name} · Communa` }, { name: "viewport", content: "width=device-width, initial-scale=1" }] as MetaDescriptor[] };
    const tags = notice.meta({ data, matches: [root], params: {}, location: {} } as never) as MetaDescriptor[];
    expect(tags).toEqual([{ name: "viewport", content: "width=device-width, initial-scale=1" }, { title: `Mentions légales · ${t.name} · Communa` }]);
  });
});

describe("/confidentialite", () => {
  it("lists the data processed with purposes and retention, the legal bases, the rights and the CNIL", async () => {
    const t = await tenant();
    const html = await renderPage(privacy, pageRequest(t.host, "/confidentialite"));
    const text = textOf(html);
    expectOneH1AndNoInlineStyle(html);
    expect(text).toContain(`la plateforme coopérative de ${t.name} traite`);
    expect(text).toContain(`Le responsable du traitement est ${t.definition.legal.publisher}, ${t.definition.legal.address}.`);
    expect(text).toMatch(/Adresse électronique, nom affiché/);
    expect(text).toMatch(/empreinte du mot de passe \(algorithme argon2id\)/);
    expect(text).toMatch(/Adresse IP, navigateur utilisé.*30 jours après l'ouverture de la session/);
    expect(text).toMatch(/tentatives de connexion échouées.*15 minutes\./);
    expect(text).toMatch(/mission d'intérêt public.*article 6, paragraphe 1, point e/);
    expect(text).toMatch(/consentement \(article 6, paragraphe 1, point a/);
    expect(text).toMatch(/accéder à vos données, les faire rectifier ou effacer, et vous opposer/);
    expect(text).toContain(t.definition.legal.hosting);
    expect(html).toContain(`href="mailto:${t.definition.legal.contactEmail}"`);
    expect(html).toContain('href="https://www.cnil.fr/fr/plaintes" rel="noopener noreferrer">en ligne sur le site de la CNIL</a>');
    expectEveryLinkNamed(html);
  });

  it("reads in English for an English reader", async () => {
    const t = await tenant();
    const text = textOf(await renderPage(privacy, pageRequest(t.host, "/confidentialite", { cookie: "communa_lng=en" }), "en"));
    expect(text).toContain(`The data controller is ${t.definition.legal.publisher}`);
    expect(text).toContain("Complaint to the CNIL");
  });
});

describe("/accessibilite", () => {
  it("declares a never-audited platform non conforme, and says no audit was done", async () => {
    const t = await tenant();
    const html = await renderPage(accessibility, pageRequest(t.host, "/accessibilite"));
    const text = textOf(html);
    expectOneH1AndNoInlineStyle(html);
    expect(text).toContain(`${t.definition.legal.publisher} s'engage à rendre ses sites internet`);
    expect(text).toContain(`s'applique à la plateforme coopérative de ${t.name} (${t.host})`);
    expect(text).toContain(`La plateforme coopérative de ${t.name} est non conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA)`);
    expect(text).toContain("Aucun audit n'a encore été réalisé");
    expect(text).toContain("HTML5, CSS, JavaScript et WAI-ARIA");
    expect(html).toContain(`href="mailto:${t.definition.accessibility.contactEmail}"`);
    // Voies de recours: online form, delegates, phone, post.
    expect(html).toContain('href="https://formulaire.defenseurdesdroits.fr/" rel="noopener noreferrer">formulaire en ligne du Défenseur des droits</a>');
    expect(html).toContain('href="https://www.defenseurdesdroits.fr/carte-des-delegues" rel="noopener noreferrer">le délégué du Défenseur des droits dans votre région</a>');
    expect(html).toContain('href="tel:+33969390000">09 69 39 00 00</a>');
    expectEveryLinkNamed(html);
    expect(text).toContain("Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07");
  });

  it("states a partial conformity with the date of the audit that established it", async () => {
    const t = await tenant((d) => (d.accessibility = { status: "partial", auditDate: "2026-03-31", contactEmail: "a11y@example.org" }));
    const text = textOf(await renderPage(accessibility, pageRequest(t.host, "/accessibilite")));
    expect(text).toContain(`La plateforme coopérative de ${t.name} est partiellement conforme`);
    expect(text).toContain("résulte de l'audit réalisé le 31 mars 2026");
    expect(text).not.toContain("Aucun audit");
  });

  it("says the same in English", async () => {
    const t = await tenant();
    const text = textOf(await renderPage(accessibility, pageRequest(t.host, "/accessibilite", { cookie: "communa_lng=en" }), "en"));
    expect(text).toContain(`The cooperative platform of ${t.name} is not compliant`);
    expect(text).toContain("No audit has been carried out yet.");
  });
});

describe("home page commune facts", () => {
  it("shows the postcode declared for an associated commune, and why it has no population", async () => {
    const t = await tenant((d) => Object.assign(d, { inseeCode: "59298", postalCodes: ["59260"] }));
    const text = textOf(await renderPage(home, pageRequest(t.host, "/")));
    expect(text).toContain("Code postal 59260");
    expect(text).toContain("Hellemmes-Lille est une commune associée, rattachée à Lille");
    expect(text).not.toMatch(/59000|59800/);
  });

  it("shows no postcode line when an associated commune declares none", async () => {
    const t = await tenant((d) => (d.inseeCode = "59355"));
    const html = await renderPage(home, pageRequest(t.host, "/"));
    expect(textOf(html)).not.toContain("Code postal");
    expect(textOf(html)).toContain("Lomme est une commune associée, rattachée à Lille");
  });

  it("shows a current commune's postcode and population from the dataset", async () => {
    const t = await tenant();
    const text = textOf(await renderPage(home, pageRequest(t.host, "/")));
    expect(text).toContain("Code postal 62820");
    expect(text).toMatch(/7\s973 habitants/);
  });
});
