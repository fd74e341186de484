// The town settings' forms as the console's actions read them: contrast rule, colour picker
// versus text field, map, languages, legal texts. No database here (routes: commune.test.ts).
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { processLogo, LOGO_MAX_BYTES, LOGO_MAX_EDGE } from "./town-logo.server";
import {
  formatRatio,
  parseLegalForm,
  parseLocalesForm,
  parseMapForm,
  parseThemeForm,
  THEME_BACKGROUNDS,
  themeContrastFailures,
} from "./town-settings.server";

function form(entries: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  return data;
}

describe("contrast check", () => {
  it("passes the platform's default colours", () => {
    expect(themeContrastFailures({ primary: "#1d4ed8", accent: "#0f766e" })).toEqual([]);
  });

  it("names every pairing that fails, with its ratio", () => {
    const failures = themeContrastFailures({ primary: "#ffff00", accent: "#14b8a6" });
    expect(failures.map((f) => [f.pair, f.colour])).toEqual([
      ["primaryWithWhite", "primary"],
      ["primaryOnSurface", "primary"],
      ["accentWithWhite", "accent"],
    ]);
    expect(failures[0].ratio).toBeCloseTo(1.074, 2);
    expect(failures[2].ratio).toBeCloseTo(2.489, 2);
  });

  it("refuses a grey readable on white but not on the light grey surface of the footer", () => {
    // #767676 is 4.54:1 on white, 4.24:1 on #f6f7f9.
    expect(themeContrastFailures({ primary: "#767676", accent: "#0f766e" }).map((f) => f.pair)).toEqual(["primaryOnSurface"]);
    expect(themeContrastFailures({ primary: "#6f6f6f", accent: "#0f766e" })).toEqual([]);
  });

  it("formats ratios in fr-FR, rounded down so that a failure never reads as 4,5", () => {
    expect(formatRatio(4.496)).toBe("4,49");
    expect(formatRatio(3)).toBe("3");
    expect(formatRatio(1.0742)).toBe("1,07");
    expect(formatRatio(21)).toBe("21");
  });

  it("checks against the backgrounds the stylesheet really uses", () => {
    const css = fs.readFileSync(path.resolve("app/styles/app.css"), "utf8");
    const root = /:root\s*\{([^}]*)\}/.exec(css)![1];
    const variable = (name: string) => new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(root)?.[1].toLowerCase();
    expect(variable("bg")).toBe(THEME_BACKGROUNDS.white);
    expect(variable("surface")).toBe(THEME_BACKGROUNDS.surface);
  });
});

describe("parseThemeForm", () => {
  const shown = { primaryShown: "#1d4ed8", accentShown: "#0f766e", primaryPicker: "#1d4ed8", accentPicker: "#0f766e" };

  it("takes the typed colour, with or without #, in lower case", () => {
    expect(parseThemeForm(form({ ...shown, primary: "#1E3A8A", accent: "0f766e" }))).toEqual({ ok: true, data: { primary: "#1e3a8a", accent: "#0f766e" } });
  });

  it("takes the picker's colour when only the picker changed (no scripts to copy it)", () => {
    const result = parseThemeForm(form({ ...shown, primary: "#1d4ed8", accent: "#0f766e", primaryPicker: "#1e3a8a" }));
    expect(result).toEqual({ ok: true, data: { primary: "#1e3a8a", accent: "#0f766e" } });
  });

  it("prefers the typed text when both changed", () => {
    const result = parseThemeForm(form({ ...shown, primary: "#1e40af", accent: "#0f766e", primaryPicker: "#1e3a8a" }));
    expect(result).toEqual({ ok: true, data: { primary: "#1e40af", accent: "#0f766e" } });
  });

  it("refuses a malformed or missing colour with a field error", () => {
    const result = parseThemeForm(form({ ...shown, primary: "bleu", accent: "", accentPicker: "#0f766e" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({ primary: "console-town:theme.errors.format", accent: "console-town:theme.errors.accentRequired" });
    expect(result.values.primary).toBe("bleu");
  });

  it("refuses an unreadable colour, saying which pairing fails and its ratio", () => {
    const result = parseThemeForm(form({ ...shown, primary: "#1d4ed8", accent: "#14b8a6" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({ accent: "console-town:theme.errors.accentUnreadable" });
    expect(result.contrast).toEqual({ accent: [{ pair: "accentWithWhite", ratio: "2,48" }] });
  });
});

describe("parseMapForm", () => {
  const valid = { centerLng: "3,1098", centerLat: "50.6268", zoom: "14", west: "3.0748", south: "50,6018", east: "3.1448", north: "50.6518" };

  it("reads French and English decimals into the stored shape", () => {
    expect(parseMapForm(form(valid))).toEqual({ ok: true, data: { center: [3.1098, 50.6268], zoom: 14, bounds: [[3.0748, 50.6018], [3.1448, 50.6518]] } });
  });

  it("refuses inverted bounds, a centre outside them, out-of-range and missing values", () => {
    const inverted = parseMapForm(form({ ...valid, west: "3.2", north: "50.5" }));
    expect(inverted.ok === false && inverted.errors).toEqual({ east: "console-town:map.errors.westEast", north: "console-town:map.errors.southNorth" });
    const outside = parseMapForm(form({ ...valid, centerLng: "3.2", centerLat: "50.7" }));
    expect(outside.ok === false && outside.errors).toEqual({ centerLng: "console-town:map.errors.centreOutsideLng", centerLat: "console-town:map.errors.centreOutsideLat" });
    const range = parseMapForm(form({ ...valid, west: "-181", north: "91", zoom: "23", centerLat: "abc", south: "" }));
    expect(range.ok === false && range.errors).toEqual({
      west: "console-town:map.errors.longitude",
      north: "console-town:map.errors.latitude",
      zoom: "console-town:map.errors.zoom",
      centerLat: "console-town:map.errors.number",
      south: "console-town:map.errors.required",
    });
  });
});

describe("parseLocalesForm", () => {
  it("keeps the platform's order and requires the default among the enabled", () => {
    expect(parseLocalesForm(form({ enabled: ["en", "fr"], default: "en", timeZone: "America/Cayenne" }), "Europe/Paris")).toEqual({
      ok: true,
      data: { locales: { default: "en", enabled: ["fr", "en"] }, timeZone: "America/Cayenne" },
    });
    const wrong = parseLocalesForm(form({ enabled: "fr", default: "en", timeZone: "Europe/Paris" }), "Europe/Paris");
    expect(wrong.ok === false && wrong.errors).toEqual({ default: "console-town:locales.errors.defaultNotEnabled" });
  });

  it("refuses no language, an unknown one and an unknown time zone", () => {
    const none = parseLocalesForm(form({ default: "fr", timeZone: "Mars/Olympus" }), "Europe/Paris");
    expect(none.ok === false && none.errors).toEqual({ enabled: "console-town:locales.errors.noneEnabled", timeZone: "console-town:locales.errors.timeZone" });
    const unknown = parseLocalesForm(form({ enabled: ["fr", "de"], default: "fr", timeZone: "Europe/Paris" }), "Europe/Paris");
    expect(unknown.ok === false && unknown.errors).toEqual({ enabled: "console-town:locales.errors.unknown" });
  });
});

describe("parseLegalForm", () => {
  const valid = {
    publisher: "Ville de Test",
    publicationDirector: "La maire",
    address: "Place de la Mairie",
    contactEmail: "contact@test.example",
    hosting: "Hébergeur, 1 rue du Serveur",
    a11yStatus: "partial",
    a11yAuditDate: "2026-03-31",
    a11yContactEmail: "a11y@test.example",
  };

  it("reads the legal notice and the accessibility statement", () => {
    expect(parseLegalForm(form(valid))).toEqual({
      ok: true,
      data: {
        legal: { publisher: "Ville de Test", publicationDirector: "La maire", address: "Place de la Mairie", contactEmail: "contact@test.example", hosting: "Hébergeur, 1 rue du Serveur" },
        accessibility: { status: "partial", auditDate: "2026-03-31", contactEmail: "a11y@test.example" },
      },
    });
    const none = parseLegalForm(form({ ...valid, a11yStatus: "none", a11yAuditDate: "" }));
    expect(none.ok && none.data.accessibility).toEqual({ status: "none", contactEmail: "a11y@test.example" });
  });

  it("applies the rules of tenant.json: an audit date for full or partial conformity, real dates, emails", () => {
    const noDate = parseLegalForm(form({ ...valid, a11yStatus: "full", a11yAuditDate: "" }));
    expect(noDate.ok === false && noDate.errors).toEqual({ a11yAuditDate: "console-town:legal.errors.auditRequired" });
    const bad = parseLegalForm(form({ ...valid, a11yAuditDate: "2026-02-30", contactEmail: "pas une adresse", publisher: "  ", a11yStatus: "maybe" }));
    expect(bad.ok === false && bad.errors).toEqual({
      a11yAuditDate: "console-town:legal.errors.auditDate",
      contactEmail: "console-town:legal.errors.email",
      publisher: "console-town:legal.errors.publisherRequired",
      a11yStatus: "console-town:legal.errors.statusRequired",
    });
  });
});

describe("processLogo", () => {
  const png = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 4, background: { r: 29, g: 78, b: 216, alpha: 1 } } }).png().toBuffer();

  it("re-encodes a large image as a PNG within the bounded size, keeping its proportions", async () => {
    const jpeg = await sharp({ create: { width: 1200, height: 600, channels: 3, background: "#0f766e" } }).jpeg().toBuffer();
    const result = await processLogo(new Uint8Array(jpeg));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.logo).toMatchObject({ contentType: "image/png", width: LOGO_MAX_EDGE, height: LOGO_MAX_EDGE / 2 });
    expect((await sharp(result.logo.bytes).metadata()).format).toBe("png");
  });

  it("never enlarges a small logo", async () => {
    const result = await processLogo(new Uint8Array(await png(64, 32)));
    expect(result.ok && [result.logo.width, result.logo.height]).toEqual([64, 32]);
  });

  it("refuses text, SVG, a PNG signature on garbage, an empty and an oversized file", async () => {
    expect(await processLogo(new TextEncoder().encode("ceci n'est pas une image"))).toEqual({ ok: false, problem: "notAnImage" });
    expect(await processLogo(new TextEncoder().encode('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toEqual({ ok: false, problem: "svg" });
    const fake = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]);
    expect((await processLogo(fake)).ok).toBe(false);
    expect(await processLogo(new Uint8Array())).toEqual({ ok: false, problem: "missing" });
    const big = new Uint8Array(LOGO_MAX_BYTES + 1);
    big.set(await png(8, 8));
    expect(await processLogo(big)).toEqual({ ok: false, problem: "tooLarge" });
  });
});
