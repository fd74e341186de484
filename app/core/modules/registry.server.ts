// The module registry: every manifest found under app/modules, by id. Core code asks the
// registry; it never imports a module directly.
import { moduleManifests } from "~/modules/index.generated";
import type { ModuleManifest } from "./types";

export const moduleRegistry: ReadonlyMap<string, ModuleManifest> = new Map(
  (moduleManifests as readonly ModuleManifest[]).map((m) => [m.id, m]),
);

export function listModules(): ModuleManifest[] {
  return [...moduleRegistry.values()];
}

export function getModule(id: string): ModuleManifest | undefined {
  return moduleRegistry.get(id);
}

/** The module that owns a URL path, from its declared base path. */
export function moduleForPath(pathname: string): ModuleManifest | undefined {
  for (const m of moduleRegistry.values()) {
    if (pathname === m.basePath || pathname.startsWith(m.basePath + "/")) return m;
  }
  return undefined;
}

/** Settings with defaults applied; throws a ZodError naming the field on invalid input. */
export function parseModuleSettings(id: string, raw: unknown): Record<string, unknown> {
  const manifest = moduleRegistry.get(id);
  if (!manifest) throw new Error(`unknown module "${id}"`);
  return manifest.settings.parse(raw ?? {});
}
