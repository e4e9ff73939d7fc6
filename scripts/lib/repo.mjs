// Locations and tool invocations shared by the generation and lint scripts.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** Absolute path of the repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The hand-written entry document of the spec. */
export const specEntry = path.join(repoRoot, "spec/openapi.yaml");

/** Where @codearts-package-status/openapi keeps the bundled documents. */
export const bundledDir = path.join(repoRoot, "packages/openapi/generated");

/** The bundled spec as JSON: the input of every other generator. */
export const bundledJson = path.join(bundledDir, "openapi.json");

/** The environment every tool runs with: no telemetry, no update checks. */
export const toolEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  TURBO_TELEMETRY_DISABLED: "1",
  // Redocly prints a Node 20 end-of-life banner on every run; the repo pins Node 20 on purpose.
  REDOCLY_SUPPRESS_NODE_VERSION_WARNING: "true",
  NPM_CONFIG_UPDATE_NOTIFIER: "false",
};

/** Runs a binary installed in the root node_modules, failing loudly with its output. */
export function runBin(name, args, { quiet = false } = {}) {
  const bin = path.join(repoRoot, "node_modules/.bin", name);
  return execFileSync(bin, args, {
    cwd: repoRoot,
    env: toolEnv,
    encoding: "utf8",
    stdio: quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
  });
}
