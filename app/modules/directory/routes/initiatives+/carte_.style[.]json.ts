// The built-in base map: a MapLibre style with the tenant's territory and a light grid, no
// remote tiles, sprites or glyphs, so the map works offline (tests, a town without a tile
// server). A tenant's `mapStyleUrl` setting replaces it.
import { json } from "@remix-run/node";
import { tenantLoader } from "~/core/route.server";

const GRID_LINES = 8;

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tenant }) => {
    const [[west, south], [east, north]] = tenant.definition.map.bounds;
    // Generous margins around the territory, so the edges of the map are not empty paper.
    const mx = (east - west) * 2;
    const my = (north - south) * 2;
    const lines: [number, number][][] = [];
    for (let i = 1; i < GRID_LINES; i++) {
      const x = west + ((east - west) * i) / GRID_LINES;
      const y = south + ((north - south) * i) / GRID_LINES;
      lines.push([[x, south - my], [x, north + my]], [[west - mx, y], [east + mx, y]]);
    }
    const style = {
      version: 8,
      name: "communa-offline",
      sources: {
        territory: {
          type: "geojson",
          data: {
            type: "Feature",
            properties: {},
            geometry: { type: "Polygon", coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] },
          },
        },
        grid: { type: "geojson", data: { type: "Feature", properties: {}, geometry: { type: "MultiLineString", coordinates: lines } } },
      },
      layers: [
        { id: "background", type: "background", paint: { "background-color": "#dbe3ec" } },
        { id: "territory-fill", type: "fill", source: "territory", paint: { "fill-color": "#f8fafc" } },
        { id: "grid", type: "line", source: "grid", paint: { "line-color": "#b8c4d2", "line-width": 1 } },
        { id: "territory-outline", type: "line", source: "territory", paint: { "line-color": "#334155", "line-width": 2, "line-dasharray": [3, 2] } },
      ],
    };
    return json(style, { headers: { "Cache-Control": "public, max-age=300" } });
  },
  { module: "directory" },
);
