import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", signer: "src/signer.ts", validation: "src/validation.ts" },
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
      // The client loads validation with `import("./validation.js")`. Bundled, that would put
      // the response schemas into every user's bundle; as an import of the package's own
      // `./validation` export, they load only when validation is on.
      name: "validation-as-own-subpath",
      setup(build) {
        build.onResolve({ filter: /^\.\/validation\.js$/ }, (args) =>
          args.kind === "dynamic-import" ? { path: "@codearts-package-status/client/validation", external: true } : undefined,
        );
      },
    },
  ],
});
