// Pieces shared by the benchmarks (bench/run.ts, bench/directory.ts).
import { spawnSync } from "node:child_process";
import http, { type RequestListener } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";

export const ROOT = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
export const HOST = "127.0.0.1";
const TRIVIAL_DIR = path.join(ROOT, "bench", "trivial");

export function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

export async function listen(handler: RequestListener, port: number): Promise<http.Server> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => resolve());
  });
  return server;
}

export async function close(server: http.Server) {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The baseline: bench/trivial (one route, no data) built with `remix build`, served as the Remix express template does. */
export async function trivialRemixApp(): Promise<RequestListener> {
  const cli = path.join(ROOT, "node_modules", "@remix-run", "dev", "dist", "cli.js");
  const built = spawnSync(process.execPath, [cli, "build"], { cwd: TRIVIAL_DIR, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (built.status !== 0) throw new Error(`remix build in bench/trivial failed:\n${built.stdout}${built.stderr}`);
  const { default: express } = await import("express");
  const { createRequestHandler } = await import("@remix-run/express");
  const build = (await import(pathToFileURL(path.join(TRIVIAL_DIR, "build", "index.js")).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.use("/build", express.static(path.join(TRIVIAL_DIR, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(TRIVIAL_DIR, "public"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));
  return app;
}
