// The spec gates: Redocly (recommended rules), Spectral (oas ruleset) and OpenAPI Generator's
// validator must all pass with zero errors and zero warnings.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { bundledJson, repoRoot, runBin, specEntry } from "./lib/repo.mjs";

const failures = [];

function gate(name, check) {
  try {
    const problems = check();
    if (problems.length === 0) {
      console.log(`✔ ${name}: no errors, no warnings`);
    } else {
      failures.push(name);
      console.error(`✘ ${name}:\n  ${problems.join("\n  ")}`);
    }
  } catch (error) {
    failures.push(name);
    console.error(`✘ ${name} failed to run:\n${error.stdout ?? ""}${error.stderr ?? ""}${error.message}`);
  }
}

gate("redocly lint (recommended)", () => {
  // Run on the sources, not the bundle, so that problems point at the file to edit.
  let output;
  try {
    output = runBin("redocly", ["lint", specEntry, "--format", "json"], { quiet: true });
  } catch (error) {
    output = error.stdout;
  }
  const report = JSON.parse(output.slice(output.indexOf("{")));
  return report.problems.map(
    (p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location?.[0]?.source?.ref ?? ""} ${p.location?.[0]?.pointer ?? ""})`,
  );
});

gate("spectral lint (spectral:oas)", () => {
  // Spectral sees unused components in a multi-file spec, so it reads the bundle, where every
  // $ref points into components.
  let output;
  try {
    output = runBin("spectral", ["lint", bundledJson, "--ruleset", path.join(repoRoot, ".spectral.yaml"), "--format", "json", "--quiet"], {
      quiet: true,
    });
  } catch (error) {
    output = error.stdout;
  }
  const results = JSON.parse(output.trim() || "[]");
  return results.map((r) => `${["error", "warning", "info", "hint"][r.severity]} ${r.code}: ${r.message} (${r.path.join(".")})`);
});

gate("openapi-generator validate", () => {
  provideGeneratorJar();
  const output = runBin("openapi-generator-cli", ["validate", "--input-spec", bundledJson], { quiet: true });
  return output.includes("No validation issues detected.") ? [] : output.trim().split("\n");
});

/**
 * The generator wrapper would download its jar from a host this project must not depend on.
 * The npm package aliased as `openapi-generator-jar` ships the same jar; put it where the
 * wrapper looks (openapitools.json names the version and the folder).
 */
function provideGeneratorJar() {
  const config = JSON.parse(readFileSync(path.join(repoRoot, "openapitools.json"), "utf8"))["generator-cli"];
  const target = path.join(repoRoot, config.storageDir, `${config.version}.jar`);
  if (existsSync(target)) return;
  const require = createRequire(path.join(repoRoot, "package.json"));
  const source = path.join(path.dirname(require.resolve("openapi-generator-jar/package.json")), "bin/openapi-generator.jar");
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(source, target);
}

if (failures.length > 0) {
  console.error(`\n${failures.length} spec gate(s) failed: ${failures.join(", ")}`);
  process.exit(1);
}
