import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    signer: "src/signer.ts",
    "internal/validation": "src/internal/validation.ts",
    "internal/raw-fetch": "src/internal/raw-fetch.ts",
    "internal/redact": "src/internal/redact.ts",
    "internal/sign": "src/internal/sign.ts",
    "internal/provide": "src/internal/provide.ts",
    "internal/endpoints": "src/internal/endpoints.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  splitting: false,
  sourcemap: false,
  treeshake: true,
  external: ["openapi-fetch"],
  esbuildPlugins: [
    {
      // The client loads validation, the AK/SK signing, the raw surface's openapi-fetch half and
      // redaction with `import("./internal/validation.js")`, `import("./internal/sign.js")`,
      // `import("./internal/raw-fetch.js")` and `import("./internal/redact.js")`. Bundled, those
      // would sit in every user's bundle; as imports of the package's own exports, they load only
      // when they are used (redaction: when a call fails). The credential providers
      // (`import("./internal/provide.js")`) load on the first request of a client without static
      // credentials, or the first call of a provider.
      name: "lazy-modules-as-own-subpaths",
      setup(build) {
        build.onResolve({ filter: /^\.\/(internal\/validation|internal\/raw-fetch|internal\/redact|internal\/sign|internal\/provide|internal\/endpoints)\.js$/ }, (args) =>
          args.kind === "dynamic-import" ? { path: `@codearts-package-status/client/${args.path.slice(2, -3)}`, external: true } : undefined,
        );
      },
    },
  ],
});
