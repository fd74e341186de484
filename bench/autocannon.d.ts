// autocannon ships no type declarations, and @types/autocannon describes an older major:
// this declares only the part of its programmatic API that bench/load.ts uses.
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  export type Options = {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    pipelining?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    headers?: Record<string, string>;
  };

  export type Result = {
    /** Seconds, as measured by autocannon. */
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    statusCodeStats: Record<string, { count: number }>;
    requests: { total: number; average: number };
  };

  export type Instance = EventEmitter &
    PromiseLike<Result> & {
      /** Emitted for every response, with its latency in (fractional) milliseconds. */
      on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): Instance;
      stop(): void;
    };

  export default function autocannon(options: Options): Instance;
}
