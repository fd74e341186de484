import { parse, serialize, type CookieSerializeOptions as SerializeOptions } from "cookie";

// The Remix build replaces `process.env.NODE_ENV` with "production" at compile time, so it
// cannot tell a deployment from `npm start` on a laptop. server/index.ts sets this flag from
// the real NODE_ENV at run time.
export const isProduction = () => process.env.COMMUNA_PRODUCTION === "1";

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  return parse(header)[name];
}

/**
 * Cookies are host-only (no Domain): each tenant host has its own. In production they are
 * Secure and, for the session, `__Host-` prefixed so a sibling host cannot overwrite them.
 */
export function cookieName(base: string, hostPrefixed = false) {
  return hostPrefixed && isProduction() ? `__Host-${base}` : base;
}

export function serializeCookie(name: string, value: string, options: SerializeOptions = {}) {
  return serialize(name, value, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: isProduction(),
    ...options,
  });
}
