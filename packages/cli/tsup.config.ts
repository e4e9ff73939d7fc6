import { defineConfig, type Options } from "tsup";

const shared: Options = { target: "es2022", platform: "node", splitting: false, sourcemap: false, treeshake: true };

export default defineConfig([
  // The library: ESM and CJS, with declarations. Its clean spares cli.js, which the other build
  // writes at the same time.
  { ...shared, entry: { index: "src/index.ts" }, format: ["esm", "cjs"], dts: true, clean: ["!cli.js"] },
  // The program: run by Node as the package's bin, so ESM only and no declarations.
  { ...shared, entry: { cli: "src/cli.ts" }, format: ["esm"], dts: false, clean: false },
]);
