// The demo tenants as their definition files describe them, so that journeys assert what
// tenants/<slug>/tenant.json says rather than a copy of it.
import fs from "node:fs";
import path from "node:path";
import type { TenantDefinitionInput } from "../../app/core/tenant/definition.ts";
import { environment } from "./environment.ts";

export type DemoTenant = {
  slug: string;
  name: string;
  host: string;
  theme: TenantDefinitionInput["theme"];
  modules: NonNullable<TenantDefinitionInput["modules"]>;
  /** Absolute URL of `pathname` on this tenant's host, on the port of the running app. */
  url: (pathname?: string) => string;
};

/** A URL on any host under *.localhost (Chromium resolves them all to loopback). */
export function hostUrl(host: string, pathname = "/") {
  return `http://${host}:${environment().server.port}${pathname}`;
}

export function tenant(slug: string): DemoTenant {
  const file = path.resolve("tenants", slug, "tenant.json");
  const definition = JSON.parse(fs.readFileSync(file, "utf8")) as TenantDefinitionInput;
  const host = definition.hosts.find((h) => h.endsWith(".localhost"));
  if (!host) throw new Error(`${file} has no *.localhost host to reach it in the journeys.`);
  return {
    slug,
    name: definition.name,
    host,
    theme: definition.theme,
    modules: definition.modules ?? {},
    url: (pathname = "/") => hostUrl(host, pathname),
  };
}

/** Base URL of the app on loopback, for what is not tenant-specific (health endpoints). */
export function appUrl(pathname = "/") {
  return `http://127.0.0.1:${environment().server.port}${pathname}`;
}
