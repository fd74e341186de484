// Route modules are bundled for the browser too, where `*.server` imports are empty modules.
// A wrapper call such as `tenantLoader(...)` would then run in the browser and throw
// (`tenantLoader is not a function`), so no page would hydrate. Marked pure, esbuild drops
// the call and everything only it uses from the client bundle.
import fs from "node:fs";
import path from "node:path";

function routeFiles(): string[] {
  const roots = ["app/routes", ...fs.readdirSync("app/modules").map((m) => path.join("app/modules", m, "routes"))];
  const out: string[] = ["app/root.tsx"];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(p);
    }
  };
  roots.forEach(walk);
  return out;
}

describe("route modules are safe to bundle for the browser", () => {
  it("marks every exported loader/action wrapper call as pure", () => {
    const offenders: string[] = [];
    for (const file of routeFiles()) {
      const source = fs.readFileSync(file, "utf8");
      for (const m of source.matchAll(/export const (loader|action|headers)\s*=\s*([^\n]*)/g)) {
        const rhs = m[2].trim();
        const isFunctionLiteral = /^(async\s*)?(\(|function\b|[A-Za-z_$][\w$]*\s*=>)/.test(rhs);
        // A bare reference (`= mapPageHeaders;`) runs nothing when the module loads.
        const isReference = /^[A-Za-z_$][\w$.]*;?$/.test(rhs);
        if (!isFunctionLiteral && !isReference && !rhs.startsWith("/* @__PURE__ */")) offenders.push(`${file}: ${m[0].slice(0, 90)}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
