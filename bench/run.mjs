// `pnpm bench`: runs every benchmark, each in its own Node process, one after the other, and
// rewrites the tables of BENCHMARKS.md between their marker comments
// (<!-- bench:NAME --> … <!-- /bench:NAME -->), so that the file is reproducible.
//   --skip-test   leave out the full test suite (`pnpm test`, about 2 minutes)
//   --quick       fewer rounds and sizes, for trying the scripts out (do not commit its tables)
//   --only a,b    run only some of: typescript-fetch, bundle-size, request-cost, signing-cost,
//                 growth, pipeline, mock-vs-prism, exporter-fleet
//                 (the other tables are taken from the previous run's bench/.results)
//   --no-write    print the tables, leave BENCHMARKS.md alone
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { args, benchDir, fmt, machine, now, repoRoot, resultsDir, table, versionOf } from "./lib/common.mjs";

const a = args();
const quick = Boolean(a.quick);
const only = typeof a.only === "string" ? new Set(a.only.split(",")) : undefined;
const steps = [
  { id: "typescript-fetch", script: "generate-typescript-fetch.mjs", json: false },
  { id: "bundle-size", script: "bundle-size.mjs" },
  { id: "request-cost", script: "request-cost.mjs", extra: quick ? ["--quick"] : [] },
  { id: "signing-cost", script: "signing-cost.mjs", extra: quick ? ["--quick"] : [] },
  { id: "growth", script: "growth.mjs", extra: quick ? ["--quick"] : [] },
  { id: "pipeline", script: "pipeline.mjs", extra: a["skip-test"] ? ["--skip-test"] : [] },
  { id: "mock-vs-prism", script: "mock-vs-prism.mjs", extra: quick ? ["--quick"] : [] },
  { id: "exporter-fleet", script: "exporter-fleet.mjs", extra: quick ? ["--quick"] : [] },
];

// With --only, the other tables come from the previous run's results (bench/.results), if any.
if (!only) rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const tables = {};
const durations = [];
const started = now();
for (const step of steps) {
  if (only && !only.has(step.id)) continue;
  const jsonPath = path.join(resultsDir, `${step.id}.json`);
  const argv = [path.join(benchDir, step.script), ...(step.json === false ? [] : ["--json", jsonPath]), ...(step.extra ?? [])];
  console.log(`\n▶ ${step.id}: node ${path.relative(repoRoot, argv[0])} ${argv.slice(1).map((x) => path.relative(process.cwd(), x) || x).join(" ")}`);
  const t0 = now();
  const r = spawnSync(process.execPath, argv, { cwd: benchDir, stdio: "inherit" });
  durations.push([step.id, now() - t0]);
  if (r.status !== 0) {
    console.error(`✘ ${step.id} failed (exit ${r.status}); BENCHMARKS.md is left unchanged`);
    process.exit(1);
  }
}
for (const step of steps) {
  const jsonPath = path.join(resultsDir, `${step.id}.json`);
  if (step.json !== false && existsSync(jsonPath)) Object.assign(tables, JSON.parse(readFileSync(jsonPath, "utf8")).tables);
}

const m = machine();
tables.machine = table(
  ["", ""],
  [
    ["CPUs (`nproc`)", String(m.nproc)],
    ["CPU model", m.cpu],
    ["memory", `${m.memoryGiB} GiB`],
    ["OS", m.platform],
    ["Node.js", m.node],
    ["Java (generator)", m.java],
    ["TypeScript", versionOf("typescript")],
    ["esbuild", versionOf("esbuild")],
    ["openapi-fetch", versionOf("openapi-fetch")],
    ["openapi-typescript", versionOf("openapi-typescript")],
    ["OpenAPI Generator", `${JSON.parse(readFileSync(path.join(repoRoot, "openapitools.json"), "utf8"))["generator-cli"].version} (wrapper @openapitools/openapi-generator-cli ${versionOf("@openapitools/openapi-generator-cli", repoRoot)})`],
    ["axios", versionOf("axios")],
    ["turbo", versionOf("turbo", repoRoot)],
    ["measured", `${new Date().toISOString().slice(0, 10)}, \`pnpm bench${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(" ")}` : ""}\` in ${fmt.s(now() - started)} (${durations.map(([id, ms]) => `${id} ${fmt.s(ms)}`).join(", ")})${only ? "; the other tables come from the previous run" : ""}`],
  ],
);

if (a["no-write"]) {
  for (const [name, text] of Object.entries(tables)) console.log(`\n## ${name}\n${text}`);
} else {
  const file = path.join(repoRoot, "BENCHMARKS.md");
  let doc = readFileSync(file, "utf8");
  for (const [name, text] of Object.entries(tables)) {
    const re = new RegExp(`(<!-- bench:${name} -->)[\\s\\S]*?(<!-- /bench:${name} -->)`);
    if (!re.test(doc)) {
      console.error(`BENCHMARKS.md has no <!-- bench:${name} --> … <!-- /bench:${name} --> markers`);
      process.exit(1);
    }
    doc = doc.replace(re, (_, open, close) => `${open}\n${text}\n${close}`);
  }
  writeFileSync(file, doc);
  console.log(`\nBENCHMARKS.md updated: ${Object.keys(tables).join(", ")} (${fmt.s(now() - started)})`);
}
