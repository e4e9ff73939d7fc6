// Reads a test log on stdin and prints the totals as the plain `N passed, N failed` line CI
// looks for, adding up every vitest run in the log (one per package under turbo). The test
// command's exit status is the first argument: a failed gate that is not a test (lint, drift)
// counts as one failure, so the line never reads green when the run was red.
import { readFileSync } from "node:fs";

const log = readFileSync(0, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
let passed = 0;
let failed = 0;
let skipped = 0;
let runs = 0;
for (const line of log.split("\n")) {
  // vitest's summary: "Tests  2 failed | 395 passed | 1 skipped (398)"; "Test Files" lines are not it.
  const summary = line.match(/(?:^|\s)Tests\s+((?:\d+ \w+(?: \| )?)+)\s*\(\d+\)/);
  if (!summary) continue;
  runs++;
  for (const [, count, kind] of summary[1].matchAll(/(\d+) (\w+)/g)) {
    if (kind === "passed") passed += Number(count);
    else if (kind === "failed") failed += Number(count);
    else if (kind === "skipped" || kind === "todo") skipped += Number(count);
  }
}
const exitStatus = Number(process.argv[2] ?? 0);
if (runs === 0 || (exitStatus !== 0 && failed === 0)) failed += 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
