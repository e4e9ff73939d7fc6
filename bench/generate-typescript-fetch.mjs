// Generates the `typescript-fetch` client that OpenAPI Generator produces from our own spec, into
// bench/generated-typescript-fetch (git-ignored), and compiles it to one ESM file with esbuild so
// that the request benchmark can load it. Uses the repository's generator setup: the wrapper
// `@openapitools/openapi-generator-cli` from the root devDependencies, and its jar taken from the
// npm alias `openapi-generator-jar` (openapitools.json names version and folder). Nothing is
// downloaded.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { build } from "esbuild";
import { benchDir, bundledJson, now, repoRoot, toolEnv } from "./lib/common.mjs";

export const generatedDir = path.join(benchDir, "generated-typescript-fetch");
/** The compiled, runnable form of the generated client. */
export const compiledEntry = path.join(generatedDir, "dist/index.mjs");

/** The same as scripts/lint-spec.mjs `provideGeneratorJar()`: the wrapper looks for the jar there. */
function provideGeneratorJar() {
  const config = JSON.parse(readFileSync(path.join(repoRoot, "openapitools.json"), "utf8"))["generator-cli"];
  const target = path.join(repoRoot, config.storageDir, `${config.version}.jar`);
  if (existsSync(target)) return config.version;
  const require = createRequire(path.join(repoRoot, "package.json"));
  const source = path.join(path.dirname(require.resolve("openapi-generator-jar/package.json")), "bin/openapi-generator.jar");
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(source, target);
  return config.version;
}

/** Generates and compiles; returns how long each step took. */
export async function generateTypescriptFetch({ quiet = true } = {}) {
  const jarVersion = provideGeneratorJar();
  rmSync(generatedDir, { recursive: true, force: true });
  const t0 = now();
  execFileSync(
    path.join(repoRoot, "node_modules/.bin/openapi-generator-cli"),
    [
      "generate",
      "--generator-name", "typescript-fetch",
      "--input-spec", bundledJson,
      "--output", generatedDir,
      "--additional-properties=typescriptThreePlus=true,supportsES6=true",
      "--skip-validate-spec",
    ],
    { cwd: repoRoot, env: toolEnv, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" },
  );
  const generateMs = now() - t0;
  const t1 = now();
  await build({
    entryPoints: [path.join(generatedDir, "index.ts")],
    outfile: compiledEntry,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    logLevel: "silent",
  });
  return { jarVersion, generateMs, compileMs: now() - t1 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await generateTypescriptFetch({ quiet: false });
  console.log(`typescript-fetch client (OpenAPI Generator ${r.jarVersion}) generated in ${(r.generateMs / 1000).toFixed(1)} s into ${path.relative(repoRoot, generatedDir)}`);
}
