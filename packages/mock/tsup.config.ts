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
  // The CJS build needs import.meta.url to locate the spec package at run time.
  shims: true,
});
