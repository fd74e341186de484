// The load generator, run as a child process of bench/run.ts so that it has an event loop
// (and, on two cores, a core) of its own instead of sharing the servers'.
import autocannon from "autocannon";

export type LoadRequest = {
  url: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  seconds: number;
};

export type LoadPhase = {
  seconds: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
};

export type LoadResult = LoadPhase & {
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  warmup: LoadPhase;
};

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

async function phase(request: LoadRequest, seconds: number, onLatency?: (ms: number) => void): Promise<LoadPhase> {
  const instance = autocannon({
    url: request.url,
    headers: request.headers,
    connections: request.connections,
    duration: seconds,
    timeout: 10,
  });
  if (onLatency) instance.on("response", (_client, _status, _bytes, ms) => onLatency(ms));
  const result = await instance;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCodes[code] = stat.count;
  return {
    seconds: result.duration,
    requests: result.requests.total,
    errors: result.errors + result.mismatches,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}

async function measure(request: LoadRequest): Promise<LoadResult> {
  const warmup = await phase(request, request.warmupSeconds);
  // Every response's own latency, at autocannon's hrtime resolution: its histogram keeps
  // whole milliseconds and reports p97.5 but no p95.
  process.send!({ measuring: true } satisfies LoadProgress);
  let samples = new Float64Array(1 << 16);
  let count = 0;
  const measured = await phase(request, request.seconds, (ms) => {
    if (count === samples.length) {
      const grown = new Float64Array(samples.length * 2);
      grown.set(samples);
      samples = grown;
    }
    samples[count++] = ms;
  });
  const sorted = samples.subarray(0, count).sort();
  return {
    ...measured,
    requestsPerSecond: measured.requests / measured.seconds,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    warmup,
  };
}

/** Sent when the warm-up is over, so that the parent can read its CPU counters. */
export type LoadProgress = { measuring: true };
export type LoadReply = { ok: true; result: LoadResult } | { ok: false; error: string };

process.once("message", (request: LoadRequest) => {
  const reply = (message: LoadReply) => process.send!(message, () => process.disconnect());
  measure(request).then(
    (result) => reply({ ok: true, result }),
    (error: unknown) => reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
