// Geometry of the static location preview: the tenant's map bounds drawn in Web Mercator
// (the projection of the interactive map, so shapes match), the listing's point placed in
// it, a scale bar, and which part of the territory the point lies in, for the text
// alternative. Pure: rendered on the server as SVG, no tiles, no script.

export type Bounds = [[west: number, south: number], [east: number, north: number]];

export type Area = "north-west" | "north" | "north-east" | "west" | "centre" | "east" | "south-west" | "south" | "south-east";

export type PreviewGeometry = {
  width: number;
  height: number;
  /** The point, clamped to the frame. */
  x: number;
  y: number;
  inside: boolean;
  area: Area;
  /** Quarter lines of the frame, for orientation. */
  grid: { xs: number[]; ys: number[] };
  scale: { pixels: number; metres: number };
};

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
const EARTH_CIRCUMFERENCE = 40_075_016.686;
const NICE_LENGTHS = [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000, 100_000];

export function previewGeometry(bounds: Bounds, point: { longitude: number; latitude: number }, maxSize = 320): PreviewGeometry {
  const [[west, south], [east, north]] = bounds;
  const spanX = ((east - west) * Math.PI) / 180;
  const spanY = mercatorY(north) - mercatorY(south);
  const aspect = spanY / spanX;
  const width = aspect > 1 ? Math.round(maxSize / aspect) : maxSize;
  const height = aspect > 1 ? maxSize : Math.round(maxSize * aspect);

  const fx = (point.longitude - west) / (east - west);
  const fy = (mercatorY(north) - mercatorY(point.latitude)) / spanY;
  const inside = fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const x = Math.round(clamp(fx) * width * 10) / 10;
  const y = Math.round(clamp(fy) * height * 10) / 10;

  const column = fx < 1 / 3 ? "west" : fx > 2 / 3 ? "east" : "";
  const row = fy < 1 / 3 ? "north" : fy > 2 / 3 ? "south" : "";
  const area = ((row && column ? `${row}-${column}` : row || column) || "centre") as Area;

  // Ground distance across the frame at its middle latitude.
  const middle = ((south + north) / 2) * (Math.PI / 180);
  const metresAcross = ((east - west) / 360) * EARTH_CIRCUMFERENCE * Math.cos(middle);
  const target = metresAcross / 4;
  const metres = NICE_LENGTHS.reduce((best, n) => (Math.abs(n - target) < Math.abs(best - target) ? n : best), NICE_LENGTHS[0]);
  const pixels = Math.round((metres / metresAcross) * width);

  return {
    width,
    height,
    x,
    y,
    inside,
    area,
    grid: { xs: [1, 2, 3].map((i) => Math.round((width * i) / 4)), ys: [1, 2, 3].map((i) => Math.round((height * i) / 4)) },
    scale: { pixels, metres },
  };
}
