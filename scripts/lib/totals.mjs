// Adds up vitest's summaries in a test log into the plain `N passed, N failed` line that CI reads.

/** The passed, failed and skipped counts of every vitest summary in `log`, and how many summaries there were. */
export function countTests(log) {
  const totals = { passed: 0, failed: 0, skipped: 0, runs: 0 };
  for (const line of log.replace(/\x1b\[[0-9;]*m/g, "").split("\n")) {
    // vitest's summary: "Tests  2 failed | 395 passed | 1 skipped (398)"; "Test Files" lines are not it.
    const summary = line.match(/(?:^|\s)Tests\s+((?:\d+ \w+(?: \| )?)+)\s*\(\d+\)/);
    if (!summary) continue;
    totals.runs++;
    for (const [, count, kind] of summary[1].matchAll(/(\d+) (\w+)/g)) {
      if (kind === "passed") totals.passed += Number(count);
      else if (kind === "failed") totals.failed += Number(count);
      else if (kind === "skipped" || kind === "todo") totals.skipped += Number(count);
    }
  }
  return totals;
}

/** The closing line: `N passed, N failed` (`, N skipped` when any were). */
export function totalsLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
}
