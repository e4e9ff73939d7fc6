import { defineConfig } from "tsup";

export default defineConfig({
  // The client, and the AK/SK signer on its own for any other HTTP library.
  entry: { index: "src/index.ts", signer: "src/auth/signer.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  splitting: false,
  sourcemap: false,
  treeshake: true,
  external: ["openapi-fetch"],
});
