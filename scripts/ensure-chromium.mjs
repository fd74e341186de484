// The e2e suite drives Debian's Chromium (no browser is downloaded). Install it when it is
// missing and we may (root with apt-get), so the test command needs nothing done by hand.
import { execSync } from "node:child_process";
import fs from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
if (!fs.existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && fs.existsSync("/usr/bin/apt-get");
  if (!canInstall) {
    console.error(`Chromium is missing at ${CHROMIUM}. Install Debian's package: sudo apt-get install chromium`);
    process.exit(1);
  }
  console.log("Installing Debian's chromium package for the end-to-end tests…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execSync("apt-get update", { stdio: "inherit", env });
  execSync("apt-get install -y --no-install-recommends chromium", { stdio: "inherit", env });
}
