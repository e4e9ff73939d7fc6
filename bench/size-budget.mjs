// The bundle size budget, quick enough for CI (no benchmark runs, no generator): bundles the
// consumers of our client with esbuild and fails when a gzipped initial load is over budget, or
// when the validation schemas are in the initial load of a client that does not validate.
// Needs the client built (`pnpm build`). Exit status 0 = within budget, 1 = over.
import { pathToFileURL } from "node:url";
import { CONSUMERS, measure } from "./bundle-size.mjs";
import { fmt } from "./lib/common.mjs";

/** Every budget check: { name, ok, detail }. */
export async function checkBudget() {
  const checks = [];
  for (const c of CONSUMERS.filter((c) => c.budget)) {
    const m = await measure(c.id);
    checks.push({ name: `${c.name}: gzip initial load`, ok: m.initial.gzip <= c.budget, detail: `${fmt.kib(m.initial.gzip)} (budget ${fmt.kib(c.budget)}, minified ${fmt.kib(m.initial.min)})` });
    checks.push({ name: `${c.name}: validation schemas not in the initial load`, ok: !m.validationInInitial, detail: m.validationInInitial ? "included" : "excluded" });
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
