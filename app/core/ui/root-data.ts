import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "~/root";

/**
 * The root loader's data, whichever host served it: a town's (`shell: "tenant"`) or the
 * operator console's (`shell: "operator"`); undefined on an unknown host. Both carry the
 * locale and the CSRF token.
 */
export function useShellData() {
  return useRouteLoaderData<typeof loader>("root");
}

/** The town's shell data (tenant, user, navigation); undefined on an unknown or operator host. */
export function useRootData() {
  const data = useShellData();
  return data?.shell === "tenant" ? data : undefined;
}

/** The operator console's shell data; undefined on a town's host. */
export function useOperatorShellData() {
  const data = useShellData();
  return data?.shell === "operator" ? data : undefined;
}
