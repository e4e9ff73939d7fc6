// `pnpm test`: every gate of the repository, one after another, and one totals line at the end.
// Each step runs even when an earlier one failed, so one run shows everything that is wrong; a
// failed step that is not a vitest run (lint, drift, the size budget) counts as one failure, so
// the totals never read green when the run was red.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { repoRoot, toolEnv } from "./lib/repo.mjs";
import { countTests, totalsLine } from "./lib/totals.mjs";

const bin = (name) => path.join(repoRoot, "node_modules/.bin", name);

const steps = [
  // Spec gates, package checks and every package's suite, in the order the task graph allows.
  { name: "lint and test (turbo)", command: bin("turbo"), args: ["run", "lint", "test", "--continue", "--concurrency=3"] },
  { name: "comments name files that exist", command: process.execPath, args: ["scripts/check-file-references.mjs"] },
  { name: "no import cycle", command: process.execPath, args: ["scripts/check-cycles.mjs"] },
  { name: "generated files match the spec", command: process.execPath, args: ["scripts/check-drift.mjs"] },
  { name: "no undeclared breaking change", command: process.execPath, args: ["scripts/check-breaking.mjs"] },
  { name: "bundle size budget", command: "pnpm", args: ["--silent", "--filter", "@codearts-package-status/bench", "size"] },
];
// The spec → generate loop copies the repository and runs this command inside the copy; there it
// must not start itself again. It runs last and alone: it builds and tests a whole second tree.
if (process.env.CODEARTS_SKIP_CODEGEN_LOOP !== "1" && existsSync(path.join(repoRoot, "packages/codegen-tests/package.json"))) {
  steps.push({ name: "spec → generate loop on a warm cache", command: "pnpm", args: ["--silent", "--filter", "@codearts-package-status/codegen-tests", "test:loop"] });
}

/** Runs one step, echoing its output as it comes, and resolves with its exit status and output. */
function run(step) {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: repoRoot, env: toolEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on("error", (error) => resolve({ status: 127, output: `${output}\n${error.message}` }));
    child.on("close", (code, signal) => resolve({ status: code ?? (signal ? 128 : 1), output }));
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const report = [];
for (const step of steps) {
  const started = Date.now();
  console.log(`\n▶ ${step.name}`);
  const { status, output } = await run(step);
  const counted = countTests(output);
  totals.passed += counted.passed;
  totals.skipped += counted.skipped;
  // A red step whose output counted no failed test still failed once.
  totals.failed += status !== 0 && counted.failed === 0 ? 1 : counted.failed;
  report.push(`${status === 0 ? "✔" : "✘"} ${step.name} (${Math.round((Date.now() - started) / 1000)} s)`);
}

console.log(`\n${report.join("\n")}`);
console.log(totalsLine(totals));
process.exitCode = totals.failed > 0 ? 1 : 0;
