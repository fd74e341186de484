import fs from "node:fs";
import path from "node:path";
import { flatRoutes } from "remix-flat-routes";

// Each module keeps its routes in app/modules/<id>/routes; they are discovered here so
// that adding a module never means editing a central route list.
const moduleRouteDirs = fs
  .readdirSync(path.join("app", "modules"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join("app", "modules", d.name, "routes")))
  .map((d) => `modules/${d.name}/routes`);

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  serverBuildPath: "build/index.js",
  assetsBuildDirectory: "public/build",
  publicPath: "/build/",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
  routes: async (defineRoutes) =>
    flatRoutes(["routes", ...moduleRouteDirs], defineRoutes, {
      ignoredRouteFiles: ["**/*.test.*", "**/*.server.*.test.*"],
    }),
};
