// Every page a journey reaches goes through `visit` (by URL) or `follow` (by clicking a link
// that loads a new document): both check the status the test expects, that the page reported
// no CSP block or script error, and that axe-core finds no WCAG 2.1 A/AA violation.
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import type { BrowserContextOptions, Locator, Page, Response } from "playwright-core";
import { environment } from "./environment.ts";
import { pageProblems, scriptlessPages } from "./browser.ts";

export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export type VisitOptions = {
  /** Expected status of the final document (after redirects); 200 unless said otherwise. */
  status?: number;
};

/**
 * axe-core needs timers, which never fire in a page with JavaScript disabled. Such a page is
 * audited through a twin: its DOM as rendered without scripts (scripts dropped, <noscript>
 * content kept, as the reader sees it), served at the same URL in a scripted context of the
 * same size; stylesheets and images still come from the app.
 */
async function analyzeScriptless(page: Page, options: BrowserContextOptions) {
  const html = await page.evaluate(() => {
    const root = document.documentElement.cloneNode(true) as HTMLElement;
    root.querySelectorAll("script").forEach((s) => s.remove());
    root.querySelectorAll("noscript").forEach((n) => n.replaceWith(...Array.from(n.childNodes)));
    return "<!DOCTYPE html>\n" + root.outerHTML;
  });
  const url = page.url();
  const twin = await environment().browser.newContext({ ...options, viewport: page.viewportSize() });
  try {
    const twinPage = await twin.newPage();
    await twinPage.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    await twinPage.goto(url, { waitUntil: "load" });
    return await new AxeBuilder({ page: twinPage }).withTags(AXE_TAGS).analyze();
  } finally {
    await twin.close();
  }
}

export async function assertNoAxeViolations(page: Page) {
  const scriptless = scriptlessPages.get(page);
  const results = scriptless ? await analyzeScriptless(page, scriptless) : await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (results.violations.length === 0) return;
  const lines = results.violations.flatMap((v) => [
    `- ${v.id} (${v.impact ?? "unknown impact"}): ${v.help}`,
    ...v.nodes.map((n) => `    at ${n.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : String(t))).join(" | ")}`),
  ]);
  assert.fail(`axe found ${results.violations.length} accessibility violation(s) on ${page.url()}:\n${lines.join("\n")}`);
}

async function audit(page: Page, response: Response | null, what: string, expectedStatus: number) {
  assert.ok(response, `${what}: no document response`);
  assert.equal(response.status(), expectedStatus, `${what} answered ${response.status()}, expected ${expectedStatus}`);
  // Route modules load after the `load` event: let them run (and fail, if they do) first.
  if (!scriptlessPages.has(page)) await page.waitForLoadState("networkidle");
  await assertNoAxeViolations(page);
  const problems = pageProblems.get(page) ?? [];
  assert.deepEqual(problems.splice(0), [], `${page.url()} reported problems in the browser`);
}

export async function visit(page: Page, url: string, options: VisitOptions = {}): Promise<Response> {
  const response = await page.goto(url, { waitUntil: "load" });
  await audit(page, response, url, options.status ?? 200);
  return response!;
}

/** Clicks a plain link (or submits a form) that loads a new document, then audits it. */
export async function follow(page: Page, target: Locator, options: VisitOptions = {}): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && !(r.status() >= 300 && r.status() < 400)),
    page.waitForEvent("load"),
    target.click(),
  ]);
  await audit(page, response, `following ${target} to ${response.url()}`, options.status ?? 200);
  return response;
}
