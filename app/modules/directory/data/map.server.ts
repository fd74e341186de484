// The map's data: clusters and points for a viewport, from an in-process supercluster index
// per tenant and filter set. The index is built from the search snapshot (search.server.ts)
// and dropped when the tenant's listings change (the snapshot's version moves), so a town
// with 100,000 listings answers a viewport query in well under a millisecond of clustering.
import Supercluster, { type ClusterFeature, type PointFeature } from "supercluster";
import type { AnyAbility } from "@casl/ability";
import type { Tx } from "~/core/db/db.server";
import { filtersToParams, type DirectoryFilters } from "../filters";
import { criteriaFor, matchingListings, readableSnapshot, type SnapshotListing } from "./search.server";

/** Clusters are formed up to this zoom; beyond it every listing is its own point. */
export const CLUSTER_MAX_ZOOM = 17;
export const MAP_MAX_ZOOM = 19;
/** Cluster radius in pixels (of 512-pixel tiles, as maplibre draws them). */
const CLUSTER_RADIUS = 60;
const MAX_INDEXES = 48;
const MAX_INDEXED_POINTS = 600_000;

type PointProps = { listing: SnapshotListing };
type Index = { version: string; size: number; cluster: Supercluster<PointProps, Record<string, never>> };
const indexes = new Map<string, Index>();

export type Bbox = [west: number, south: number, east: number, north: number];

export type MapFeature =
  | { type: "Feature"; geometry: { type: "Point"; coordinates: [number, number] }; properties: { cluster: true; id: number; count: number } }
  | {
      type: "Feature";
      geometry: { type: "Point"; coordinates: [number, number] };
      properties: { cluster: false; id: string; name: string; kind: string; stage: string | null };
    };

export type MapData = {
  type: "FeatureCollection";
  features: MapFeature[];
  /** Foreign members (RFC 7946 §6.1): what the features add up to, for the accessible summary. */
  summary: { clusters: number; points: number; listings: number; total: number };
  version: string;
};

function evict() {
  let points = 0;
  for (const index of indexes.values()) points += index.size;
  for (const [key, index] of indexes) {
    if ((indexes.size <= MAX_INDEXES && points <= MAX_INDEXED_POINTS) || indexes.size === 1) break;
    points -= index.size;
    indexes.delete(key);
  }
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** Clusters and points of the filtered listings the ability may read, inside `bbox` at `zoom`. */
export async function mapData(
  tx: Tx,
  filters: DirectoryFilters,
  view: { bbox: Bbox; zoom: number; now: Date; timeZone: string; ability: AnyAbility },
): Promise<MapData> {
  const snapshot = await readableSnapshot(tx, view.ability);
  const criteria = await criteriaFor(tx, filters, view.now, view.timeZone);
  // "Open now" changes with the clock, not with the data: such an index lives one minute.
  const clockKey = criteria.openAt ? `@${criteria.openAt.day}-${criteria.openAt.time}` : "";
  // Users whose read rules keep only part of the listings get indexes of their own.
  const scopeKey = snapshot.scope ? `#${snapshot.scope}` : "";
  const key = `${snapshot.tenantId}|${filtersToParams(filters).toString()}${clockKey}${scopeKey}`;
  let index = indexes.get(key);
  if (index && index.version === snapshot.version) {
    indexes.delete(key);
    indexes.set(key, index);
  } else {
    const points: PointFeature<PointProps>[] = [];
    for (const listing of matchingListings(snapshot, criteria)) {
      if (listing.longitude === null || listing.latitude === null) continue;
      points.push({ type: "Feature", geometry: { type: "Point", coordinates: [listing.longitude, listing.latitude] }, properties: { listing } });
    }
    const created: Index = {
      version: snapshot.version,
      size: points.length,
      cluster: new Supercluster<PointProps, Record<string, never>>({ radius: CLUSTER_RADIUS, maxZoom: CLUSTER_MAX_ZOOM, minPoints: 2 }).load(points),
    };
    indexes.set(key, created);
    evict();
    index = created;
  }
  const { cluster } = index;
  const zoom = Math.max(0, Math.min(MAP_MAX_ZOOM, Math.floor(view.zoom)));
  const features: MapFeature[] = [];
  let listings = 0;
  let clusters = 0;
  for (const f of cluster.getClusters(view.bbox, zoom) as Array<ClusterFeature<Record<string, never>> | PointFeature<PointProps>>) {
    const [lng, lat] = f.geometry.coordinates;
    const coordinates: [number, number] = [round(lng), round(lat)];
    if ("cluster" in f.properties && f.properties.cluster) {
      clusters++;
      listings += f.properties.point_count;
      features.push({ type: "Feature", geometry: { type: "Point", coordinates }, properties: { cluster: true, id: f.properties.cluster_id, count: f.properties.point_count } });
    } else {
      const l = (f.properties as PointProps).listing;
      listings++;
      features.push({ type: "Feature", geometry: { type: "Point", coordinates }, properties: { cluster: false, id: l.id, name: l.name, kind: l.kind, stage: l.stage } });
    }
  }
  return {
    type: "FeatureCollection",
    features,
    summary: { clusters, points: features.length - clusters, listings, total: index.size },
    version: snapshot.version,
  };
}

export function parseBbox(raw: string | null): Bbox | null {
  if (!raw) return null;
  const parts = raw.split(",");
  if (parts.length !== 4 || parts.some((p) => p.trim() === "")) return null;
  const [w, s, e, n] = parts.map(Number);
  if (![w, s, e, n].every(Number.isFinite)) return null;
  if (w < -180 || e > 180 || s < -90 || n > 90 || w >= e || s >= n) return null;
  return [w, s, e, n];
}

export function parseZoom(raw: string | null): number | null {
  if (raw === null || raw.trim() === "") return null;
  const z = Number(raw);
  return Number.isFinite(z) && z >= 0 && z <= 24 ? z : null;
}
