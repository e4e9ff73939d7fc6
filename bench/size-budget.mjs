// The bundle size budget, quick enough for CI (no benchmark runs, no generator): bundles the
// consumers of our client with esbuild and fails when what a consumer's call loads (gzip) is over
// budget, or when a module the client loads lazily (signer, response schemas, openapi-fetch) is
// in the initial load.
// Needs the client built (`pnpm build`). Exit status 0 = within budget, 1 = over.
import { pathToFileURL } from "node:url";
import { CONSUMERS, LAZY_MODULES, measure } from "./bundle-size.mjs";
import { fmt } from "./lib/common.mjs";

/** Every budget check: { name, ok, detail }. */
export async function checkBudget() {
  const checks = [];
  for (const c of CONSUMERS.filter((c) => c.budget)) {
    const m = await measure(c);
    const what = c.loads.length ? `initial load + ${c.loads.join(", ")}` : "initial load";
    checks.push({ name: `${c.name}: gzip ${what}`, ok: m.loaded.gzip <= c.budget, detail: `${fmt.kib(m.loaded.gzip)} (budget ${fmt.kib(c.budget)}; initial ${fmt.kib(m.initial.gzip)} gzip, ${fmt.kib(m.initial.min)} minified)` });
    for (const name of Object.keys(LAZY_MODULES)) {
      checks.push({ name: `${c.name}: ${name} not in the initial load`, ok: !m.inInitial.includes(name), detail: m.inInitial.includes(name) ? "included" : "excluded" });
    }
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
