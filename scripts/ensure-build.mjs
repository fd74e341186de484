// Builds the app when there is no build yet, when sources are newer than it, or on --force.
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const target = "build/index.js";
function newest(dir) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
const stale =
  process.argv.includes("--force") ||
  !fs.existsSync(target) ||
  Math.max(newest("app"), fs.statSync("remix.config.js").mtimeMs, fs.statSync("package.json").mtimeMs) > fs.statSync(target).mtimeMs;
if (stale) execSync("npm run build", { stdio: "inherit" });
