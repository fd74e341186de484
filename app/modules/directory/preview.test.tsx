// The static location preview: the point where it belongs in the tenant's bounds, the
// frame in the map's projection, a true scale, and an SVG that needs no style attribute.
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { i18nFor } from "~/core/i18n/i18n.server";
import { LocationPreview } from "./components/LocationPreview";
import { previewGeometry, type Bounds } from "./preview";

const HELLEMMES: Bounds = [[3.0748, 50.6018], [3.1448, 50.6518]];

describe("previewGeometry", () => {
  it("puts the centre of the bounds in the middle and corners at the corners", () => {
    const g = previewGeometry(HELLEMMES, { longitude: 3.1098, latitude: 50.6268 });
    expect(g.x).toBeCloseTo(g.width / 2, 0);
    // Mercator: the middle latitude sits a hair below the middle of the frame.
    expect(Math.abs(g.y - g.height / 2)).toBeLessThan(1);
    expect(g.area).toBe("centre");
    expect(g.inside).toBe(true);
    expect(previewGeometry(HELLEMMES, { longitude: 3.0748, latitude: 50.6518 })).toMatchObject({ x: 0, y: 0, area: "north-west" });
    const se = previewGeometry(HELLEMMES, { longitude: 3.1448, latitude: 50.6018 });
    expect([se.x, se.y, se.area]).toEqual([se.width, se.height, "south-east"]);
  });

  it("draws the frame with the map's proportions: at 50.6°N, 0.05° of latitude is taller than 0.07° of longitude is wide", () => {
    const g = previewGeometry(HELLEMMES, { longitude: 3.1, latitude: 50.62 });
    expect(g.height).toBe(320);
    expect(g.height / g.width).toBeCloseTo(0.05 / (0.07 * Math.cos((50.6268 * Math.PI) / 180)), 2);
  });

  it("names the part of the territory and clamps a point outside it to the edge", () => {
    expect(previewGeometry(HELLEMMES, { longitude: 3.08, latitude: 50.627 }).area).toBe("west");
    expect(previewGeometry(HELLEMMES, { longitude: 3.11, latitude: 50.605 }).area).toBe("south");
    const outside = previewGeometry(HELLEMMES, { longitude: 3.2, latitude: 50.627 });
    expect(outside.inside).toBe(false);
    expect(outside.x).toBe(outside.width);
  });

  it("chooses a round scale length about a quarter of the frame", () => {
    const g = previewGeometry(HELLEMMES, { longitude: 3.1, latitude: 50.62 });
    // 0.07° of longitude at 50.6°N is ~4.95 km: a quarter is ~1.2 km, the nearest round length 1 km.
    expect(g.scale.metres).toBe(1000);
    expect(g.scale.pixels).toBe(Math.round((1000 / 4945) * g.width));
  });
});

describe("LocationPreview", () => {
  it("renders an SVG image with a text alternative and no inline style", () => {
    const geometry = previewGeometry(HELLEMMES, { longitude: 3.14, latitude: 50.65 });
    const html = renderToStaticMarkup(
      <I18nextProvider i18n={i18nFor("fr")}>
        <LocationPreview geometry={geometry} id="p" />
      </I18nextProvider>,
    );
    expect(html).toMatch(/^<figure[^>]*><svg[^>]*role="img"[^>]*aria-labelledby="p-title p-caption"/);
    expect(html).toContain('<title id="p-title">Position sur le plan de la commune</title>');
    expect(html).toContain('<figcaption id="p-caption">Au nord-est de la commune</figcaption>');
    expect(html).toContain(`cx="${geometry.x}" cy="${geometry.y}"`);
    expect(html).toContain(">1 km<");
    expect(html).not.toContain("style=");
    expect(html).not.toMatch(/<image|href=/);
  });
});
