// The interactive map. maplibre-gl is imported in the browser only (from an effect), and its
// worker is served from /vendor (scripts/copy-assets.mjs copies it there; the classic Remix
// compiler would not). Data comes from the data endpoint for the visible area and zoom:
// clusters are HTML buttons showing their count (no glyphs needed), single listings are
// circles coloured by stage or kind. Without JavaScript, or without WebGL, the container
// says so and points to the list, which holds the same results.
// A read-only aggregate (a grouping's member towns) passes `geojsonUrl` instead: the whole
// open-data GeoJSON is loaded once and clustered by maplibre itself, each point linking to
// the `url` its record carries (the town's own page).
import type { AddLayerObject, GeoJSONSource, Map as MaplibreMap, MapLayerMouseEvent, Marker } from "maplibre-gl";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ColourBy } from "../filters";
import type { VocabularyOption } from "../public.server";

type Bounds = [[number, number], [number, number]];

export type MapViewProps = {
  styleUrl: string;
  /** The tenant's own style: attribution shown (the tile server's), else none is needed. */
  externalStyle: boolean;
  bounds: Bounds;
  maxZoom: number;
  /** Filters as a query string, the list's parameters. */
  query: string;
  colourBy: ColourBy;
  kinds: VocabularyOption[];
  stages: VocabularyOption[];
  listHref: string;
  /** An open-data FeatureCollection (nom, type, etape, url) to show whole instead of the viewport endpoint. */
  geojsonUrl?: string;
  labelledBy: string;
  describedBy: string;
};

type PointProps = { cluster: false; id: string; name: string; kind: string; stage: string | null; url?: string };
type OpenDataCollection = {
  features: { geometry: { coordinates: [number, number] }; properties: { id: string; nom: string; type: string; etape: string | null; url: string } }[];
};
type ClusterProps = { cluster: true; id: number; count: number };
type DataResponse = {
  features: { geometry: { coordinates: [number, number] }; properties: PointProps | ClusterProps }[];
  summary: { clusters: number; points: number; listings: number; total: number };
};

/** Hollow marker for a listing without stage (or with an uncoloured kind): unlike every vocabulary colour. */
export const NO_STAGE_COLOUR = "#ffffff";
const SOURCE = "initiatives";
const POINTS = "initiative-points";

type PaintValue = NonNullable<Extract<AddLayerObject, { type: "circle" }>["paint"]>["circle-color"];

/** A maplibre expression: the listing's stage (or kind) colour, grey for none or an unknown key. */
function colourExpression(by: ColourBy, options: VocabularyOption[]): PaintValue {
  const pairs = options.flatMap((o) => (o.colour ? [o.key, o.colour] : []));
  return (pairs.length ? ["match", ["coalesce", ["get", by], ""], ...pairs, NO_STAGE_COLOUR] : NO_STAGE_COLOUR) as PaintValue;
}

function clusterSize(count: number) {
  if (count < 10) return "s";
  if (count < 100) return "m";
  if (count < 1000) return "l";
  return "xl";
}

export function MapView(props: MapViewProps) {
  const { t, i18n } = useTranslation("directory");
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const markers = useRef(new Map<number, Marker>());
  const latest = useRef(props);
  latest.current = props;
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  const [summary, setSummary] = useState<DataResponse["summary"] | null>(null);
  const reload = useRef<(() => void) | null>(null);
  const shownQuery = useRef(props.query);

  useEffect(() => {
    let cancelled = false;
    let controller: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const clusterMarkers = markers.current;
    const formatCount = new Intl.NumberFormat(i18n.language, { notation: "compact" });

    async function start() {
      const maplibre = await import("maplibre-gl");
      if (cancelled || !container.current) return;
      // A tenant's own style needs the worker under its page policy (map-policy.server.ts).
      const worker = props.externalStyle ? "/initiatives/carte/worker.mjs" : "/vendor/maplibre-gl-worker.mjs";
      maplibre.setWorkerUrl(`${worker}?v=${maplibre.getVersion()}`);
      const [[west, south], [east, north]] = props.bounds;
      const marginX = (east - west) * 0.5;
      const marginY = (north - south) * 0.5;
      const map = new maplibre.Map({
        container: container.current,
        style: props.styleUrl,
        bounds: props.bounds,
        fitBoundsOptions: { padding: 16 },
        maxBounds: [
          [west - marginX, south - marginY],
          [east + marginX, north + marginY],
        ],
        maxZoom: props.maxZoom,
        renderWorldCopies: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        attributionControl: props.externalStyle ? { compact: true } : false,
        locale: {
          "Map.Title": t("public.map.canvasLabel"),
          "NavigationControl.ZoomIn": t("public.map.zoomIn"),
          "NavigationControl.ZoomOut": t("public.map.zoomOut"),
          "NavigationControl.ResetBearing": t("public.map.resetBearing"),
          "Popup.Close": t("public.map.closePopup"),
          "AttributionControl.ToggleAttribution": t("public.map.attribution"),
        },
      });
      mapRef.current = map;
      map.addControl(new maplibre.NavigationControl({ showCompass: false }), "top-right");

      function renderClusters(features: DataResponse["features"]) {
        const seen = new Set<number>();
        for (const f of features) {
          if (!f.properties.cluster) continue;
          const { id, count } = f.properties;
          seen.add(id);
          const existing = clusterMarkers.get(id);
          if (existing) {
            existing.setLngLat(f.geometry.coordinates);
            continue;
          }
          const button = document.createElement("button");
          button.type = "button";
          button.className = `map-cluster map-cluster--${clusterSize(count)}`;
          button.textContent = formatCount.format(count);
          button.setAttribute("aria-label", t("public.map.cluster", { count }));
          const at = f.geometry.coordinates;
          button.addEventListener("click", (event) => {
            event.stopPropagation();
            map.easeTo({ center: at, zoom: Math.min(map.getZoom() + 2, latest.current.maxZoom) });
          });
          clusterMarkers.set(id, new maplibre.Marker({ element: button, anchor: "center" }).setLngLat(at).addTo(map));
        }
        for (const [id, marker] of clusterMarkers) {
          if (!seen.has(id)) {
            marker.remove();
            clusterMarkers.delete(id);
          }
        }
      }

      const markReady = () => {
        if (cancelled) return;
        setState("ready");
        if (!performance.getEntriesByName("directory-map-ready").length) performance.mark("directory-map-ready");
      };

      // Aggregate mode: the clusters maplibre computed for the view, drawn as the same buttons.
      let aggregateTotal = 0;
      function showAggregateClusters() {
        if (cancelled) return;
        const clusters = new Map<number, DataResponse["features"][number]>();
        const points = new Set<string>();
        for (const f of map.querySourceFeatures(SOURCE)) {
          const p = f.properties as { cluster?: boolean; cluster_id?: number; point_count?: number; id?: string };
          if (p.cluster && p.cluster_id !== undefined) {
            if (f.geometry.type !== "Point") continue;
            const [lng, lat] = f.geometry.coordinates;
            const coordinates: [number, number] = [lng, lat];
            clusters.set(p.cluster_id, { geometry: { coordinates }, properties: { cluster: true, id: p.cluster_id, count: p.point_count ?? 0 } });
          } else if (p.id) {
            points.add(p.id);
          }
        }
        renderClusters([...clusters.values()]);
        setSummary({ clusters: clusters.size, points: points.size, listings: aggregateTotal, total: aggregateTotal });
        markReady();
      }

      async function loadAggregate(url: string) {
        const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const data = (await response.json()) as OpenDataCollection;
        if (cancelled) return;
        aggregateTotal = data.features.length;
        await map.getSource<GeoJSONSource>(SOURCE)?.setData({
          type: "FeatureCollection",
          features: data.features.map((f) => ({
            type: "Feature",
            geometry: { type: "Point", coordinates: f.geometry.coordinates },
            properties: { id: f.properties.id, name: f.properties.nom, kind: f.properties.type, stage: f.properties.etape, url: f.properties.url },
          })),
        });
        map.once("idle", showAggregateClusters);
        map.triggerRepaint();
      }

      async function load() {
        const aggregateUrl = latest.current.geojsonUrl;
        if (aggregateUrl) {
          // Loaded once; a move only regroups what is already there.
          if (map.getSource<GeoJSONSource>(SOURCE) && aggregateTotal > 0) map.once("idle", showAggregateClusters);
          else await loadAggregate(aggregateUrl).catch(() => !cancelled && setState("failed"));
          return;
        }
        controller?.abort();
        const ownController = new AbortController();
        controller = ownController;
        const b = map.getBounds();
        // A margin around the view, so that panning a little shows no empty edge.
        const padX = (b.getEast() - b.getWest()) * 0.15;
        const padY = (b.getNorth() - b.getSouth()) * 0.15;
        const bbox = [
          Math.max(-180, b.getWest() - padX),
          Math.max(-90, b.getSouth() - padY),
          Math.min(180, b.getEast() + padX),
          Math.min(90, b.getNorth() + padY),
        ].map((n) => n.toFixed(5));
        const params = new URLSearchParams(latest.current.query);
        params.set("bbox", bbox.join(","));
        params.set("zoom", String(Math.floor(map.getZoom())));
        try {
          const response = await fetch(`/initiatives/carte/donnees?${params}`, { signal: ownController.signal, headers: { Accept: "application/geo+json" } });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const data = (await response.json()) as DataResponse;
          if (ownController.signal.aborted || cancelled) return;
          const source = map.getSource<GeoJSONSource>(SOURCE);
          await source?.setData({
            type: "FeatureCollection",
            features: data.features
              .filter((f) => !f.properties.cluster)
              .map((f) => ({ type: "Feature", geometry: { type: "Point", coordinates: f.geometry.coordinates }, properties: f.properties })),
          });
          renderClusters(data.features);
          setSummary(data.summary);
          map.once("idle", markReady);
          map.triggerRepaint();
        } catch (error) {
          if ((error as Error).name === "AbortError") return;
          setState("failed");
        }
      }

      const schedule = () => {
        clearTimeout(timer);
        timer = setTimeout(() => void load(), 120);
      };

      map.on("load", () => {
        const clustered = latest.current.geojsonUrl ? { cluster: true, clusterMaxZoom: latest.current.maxZoom - 1, clusterRadius: 48 } : {};
        map.addSource(SOURCE, { type: "geojson", data: { type: "FeatureCollection", features: [] }, ...clustered });
        map.addLayer({
          id: POINTS,
          type: "circle",
          source: SOURCE,
          // maplibre's own clusters (aggregate mode) are drawn as buttons, not as circles.
          filter: ["!", ["has", "point_count"]],
          // A dark outline keeps every colour, white included, at 3:1 against the base map.
          paint: { "circle-radius": 8, "circle-stroke-width": 2, "circle-stroke-color": "#1f2937", "circle-color": NO_STAGE_COLOUR },
        });
        const p = latest.current;
        map.setPaintProperty(POINTS, "circle-color", colourExpression(p.colourBy, p.colourBy === "kind" ? p.kinds : p.stages));
        reload.current = () => void load();
        void load();
      });
      map.on("moveend", schedule);
      map.on("error", (event) => {
        // A missing WebGL context is fatal; a tile or style hiccup of a remote style is not.
        if (!map.isStyleLoaded() && /webgl/i.test(String(event.error?.message))) setState("failed");
      });
      map.on("click", POINTS, (event: MapLayerMouseEvent) => {
        const features = (event.features ?? []).slice(0, 10);
        if (!features.length) return;
        const list = document.createElement("ul");
        list.className = "map-popup";
        for (const f of features) {
          const props = f.properties as PointProps;
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = props.url ?? `/initiatives/${encodeURIComponent(props.id)}`;
          link.textContent = props.name;
          item.append(link);
          const options = latest.current.colourBy === "kind" ? latest.current.kinds : latest.current.stages;
          const value = latest.current.colourBy === "kind" ? props.kind : props.stage;
          const label = options.find((o) => o.key === value)?.label;
          if (label) {
            const detail = document.createElement("span");
            detail.textContent = ` · ${label}`;
            item.append(detail);
          }
          list.append(item);
        }
        new maplibre.Popup({ maxWidth: "18rem", focusAfterOpen: true }).setLngLat(event.lngLat).setDOMContent(list).addTo(map);
      });
      map.on("mouseenter", POINTS, () => (map.getCanvas().style.cursor = "pointer"));
      map.on("mouseleave", POINTS, () => (map.getCanvas().style.cursor = ""));
    }

    start().catch(() => {
      if (!cancelled) setState("failed");
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
      controller?.abort();
      for (const marker of clusterMarkers.values()) marker.remove();
      clusterMarkers.clear();
      reload.current = null;
      mapRef.current?.remove();
      mapRef.current = null;
    };
    // Created once per style; filters and colours are applied to it by the effects below.
  }, [props.styleUrl]);

  useEffect(() => {
    if (shownQuery.current === props.query) return;
    shownQuery.current = props.query;
    reload.current?.();
  }, [props.query]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !map.getLayer(POINTS)) return;
    map.setPaintProperty(POINTS, "circle-color", colourExpression(props.colourBy, props.colourBy === "kind" ? props.kinds : props.stages));
  }, [props.colourBy, props.kinds, props.stages, state]);

  return (
    <>
      <div
        ref={container}
        className="directory-map"
        role="region"
        aria-labelledby={props.labelledBy}
        aria-describedby={props.describedBy}
        data-state={state}
        data-clusters={summary?.clusters}
        data-points={summary?.points}
      >
        {state !== "ready" ? (
          <p className="directory-map__fallback">
            {state === "failed" ? t("public.map.failed") : t("public.map.needsScript")}{" "}
            <a href={props.listHref}>{t("public.map.useList")}</a>
          </p>
        ) : null}
      </div>
      <p role="status" className="directory-map__summary">
        {summary
          ? summary.listings === 0
            ? t("public.map.summaryEmpty")
            : t("public.map.summary", { count: summary.listings })
          : ""}
      </p>
    </>
  );
}
