import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", cli: "src/cli.ts" },
  format: ["esm", "cjs"],
  // The CLI is a program, not an API: only the library entry gets declarations.
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  target: "es2022",
  platform: "node",
  splitting: false,
  sourcemap: false,
  treeshake: true,
  // The CJS build of the CLI needs import.meta.url to find its package.json (for --version).
  shims: true,
});
