// The bundle size budget, quick enough for CI (no benchmark runs, no generator): bundles each
// consumer of our client that has a budget (a token, AK/SK) into a single file with everything it
// can reach, as bench/bundle-size.mjs does, and fails when its gzip is over the budget.
// Needs the client built (`pnpm build`). Exit status 0 = within budget, 1 = over.
import { pathToFileURL } from "node:url";
import { BUDGET, CONSUMERS, measure } from "./bundle-size.mjs";
import { fmt } from "./lib/common.mjs";

/** Every budget check: { name, ok, detail }. */
export async function checkBudget() {
  const checks = [];
  for (const c of CONSUMERS.filter((c) => c.budget)) {
    const m = await measure(c.id);
    checks.push({ name: `${c.name}: single file, gzip`, ok: m.gzip <= BUDGET, detail: `${fmt.kib(m.gzip)} (budget ${fmt.kib(BUDGET)}; ${fmt.kib(m.min)} minified)` });
  }
  return checks;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const checks = await checkBudget();
  for (const c of checks) console.log(`${c.ok ? "ok  " : "OVER"} ${c.name}: ${c.detail}`);
  const over = checks.filter((c) => !c.ok);
  console.log(over.length ? `size budget exceeded in ${over.length} of ${checks.length} checks` : `size budget respected (all ${checks.length} checks)`);
  process.exitCode = over.length ? 1 : 0;
}
