// What every journey shares: the mail catcher, the app server and the browser, started once
// by e2e/run.ts before any spec file is loaded.
import path from "node:path";
import type { Browser } from "playwright-core";
import { startMailCatcher, type MailCatcher } from "./mail-catcher.ts";
import { startAppServer, type AppServer } from "./server.ts";
import { launchBrowser } from "./browser.ts";

export type Environment = {
  browser: Browser;
  mail: MailCatcher;
  server: AppServer;
  artifactsDir: string;
};

let current: Environment | undefined;

export function environment(): Environment {
  if (!current) throw new Error("The e2e environment is not started: run the journeys with `npm run e2e`.");
  return current;
}

export async function startEnvironment(): Promise<Environment> {
  const artifactsDir = path.resolve("e2e", "artifacts");
  const stops: Array<() => Promise<void>> = [];
  try {
    const browser = await launchBrowser();
    stops.push(() => browser.close());
    const mail = await startMailCatcher();
    stops.push(() => mail.stop());
    const server = await startAppServer({ smtpUrl: mail.url, artifactsDir });
    stops.push(() => server.stop());
    current = { browser, mail, server, artifactsDir };
    return current;
  } catch (error) {
    await runStops(stops);
    throw error;
  }
}

async function runStops(stops: Array<() => Promise<void>>) {
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      process.stderr.write(`e2e teardown: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

export async function stopEnvironment() {
  if (!current) return;
  const { browser, mail, server } = current;
  current = undefined;
  await runStops([() => browser.close(), () => mail.stop(), () => server.stop()]);
}
