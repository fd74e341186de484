// Tenant folders for tests of `tenants:sync`: written to a fresh temporary directory, with
// slugs and hosts unique to the run (the test database is shared by every test file).
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export function uniqueSlug(prefix = "sync") {
  return `${prefix}-${crypto.randomBytes(5).toString("hex")}`;
}

/** A definition that passes every check: Libercourt's facts, the directory module on. */
export function validDefinition(slug: string): Record<string, any> {
  return {
    name: `Ville ${slug}`,
    inseeCode: "62907",
    hosts: [`${slug}.localhost`],
    locales: { default: "fr", enabled: ["fr", "en"] },
    timeZone: "Europe/Paris",
    theme: { primary: "#1d4ed8", accent: "#0f766e", logo: "logo.svg" },
    map: { center: [3.0156, 50.4822], zoom: 14, bounds: [[2.9806, 50.4572], [3.0506, 50.5072]] },
    modules: { directory: { enabled: true, settings: { freshnessMonths: 6 } } },
    legal: {
      publisher: `Ville de ${slug}`,
      publicationDirector: "La maire",
      address: `Hôtel de ville, 1 place de la Mairie, 62820 ${slug}`,
      contactEmail: `contact@${slug}.example.org`,
      hosting: "Hébergeur de test",
    },
    accessibility: { status: "none", contactEmail: `accessibilite@${slug}.example.org` },
    demo: true,
  };
}

export function validDemo(): Record<string, any> {
  return {
    password: "Demo-password-2026",
    organisations: [{ name: "Atelier de réparation (démo)", kind: "repair_workshop" }],
    accounts: [
      { email: "habitant@example.org", displayName: "Camille (démo)", roles: [{ role: "resident" }] },
      {
        email: "association@example.org",
        displayName: "Dominique (démo)",
        roles: [{ role: "resident" }, { role: "association_manager", organisation: "Atelier de réparation (démo)" }],
      },
    ],
    modules: {},
  };
}

export const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#1d4ed8"/></svg>';

export type TenantFixture = {
  slug: string;
  /** The tenant.json content; a string is written as is (to test broken JSON). */
  definition: unknown;
  /** logo.svg content; null for none. */
  logo?: string | Buffer | null;
  demo?: unknown;
};

export async function writeTenantFolder(tenants: TenantFixture[]): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "communa-tenants-"));
  for (const t of tenants) {
    const folder = path.join(dir, t.slug);
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, "tenant.json"), typeof t.definition === "string" ? t.definition : JSON.stringify(t.definition, null, 2));
    const logo = t.logo === undefined ? LOGO_SVG : t.logo;
    if (logo !== null) await fs.writeFile(path.join(folder, "logo.svg"), logo);
    if (t.demo !== undefined) await fs.writeFile(path.join(folder, "demo.json"), JSON.stringify(t.demo, null, 2));
  }
  return dir;
}

export function removeTenantFolder(dir: string) {
  return fs.rm(dir, { recursive: true, force: true });
}
