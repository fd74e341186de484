// The public pages of the directory: the list, the listing page (and its 404s), photos and
// the offline base map style.
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { closeDatabase, withTenant } from "~/core/db/db.server";
import { i18nFor } from "~/core/i18n/i18n.server";
import { createTestTenant, type TestTenant } from "../../../db/test/helpers";
import { pageRequest, renderPage, testContext } from "../../../db/test/routes";
import * as listingRoute from "./routes/initiatives+/$id";
import * as photoRoute from "./routes/initiatives+/$id_.photos.$photoId";
import * as listRoute from "./routes/initiatives+/_index";
import * as mapRoute from "./routes/initiatives+/carte";
import * as styleRoute from "./routes/initiatives+/carte_.style[.]json";
import { addListing } from "./test-fixtures";

afterAll(async () => {
  await closeDatabase();
});

// A 1×1 transparent PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

function loaderArgs(host: string, pathname: string, params: Record<string, string> = {}) {
  return { request: pageRequest(host, pathname), params, context: testContext() };
}

/** renderPage, for a route with a dynamic segment: the params come from `pattern`. */
async function renderAt(route: { loader: (args: LoaderFunctionArgs) => Promise<unknown>; default: ComponentType }, pattern: string, request: Request) {
  const context = testContext();
  const handler = createStaticHandler([
    { id: "page", path: pattern, loader: (args) => route.loader({ request: args.request, params: args.params, context }) as Promise<Response>, Component: route.default },
  ]);
  const state = await handler.query(request);
  if (state instanceof Response) throw state;
  if (state.errors) throw Object.values(state.errors)[0];
  return renderToString(
    <I18nextProvider i18n={i18nFor("fr")}>
      <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, state)} context={state} hydrate={false} />
    </I18nextProvider>,
  );
}
const renderListing = (host: string, id: string) => renderAt(listingRoute, "/initiatives/:id", pageRequest(host, `/initiatives/${id}`));

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    const result = await promise;
    return result instanceof Response ? result.status : 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("the listing page", () => {
  let tenant: TestTenant;
  let published: string;
  beforeAll(async () => {
    tenant = await createTestTenant({ modules: { directory: {} } });
    published = await addListing(tenant, {
      name: "Épicerie solidaire",
      kind: "cooperative_supermarket",
      stage: "test_grocery",
      layers: ["se_nourrir"],
      description: "Des produits locaux.\n\nOuverte à tous.",
      address: "12 rue des Lilas",
      neighbourhood: "Centre",
      longitude: 3.04,
      latitude: 50.5,
      contact_name: "Alex Martin",
      contact_email: "alex@example.org",
      contact_phone: "03 20 00 00 00",
      contact_public: true,
      links: ["https://epicerie.example.org/", "javascript:alert(1)"],
      schedule: "Le mercredi et le samedi.",
      opening_hours: JSON.stringify([{ day: 3, opens: "14:00", closes: "19:00" }, { day: 6, opens: "09:00", closes: "12:00" }]),
      languages: ["fr", "ar"],
      accessibility_notes: "Entrée de plain-pied.",
      confirmed_at: new Date("2026-01-15T23:30:00Z"),
    });
  });

  it("shows every public field, the preview and the confirmation date in the tenant's time zone", async () => {
    const html = await renderListing(tenant.host, published);
    for (const text of [
      "Épicerie solidaire", "Projet de supermarché coopératif", "Épicerie test", "Se nourrir", "Des produits locaux.", "Ouverte à tous.",
      "12 rue des Lilas", "Centre", "Alex Martin", "alex@example.org", "Le mercredi et le samedi.", "Mercredi", "de 14:00 à 19:00",
      "Samedi", "Arabe", "Français", "Entrée de plain-pied.",
      // 23:30 UTC on 15 January is already the 16th in Paris.
      "Informations confirmées le 16 janvier 2026",
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).toContain('href="https://epicerie.example.org/"');
    expect(html).not.toContain("javascript:");
    expect(html).toContain('href="mailto:alex@example.org"');
    expect(html).toContain('href="tel:0320000000"');
    // The static preview: an SVG image with a name, the point in the north-east of the bounds.
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="directory-preview-title directory-preview-caption"/);
    expect(html).toContain("Au nord-est de la commune");
    expect(html).not.toMatch(/style="/);
  });

  it("keeps a hidden contact out of the page", async () => {
    const id = await addListing(tenant, { name: "Contact privé", contact_name: "Camille Secret", contact_email: "secret@example.org", contact_public: false });
    const html = await renderListing(tenant.host, id);
    expect(html).toContain("Contact privé");
    expect(html).not.toContain("secret@example.org");
    expect(html).not.toContain("Camille Secret");
  });

  it("answers 404 for unknown, unpublished, hidden, malformed and other towns' ids", async () => {
    const other = await createTestTenant({ modules: { directory: {} } });
    const othersListing = await addListing(other, { name: "Chez le voisin" });
    const pending = await addListing(tenant, { name: "En attente", status: "pending" });
    const hidden = await addListing(tenant, { name: "Masquée", freshness: "hidden" });
    const ids = ["00000000-0000-4000-8000-000000000000", pending, hidden, othersListing, "pas-un-uuid", "1' or '1'='1", "%"];
    for (const id of ids) {
      expect(await status(listingRoute.loader(loaderArgs(tenant.host, `/initiatives/${encodeURIComponent(id)}`, { id }))), id).toBe(404);
    }
    expect(await status(listingRoute.loader(loaderArgs(tenant.host, `/initiatives/${published}`, { id: published })))).toBe(200);
  });
});

describe("photos", () => {
  it("serves a published listing's photo with its type, and nothing else", async () => {
    const tenant = await createTestTenant({ modules: { directory: {} } });
    const listing = await addListing(tenant, { name: "Avec photo" });
    const pending = await addListing(tenant, { name: "Pas encore publiée", status: "pending" });
    const [photo, hiddenPhoto] = await withTenant(tenant.id, async (tx) => {
      const add = (initiative: string) =>
        tx
          .insertInto("directory_photos")
          .values({ tenant_id: tenant.id, initiative_id: initiative, content_type: "image/png", bytes: PNG, width: 1, height: 1, alt: "Le local" })
          .returning("id")
          .executeTakeFirstOrThrow()
          .then((r) => r.id);
      return [await add(listing), await add(pending)];
    });
    const response = (await photoRoute.loader(loaderArgs(tenant.host, "/", { id: listing, photoId: photo }))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("image/png");
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
    expect(await status(photoRoute.loader(loaderArgs(tenant.host, "/", { id: pending, photoId: hiddenPhoto })))).toBe(404);
    expect(await status(photoRoute.loader(loaderArgs(tenant.host, "/", { id: pending, photoId: photo })))).toBe(404);
    expect(await status(photoRoute.loader(loaderArgs(tenant.host, "/", { id: listing, photoId: "x" })))).toBe(404);

    const html = await renderListing(tenant.host, listing);
    expect(html).toContain(`src="/initiatives/${listing}/photos/${photo}"`);
    expect(html).toContain('alt="Le local"');
  });
});

describe("the list page", () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await createTestTenant({ modules: { directory: {} } });
    await addListing(tenant, { name: "Épicerie du Faubourg", stage: "gestation", layers: ["se_nourrir"], neighbourhood: "Faubourg", address: "3 rue Basse" });
    await addListing(tenant, { name: "Vieille fiche", freshness: "to_check" });
  });

  it("announces the count and shows each result with its stage as colour and text, and a link", async () => {
    const html = await renderPage(listRoute, pageRequest(tenant.host, "/initiatives?q=epicerie"));
    expect(html).toMatch(/role="status"[^>]*>1 initiative correspond à vos filtres\./);
    expect(html).toContain("Épicerie du Faubourg");
    expect(html).toMatch(/<circle[^>]*fill="#6b7280"[^>]*>.*En gestation/);
    expect(html).toContain("Se nourrir");
    expect(html).toContain("3 rue Basse");
    expect(html).toContain("Informations confirmées le");
    expect(html).toMatch(/href="\/initiatives\/[0-9a-f-]{36}"/);
    expect(html).toContain('href="/initiatives/carte?q=epicerie"');
    expect(html).not.toContain("Vieille fiche");
  });

  it("marks a listing to be checked", async () => {
    const html = await renderPage(listRoute, pageRequest(tenant.host, "/initiatives?q=vieille"));
    expect(html).toContain("À vérifier");
  });

  it("answers 400 with the values typed and a message per field for filters that do not exist", async () => {
    const response = (await listRoute.loader(loaderArgs(tenant.host, "/initiatives?q=jardin&type=inconnu&page=zero"))) as Response;
    expect(response.status).toBe(400);
    const data = await response.json();
    expect(data.values.q).toBe("jardin");
    expect(data.errors).toEqual({ type: "directory:public.filters.errors.kind", _form: "directory:public.filters.errors.page" });
    expect(data.result).toBeNull();
  });
});

describe("the map page and its base map", () => {
  it("names the map, links the list with the same filters and lets keyboards skip the map", async () => {
    const tenant = await createTestTenant({ modules: { directory: {} } });
    await addListing(tenant, { name: "Sur la carte", layers: ["echanger"] });
    const html = await renderPage(mapRoute, pageRequest(tenant.host, "/initiatives/carte?calque=echanger"));
    expect(html).toMatch(/class="directory-map"[^>]*role="region"[^>]*aria-labelledby="directory-map-title"/);
    expect(html).toContain('href="/initiatives?calque=echanger"');
    expect(html).toContain("Voir la liste (1 initiative)");
    expect(html).toContain('href="#directory-after-map"');
    expect(html).toContain('id="directory-after-map"');
  });

  it("serves an offline style: the tenant's bounds, no remote tiles, glyphs or sprites", async () => {
    const tenant = await createTestTenant({ modules: { directory: {} } });
    const style = await ((await styleRoute.loader(loaderArgs(tenant.host, "/initiatives/carte/style.json"))) as Response).json();
    expect(style.version).toBe(8);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:/);
    expect(style.sources.territory.data.geometry.coordinates[0]).toEqual([[2.98, 50.45], [3.05, 50.45], [3.05, 50.51], [2.98, 50.51], [2.98, 50.45]]);
  });
});
