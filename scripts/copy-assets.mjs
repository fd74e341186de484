// Build preparation: the module index, and browser files that the classic compiler does not copy.
import "./generate-modules.mjs";

// Directory map: maplibre-gl loads its worker (a module of its own) and its stylesheet by
// URL; both are served from /vendor (same origin, as the CSP requires).
import fs from "node:fs";
import path from "node:path";

const vendor = path.join("public", "vendor");
fs.mkdirSync(vendor, { recursive: true });
for (const file of ["maplibre-gl-worker.mjs", "maplibre-gl.css"]) {
  const source = path.join("node_modules", "maplibre-gl", "dist", file);
  if (!fs.existsSync(source)) throw new Error(`${source} is missing: run npm ci (maplibre-gl ${file} is copied to ${vendor} at build time)`);
  fs.copyFileSync(source, path.join(vendor, file));
}
