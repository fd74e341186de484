// The map above the numeric fields of the town's map settings: a click places the centre,
// buttons take the view's centre, bounds or zoom. It only writes into the fields, which stay
// the form (they work without scripts and by keyboard); the server validates. maplibre-gl is
// imported in the browser only, its worker served from /vendor (scripts/copy-assets.mjs), on
// a base drawn here (paper, a grid, the bounds and the centre): no tiles, no glyphs, offline.
import type { GeoJSONSource, Map as MaplibreMap, MapOptions } from "maplibre-gl";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { fieldId } from "../form";

type Style = Exclude<MapOptions["style"], string | undefined>;
type Bounds = [[number, number], [number, number]];
export type MapFieldName = "centerLng" | "centerLat" | "zoom" | "west" | "south" | "east" | "north";

const GRID_LINES = 8;

function readField(name: MapFieldName): number | null {
  const input = document.getElementById(fieldId(name)) as HTMLInputElement | null;
  if (!input || input.value.trim() === "") return null;
  const n = Number(input.value.trim().replace(",", "."));
  return Number.isFinite(n) ? n : null;
}

function writeField(name: MapFieldName, value: number, decimals: number) {
  const input = document.getElementById(fieldId(name)) as HTMLInputElement | null;
  if (input) input.value = value.toFixed(decimals);
}

/** The bounds and centre the fields hold now, when they make sense. */
function fromFields(): { bounds: Bounds | null; centre: [number, number] | null } {
  const [w, s, e, n, x, y] = (["west", "south", "east", "north", "centerLng", "centerLat"] as const).map(readField);
  const bounds: Bounds | null = w !== null && s !== null && e !== null && n !== null && w < e && s < n ? [[w, s], [e, n]] : null;
  const centre: [number, number] | null = x !== null && y !== null && Math.abs(x) <= 180 && Math.abs(y) <= 90 ? [x, y] : null;
  return { bounds, centre };
}

const rectangle = ([[w, s], [e, n]]: Bounds) => ({
  type: "Feature" as const,
  properties: {},
  geometry: { type: "Polygon" as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
});
const point = (at: [number, number] | null) => ({
  type: "FeatureCollection" as const,
  features: at ? [{ type: "Feature" as const, properties: {}, geometry: { type: "Point" as const, coordinates: at } }] : [],
});

function baseStyle(bounds: Bounds, centre: [number, number]): Style {
  const [[west, south], [east, north]] = bounds;
  const mx = (east - west) * 2;
  const my = (north - south) * 2;
  const lines: [number, number][][] = [];
  for (let i = 1; i < GRID_LINES; i++) {
    const x = west + ((east - west) * i) / GRID_LINES;
    const y = south + ((north - south) * i) / GRID_LINES;
    lines.push([[x, south - my], [x, north + my]], [[west - mx, y], [east + mx, y]]);
  }
  return {
    version: 8,
    sources: {
      grid: { type: "geojson", data: { type: "Feature", properties: {}, geometry: { type: "MultiLineString", coordinates: lines } } },
      area: { type: "geojson", data: rectangle(bounds) },
      centre: { type: "geojson", data: point(centre) },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#dbe3ec" } },
      { id: "area-fill", type: "fill", source: "area", paint: { "fill-color": "#f8fafc" } },
      { id: "grid", type: "line", source: "grid", paint: { "line-color": "#b8c4d2", "line-width": 1 } },
      { id: "area-outline", type: "line", source: "area", paint: { "line-color": "#334155", "line-width": 2, "line-dasharray": [3, 2] } },
      // Dark red with a white ring: visible on the paper and on the grid alike.
      { id: "centre", type: "circle", source: "centre", paint: { "circle-radius": 8, "circle-color": "#b42318", "circle-stroke-width": 3, "circle-stroke-color": "#ffffff" } },
    ],
  };
}

export function TownMapPicker({ bounds, centre }: { bounds: Bounds; centre: [number, number] }) {
  const { t } = useTranslation("console-town");
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  const [said, setSaid] = useState("");

  const coordinates = (x: number, y: number) =>
    t("map.picker.coordinates", { lng: x.toLocaleString("fr-FR", { maximumFractionDigits: 5 }), lat: y.toLocaleString("fr-FR", { maximumFractionDigits: 5 }) });

  /** Redraws the bounds and the centre from the fields. */
  const redraw = () => {
    const map = mapRef.current;
    if (!map) return;
    const current = fromFields();
    if (current.bounds) map.getSource<GeoJSONSource>("area")?.setData(rectangle(current.bounds));
    map.getSource<GeoJSONSource>("centre")?.setData(point(current.centre));
  };

  useEffect(() => {
    let cancelled = false;
    async function start() {
      const maplibre = await import("maplibre-gl");
      if (cancelled || !container.current) return;
      maplibre.setWorkerUrl(`/vendor/maplibre-gl-worker.mjs?v=${maplibre.getVersion()}`);
      const map = new maplibre.Map({
        container: container.current,
        style: baseStyle(bounds, centre),
        bounds,
        fitBoundsOptions: { padding: 24 },
        renderWorldCopies: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        attributionControl: false,
        locale: {
          "Map.Title": t("map.picker.canvasLabel"),
          "NavigationControl.ZoomIn": t("map.picker.zoomIn"),
          "NavigationControl.ZoomOut": t("map.picker.zoomOut"),
          "NavigationControl.ResetBearing": t("map.picker.resetBearing"),
        },
      });
      mapRef.current = map;
      map.addControl(new maplibre.NavigationControl({ showCompass: false }), "top-right");
      map.on("load", () => {
        if (!cancelled) setState("ready");
      });
      map.on("error", (event) => {
        if (!map.isStyleLoaded() && /webgl/i.test(String(event.error?.message))) setState("failed");
      });
      map.on("click", (event) => {
        writeField("centerLng", event.lngLat.lng, 5);
        writeField("centerLat", event.lngLat.lat, 5);
        redraw();
        setSaid(t("map.picker.centreSet", { at: coordinates(event.lngLat.lng, event.lngLat.lat) }));
      });
    }
    start().catch(() => {
      if (!cancelled) setState("failed");
    });
    // Typing in a field moves what the map shows.
    const form = container.current?.closest("form");
    form?.addEventListener("input", redraw);
    return () => {
      cancelled = true;
      form?.removeEventListener("input", redraw);
      mapRef.current?.remove();
      mapRef.current = null;
    };
    // Created once: later changes reach the map through the fields.
  }, []);

  const takeViewCentre = () => {
    const map = mapRef.current;
    if (!map) return;
    const c = map.getCenter();
    writeField("centerLng", c.lng, 5);
    writeField("centerLat", c.lat, 5);
    redraw();
    setSaid(t("map.picker.centreSet", { at: coordinates(c.lng, c.lat) }));
  };
  const takeViewBounds = () => {
    const map = mapRef.current;
    if (!map) return;
    const b = map.getBounds();
    writeField("west", b.getWest(), 5);
    writeField("south", b.getSouth(), 5);
    writeField("east", b.getEast(), 5);
    writeField("north", b.getNorth(), 5);
    redraw();
    setSaid(t("map.picker.boundsSet", { southWest: coordinates(b.getWest(), b.getSouth()), northEast: coordinates(b.getEast(), b.getNorth()) }));
  };
  const takeViewZoom = () => {
    const map = mapRef.current;
    if (!map) return;
    const zoom = Math.round(map.getZoom() * 10) / 10;
    writeField("zoom", zoom, 1);
    setSaid(t("map.picker.zoomSet", { zoom: zoom.toLocaleString("fr-FR") }));
  };

  return (
    <div className="town-map">
      <p id="town-map-help">{t("map.picker.help")}</p>
      <div ref={container} className="town-map__canvas" role="region" aria-label={t("map.picker.region")} aria-describedby="town-map-help" data-state={state}>
        {state !== "ready" ? <p className="town-map__fallback">{state === "failed" ? t("map.picker.failed") : t("map.picker.needsScript")}</p> : null}
      </div>
      {state === "ready" ? (
        <div className="town-map__actions">
          <button type="button" className="button button--secondary" onClick={takeViewCentre}>
            {t("map.picker.useCentre")}
          </button>
          <button type="button" className="button button--secondary" onClick={takeViewBounds}>
            {t("map.picker.useBounds")}
          </button>
          <button type="button" className="button button--secondary" onClick={takeViewZoom}>
            {t("map.picker.useZoom")}
          </button>
        </div>
      ) : null}
      <p role="status" className="town-map__status">
        {said}
      </p>
    </div>
  );
}
