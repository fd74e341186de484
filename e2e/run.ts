// `npm run e2e`: starts the mail catcher, the app (fresh embedded PostgreSQL) and Chromium,
// then loads every e2e/**/*.spec.ts into Node's test runner; they run one after another.
// Arguments filter spec files by name: `npm run e2e -- language` runs language.spec.ts only.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, before } from "node:test";
import { startEnvironment, stopEnvironment } from "./support/environment.ts";

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
process.chdir(path.dirname(e2eDir));

const filters = process.argv.slice(2);
const specs = fs
  .readdirSync(e2eDir, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".spec.ts") && !f.startsWith("support" + path.sep) && !f.startsWith("artifacts" + path.sep))
  .filter((f) => filters.length === 0 || filters.some((word) => f.includes(word)))
  .sort();
if (specs.length === 0) {
  process.stderr.write(`e2e: no spec file under e2e/ matches ${filters.join(", ") || "*.spec.ts"}\n`);
  process.exit(1);
}

let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= stopEnvironment());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void stop().finally(() => process.exit(130));
  });
}

const started = Date.now();
try {
  await startEnvironment();
} catch (error) {
  process.stderr.write(`e2e: could not start the environment: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
process.stderr.write(`e2e: environment ready in ${((Date.now() - started) / 1000).toFixed(1)} s; ${specs.length} spec file(s)\n`);

// Tests start as soon as a spec file registers them, and the root's `after` hook runs
// whenever the root runs out of tests: hold the first test until every file is loaded, or
// the environment would be stopped while later files are still being imported.
let allLoaded!: () => void;
const loading = new Promise<void>((resolve) => (allLoaded = resolve));
before(() => loading);
after(() => stop());

for (const spec of specs) {
  try {
    await import(pathToFileURL(path.join(e2eDir, spec)).href);
  } catch (error) {
    process.stderr.write(`e2e: could not load ${spec}: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    await stop();
    process.exit(1);
  }
}
allLoaded();
