// What the HTTP server (server/index.ts) hands to every loader and action.
export type Logger = {
  info: (msg: string, fields?: Record<string, unknown>) => void;
  warn: (msg: string, fields?: Record<string, unknown>) => void;
  error: (msg: string, fields?: Record<string, unknown>) => void;
};

export type RequestContext = {
  requestId: string;
  /** CSP nonce of this response: every inline script must carry it. */
  nonce: string;
  /** Random value of the CSRF cookie, set by the server when the browser had none. */
  csrfSeed: string;
  clientIp: string;
  log: Logger;
};

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}
}
declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}
}
