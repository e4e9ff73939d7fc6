// Pipeline speed: `pnpm generate` cold (turbo --force: every generate task runs), the full test
// suite's wall time (`pnpm test`, which also warms turbo's cache), and a cached re-run of the
// whole turbo graph (`turbo run generate build lint test`). `--skip-test` leaves out `pnpm test`.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { args, fmt, now, repoRoot, table, toolEnv, versionOf } from "./lib/common.mjs";

function timed(command, argv, env = {}) {
  const t0 = now();
  const r = spawnSync(command, argv, { cwd: repoRoot, env: { ...toolEnv, FORCE_COLOR: "0", ...env }, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  const ms = now() - t0;
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.replace(/\x1b\[[0-9;]*m/g, "");
  // turbo's summary: " Tasks:    8 successful, 8 total" / "Cached:    8 cached, 8 total"
  const cached = output.match(/Cached:\s+(\d+) cached, (\d+) total/);
  return { ms, status: r.status ?? 1, cached: cached ? { cached: Number(cached[1]), total: Number(cached[2]) } : undefined, tail: output.split("\n").slice(-15).join("\n") };
}

const turbo = path.join(repoRoot, "node_modules/.bin/turbo");
const pnpm = "pnpm";

export async function run({ skipTest = false, cachedRuns = 3 } = {}) {
  const rows = [];
  const raw = {};
  const note = (r) => (r.status === 0 ? "" : ` (**exit ${r.status}**)`);

  raw.generateCold = timed(turbo, ["run", "generate", "--force", "--output-logs=errors-only"]);
  rows.push(["`pnpm generate` cold", "`turbo run generate --force`", fmt.s(raw.generateCold.ms) + note(raw.generateCold), raw.generateCold.cached ? `${raw.generateCold.cached.total} tasks, none cached` : ""]);

  if (!skipTest) {
    // TURBO_FORCE: every task really runs, whatever the cache holds (a cached `pnpm test` takes seconds).
    raw.test = timed(pnpm, ["test"], { TURBO_FORCE: "true" });
    rows.push([
      "full test suite",
      "`TURBO_FORCE=true pnpm test` (turbo `lint test --continue`, no cache, then the drift check)",
      fmt.s(raw.test.ms) + note(raw.test),
      raw.test.cached ? `${raw.test.cached.total} tasks, ${raw.test.cached.cached} cached; this run also fills the cache for the next row` : "",
    ]);
  }

  // Warm the cache (a no-op when `pnpm test` just ran and nothing changed), then time re-runs.
  // `--continue` so that one failing task does not keep the others out of the cache.
  const graph = ["run", "generate", "build", "lint", "test", "--continue", "--output-logs=errors-only"];
  raw.warm = timed(turbo, graph);
  raw.cached = [];
  for (let i = 0; i < cachedRuns; i++) {
    const r = timed(turbo, graph);
    raw.cached.push(r);
    // Not everything cached (a failing task is never cached, a file changed meanwhile): one run says it, more would only cost minutes.
    if (!r.cached || r.cached.cached < r.cached.total) break;
  }
  const best = raw.cached.reduce((a, b) => (b.ms < a.ms ? b : a));
  const median = [...raw.cached].sort((a, b) => a.ms - b.ms)[raw.cached.length >> 1];
  rows.push([
    "cached re-run of the whole graph",
    "`turbo run generate build lint test`",
    `${fmt.s(median.ms)}${raw.cached.length > 1 ? ` (best ${fmt.s(best.ms)})` : ""}${note(median)}`,
    median.cached ? `${median.cached.cached} of ${median.cached.total} tasks cached${median.cached.cached < median.cached.total ? " (**not a fully cached run**: see the failing or changed tasks)" : ""}` : "",
  ]);
  if (skipTest) rows.push(["full test suite", "`pnpm test`", "skipped (`--skip-test`)", ""]);

  const text = [
    table(["what", "command", "wall time", "notes"], rows, ["l", "l", "r", "l"]),
    "",
    `turbo ${versionOf("turbo", repoRoot)}, pnpm ${spawnSync("pnpm", ["--version"], { encoding: "utf8" }).stdout.trim()}; the cached re-run is the median of up to ${cachedRuns} runs after a warm-up run (with \`--continue\`), one run only when it is not fully cached. ` +
      "Wall times include every tool's own start-up (JVM for the generator validator, chromium for the docs check).",
  ].join("\n");
  return { raw, tables: { pipeline: text } };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const a = args();
  const out = await run({ skipTest: Boolean(a["skip-test"]) });
  if (a.json) {
    mkdirSync(path.dirname(a.json), { recursive: true });
    writeFileSync(a.json, JSON.stringify(out, null, 2));
  }
  console.log(out.tables.pipeline);
  for (const [k, v] of Object.entries(out.raw)) for (const r of [v].flat()) if (r.status !== 0) console.error(`${k} exited ${r.status}:\n${r.tail}`);
}
