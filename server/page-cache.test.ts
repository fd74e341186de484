// The anonymous page cache must never hand one visitor's page to another: only the nonce and
// the CSRF token may differ between two anonymous visitors, and both are swapped on a hit.
import type { AddressInfo } from "node:net";
import express from "express";
import { anonymousPageCache, PAGE_CACHE_HEADER } from "./page-cache";

type Handler = (request: Request) => Response;

async function serve(handler: Handler, clock = { now: 0 }) {
  let renders = 0;
  const app = express();
  let n = 0;
  app.use((req, res, next) => {
    n++;
    res.locals.nonce = `nonce-${n}`;
    res.locals.csrfSeed = req.headers["x-seed"] ?? "seed-a";
    next();
  });
  app.use(
    anonymousPageCache({
      paths: ["/"],
      ttlMs: 5_000,
      sessionCookies: ["communa_session"],
      varyCookies: ["communa_lng"],
      csrfTokenFor: (seed) => `token-of-${seed}`,
      handle: async (request) => {
        renders++;
        return handler(request);
      },
      loadContext: () => ({}) as never,
      now: () => clock.now,
    }),
  );
  app.use((_req, res) => res.status(418).send("not a candidate"));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get: (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers }),
    renders: () => renders,
    close: () => new Promise((r) => server.close(r)),
    clock,
  };
}

// A page that embeds the nonce and token of the request it was rendered for, as Remix does.
let rendered = 0;
const page: Handler = () => {
  rendered++;
  return new Response(`<script nonce="NONCE">x</script><p>render ${rendered}</p>`, {
    headers: { "content-type": "text/html; charset=utf-8", [PAGE_CACHE_HEADER]: "anonymous" },
  });
};

function renderingWith(nonce: string, token: string): Handler {
  return () =>
    new Response(`<script nonce="${nonce}">x</script><input name="csrf" value="${token}">`, {
      headers: { "content-type": "text/html", [PAGE_CACHE_HEADER]: "anonymous", "x-policy": `script-src 'nonce-${nonce}'` },
    });
}

describe("anonymous page cache", () => {
  it("serves a hit with the current request's nonce and CSRF token, without rendering again", async () => {
    const s = await serve(renderingWith("nonce-1", "token-of-seed-a"));
    try {
      const first = await (await s.get("/")).text();
      expect(first).toContain('nonce="nonce-1"');
      const second = await s.get("/", { "x-seed": "seed-b" });
      const html = await second.text();
      expect(s.renders()).toBe(1);
      expect(html).toContain('nonce="nonce-2"');
      expect(html).toContain('value="token-of-seed-b"');
      expect(html).not.toContain("nonce-1");
      expect(html).not.toContain("token-of-seed-a");
      expect(second.headers.get(PAGE_CACHE_HEADER)).toBeNull();
      expect(second.headers.get("x-policy")).toBe("script-src 'nonce-nonce-2'");
    } finally {
      await s.close();
    }
  });

  it("never serves or stores a page for a visitor with a session cookie", async () => {
    const s = await serve(page);
    try {
      await s.get("/");
      const res = await s.get("/", { cookie: "communa_session=abc" });
      expect(res.status).toBe(418);
      expect(s.renders()).toBe(1);
    } finally {
      await s.close();
    }
  });

  it("keeps one entry per language and expires entries", async () => {
    const s = await serve(page);
    try {
      await s.get("/");
      await s.get("/", { cookie: "communa_lng=en" });
      expect(s.renders()).toBe(2);
      await s.get("/", { cookie: "communa_lng=en" });
      expect(s.renders()).toBe(2);
      s.clock.now += 6_000;
      await s.get("/");
      expect(s.renders()).toBe(3);
    } finally {
      await s.close();
    }
  });

  it("stores nothing the route did not opt in, nor a page that sets a cookie or is not a 200", async () => {
    for (const handler of [
      () => new Response("<p>x</p>", { headers: { "content-type": "text/html" } }),
      () => new Response("<p>x</p>", { headers: { "content-type": "text/html", [PAGE_CACHE_HEADER]: "anonymous", "set-cookie": "a=b" } }),
      () => new Response("<p>x</p>", { status: 404, headers: { "content-type": "text/html", [PAGE_CACHE_HEADER]: "anonymous" } }),
    ] as Handler[]) {
      const s = await serve(handler);
      try {
        await s.get("/");
        await s.get("/");
        expect(s.renders()).toBe(2);
      } finally {
        await s.close();
      }
    }
  });

  it("leaves paths off the allowlist and data requests to the normal handler", async () => {
    const s = await serve(page);
    try {
      expect((await s.get("/initiatives")).status).toBe(418);
      expect((await s.get("/?_data=root")).status).toBe(418);
      expect(s.renders()).toBe(0);
    } finally {
      await s.close();
    }
  });
});
