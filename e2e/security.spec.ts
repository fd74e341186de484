// Security headers as a browser receives them, and the health endpoints an orchestrator polls.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appUrl, tenant, visit, withPage } from "./support/index.ts";

function directives(csp: string) {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name.toLowerCase(), values] as const),
  );
}

describe("security headers", () => {
  it("a page carries a nonce'd CSP that every script obeys, nosniff and frame-ancestors 'none'", async (t) => {
    const town = tenant("hellemmes");
    await withPage(t.name, async (page) => {
      const response = await visit(page, town.url("/"));
      const headers = response.headers();
      assert.equal(headers["x-content-type-options"], "nosniff");
      const csp = headers["content-security-policy"];
      assert.ok(csp, "no Content-Security-Policy header");
      const policy = directives(csp);
      assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
      const nonces = (policy.get("script-src") ?? []).filter((v) => /^'nonce-[A-Za-z0-9+/=_-]{16,}'$/.test(v));
      assert.equal(nonces.length, 1, `script-src has no nonce: ${policy.get("script-src")?.join(" ")}`);
      assert.ok(!policy.get("script-src")!.includes("'unsafe-inline'"), "script-src allows inline scripts");
      const nonce = nonces[0].slice("'nonce-".length, -1);

      // The raw HTML: browsers hide the nonce attribute from the DOM once the page is parsed.
      const scripts = (await response.text()).match(/<script\b[^>]*>/gi) ?? [];
      assert.ok(scripts.length > 0, "the page has no script at all: hydration would not happen");
      for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), `a script lacks the nonce: ${tag}`);

      const again = await visit(page, town.url("/"));
      assert.ok(!again.headers()["content-security-policy"]?.includes(nonce), "the nonce is reused across responses");
    });
  });

  it("/healthz and /readyz answer 200", async () => {
    for (const [pathname, status] of [["/healthz", "ok"], ["/readyz", "ready"]]) {
      const response = await fetch(appUrl(pathname));
      assert.equal(response.status, 200, `${pathname} answered ${response.status}`);
      assert.deepEqual(await response.json(), { status });
    }
  });
});
