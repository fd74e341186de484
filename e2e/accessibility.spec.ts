// What axe cannot see: keyboard access to the content and a layout that fits a small phone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tenant, text, visit, withPage } from "./support/index.ts";

describe("keyboard and small screens", () => {
  it("the first Tab reaches the skip link, which moves focus to the main content", async (t) => {
    await withPage(t.name, async (page) => {
      await visit(page, tenant("hellemmes").url("/"));
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return null;
        const box = el.getBoundingClientRect();
        return { tag: el.tagName, text: el.textContent?.trim(), href: el.getAttribute("href"), inView: box.left >= 0 && box.top >= 0 && box.right <= innerWidth && box.width > 0 };
      });
      assert.deepEqual(focused, { tag: "A", text: text("fr", "shell.skipToContent"), href: "#contenu", inView: true });

      await page.keyboard.press("Enter");
      const target = await page.evaluate(() => ({ tag: document.activeElement?.tagName, id: document.activeElement?.id }));
      assert.deepEqual(target, { tag: "MAIN", id: "contenu" });
    });
  });

  for (const pathname of ["/", "/initiatives"]) {
    it(`a 360 px wide screen has no horizontal scroll on ${pathname}`, async (t) => {
      await withPage(
        t.name,
        async (page) => {
          await visit(page, tenant("hellemmes").url(pathname));
          const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));
          assert.equal(widths.viewport, 360);
          assert.ok(widths.scroll <= widths.viewport, `the page is ${widths.scroll} px wide on a ${widths.viewport} px screen`);
        },
        { viewport: { width: 360, height: 740 } },
      );
    });
  }
});
