import { defineConfig } from "tsup";

export default defineConfig({
  // The library, `main` (what the bin runs) included: ESM and CJS, with declarations.
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2022",
  platform: "node",
  splitting: false,
  sourcemap: false,
  treeshake: true,
  // `import.meta.url` in the CommonJS build (main reads its package.json at run time).
  shims: true,
});
