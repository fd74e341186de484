import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "~/root";

/** The root loader's data (tenant, user, locale, CSRF token); undefined on an unknown host. */
export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}
