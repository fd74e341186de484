// Debian's Chromium driven by playwright-core (no browser download: the machine has no
// internet but the package archives). One browser per run, one context per test.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { environment } from "./environment.ts";

export const CHROMIUM = "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's package with \`apt-get install chromium\`.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Problems the page itself reports: blocked by the CSP, or a script that threw. */
export const pageProblems = new WeakMap<Page, string[]>();

/** Pages whose context runs no JavaScript, with the options to render their DOM again. */
export const scriptlessPages = new WeakMap<Page, BrowserContextOptions>();

/** Longest a single journey may take: a hung page must fail its test, not stall the run. */
const TEST_DEADLINE_MS = 120_000;

function artifactName(title: string) {
  const slug = title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 100);
  return `${slug || "test"}-${Date.now()}.png`;
}

/**
 * Runs `fn` with a fresh page in a fresh context (own cookies), and closes both. On failure
 * the page is saved as a screenshot in e2e/artifacts/, named after the test.
 */
export async function withPage<T>(
  title: string,
  fn: (page: Page) => Promise<T>,
  options: BrowserContextOptions = {},
): Promise<T> {
  const { browser, artifactsDir } = environment();
  const context = await browser.newContext({ locale: "fr-FR", ...options });
  context.setDefaultTimeout(15_000);
  // Chromium's own CSP message does not say which element was blocked; this event does.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` : "";
      console.error(`Content Security Policy blocked ${e.violatedDirective}${where}: ${JSON.stringify(e.sample)}`);
    });
  });
  const page = await context.newPage();
  if (options.javaScriptEnabled === false) scriptlessPages.set(page, { locale: "fr-FR", ...options, javaScriptEnabled: true });
  const problems: string[] = [];
  pageProblems.set(page, problems);
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  let deadline: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      fn(page),
      new Promise<never>((_, reject) => {
        deadline = setTimeout(() => reject(new Error(`"${title}" did not finish within ${TEST_DEADLINE_MS / 1000} s`)), TEST_DEADLINE_MS);
      }),
    ]);
    assert.deepEqual(problems, [], `${page.url()} reported problems in the browser after its last check`);
    return result;
  } catch (error) {
    const file = path.join(artifactsDir, artifactName(title));
    try {
      await page.screenshot({ path: file, fullPage: true });
      if (error instanceof Error) error.message += `\n(screenshot: ${path.relative(process.cwd(), file)})`;
    } catch {
      // The page may be gone (crash, closed context): the error itself still says what failed.
    }
    throw error;
  } finally {
    clearTimeout(deadline);
    // Also ends whatever a timed-out journey was still waiting for.
    await context.close();
  }
}
