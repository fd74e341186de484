// Role checks by name. Permissions proper (what a role may do, per tenant) are CASL rules:
// app/core/permissions, reached in loaders and actions through the wrapper's `ability`.
import type { SessionUser } from "./session.server";

export function hasRole(user: SessionUser | null, ...roles: string[]) {
  return !!user && user.roles.some((r) => roles.includes(r.role));
}
