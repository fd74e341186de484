// The Content-Security-Policy of every response. server/app.ts sets the default one before
// Remix runs (the tenant is not known yet). A route may widen `connect-src` and `img-src` to
// origins its tenant configured (a production map style server) by answering its own policy
// built here with the request's nonce (`context.nonce`): server/app.ts lets a policy carrying
// that nonce replace the default one instead of adding a second, stricter-wins policy.

export type CspSources = { connect?: string[]; img?: string[] };

/** Only https origins, reduced to scheme://host[:port]: nothing else can reach the header. */
function httpsOrigins(values: string[] = []): string[] {
  const origins = values.flatMap((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" ? [url.origin] : [];
    } catch {
      return [];
    }
  });
  return [...new Set(origins)];
}

export function contentSecurityPolicy(nonce: string, extra: CspSources = {}): string {
  const connect = httpsOrigins(extra.connect);
  const img = httpsOrigins(extra.img);
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    ["img-src 'self' data: blob:", ...img].join(" "),
    "font-src 'self'",
    ["connect-src 'self'", ...connect].join(" "),
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Whether a policy a route answered was built for this request (carries its nonce). */
export const isPolicyFor = (policy: string, nonce: string) => policy.includes(`'nonce-${nonce}'`);
