// The map pages of a tenant with a production base map (`mapStyleUrl`): their policy also
// lets the browser reach that style's origin (style JSON, tiles, glyphs, sprites; raster tiles
// and sprites as images). Only the style's own origin is allowed: the tile, glyph and sprite
// URLs the style declares must be served from that same origin, or the browser refuses them.
// maplibre fetches vector tiles from its worker, whose policy is the worker script's own
// response: the worker is then served by a route of the module with the same policy.
import fs from "node:fs";
import path from "node:path";
import { contentSecurityPolicy } from "~/core/http/csp";
import type { TenantContext } from "~/core/tenant/tenant.server";
import { directorySettings } from "./public.server";

/** The tenant's map page policy, or null when the default one suffices (the built-in base map). */
export function mapStylePolicy(tenant: TenantContext, nonce: string): string | null {
  const { mapStyleUrl } = directorySettings(tenant);
  if (!mapStyleUrl) return null;
  return contentSecurityPolicy(nonce, { connect: [mapStyleUrl], img: [mapStyleUrl] });
}

/** Headers a map page's loader answers with. */
export function mapPolicyHeaders(tenant: TenantContext, nonce: string): Record<string, string> {
  const policy = mapStylePolicy(tenant, nonce);
  return policy ? { "Content-Security-Policy": policy } : {};
}

let workerSource: string | null = null;

/**
 * maplibre's worker, read from its package (the same file scripts/copy-assets.mjs copies to
 * public/vendor at build time), so the route works before any build, in tests too.
 */
export function mapWorkerSource(): string {
  workerSource ??= fs.readFileSync(path.resolve("node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs"), "utf8");
  return workerSource;
}
