// How generation time, types size and a consumer's `tsc` time grow with the spec. Synthesizes
// specs with 10× and 100× our operations (copies of every path, operation and component under
// renamed paths, operationIds and component names), then for 1×, 10× and 100×:
//   - bundles it the way scripts/bundle-spec.mjs does (`redocly bundle`, plain and --dereferenced),
//   - runs openapi-typescript on the bundle (the CLI, as a fresh process like the pipeline's),
//   - type-checks (`tsc --noEmit`, the repo's strict base config) a consumer that calls a few
//     operations through openapi-fetch typed by the generated `paths`.
// Everything happens in bench/.growth (git-ignored, removed at the end).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { args, benchDir, bundledJson, fmt, now, repoRoot, table, toolEnv, versionOf } from "./lib/common.mjs";

const COMPONENT_KINDS = ["schemas", "parameters", "examples", "responses", "headers", "requestBodies", "securitySchemes"];

/** The spec with `factor` copies of every operation (copy 0 is the original, unchanged). */
export function synthesize(spec, factor) {
  const out = structuredClone(spec);
  for (let i = 1; i < factor; i++) {
    const suffix = `Copy${i}`;
    const renamed = (text) =>
      text.replace(/"#\/components\/(\w+)\/([^"/]+)"/g, (m, kind, name) => (kind === "securitySchemes" ? m : `"#/components/${kind}/${name}${suffix}"`));
    const paths = JSON.parse(renamed(JSON.stringify(spec.paths)));
    for (const [p, item] of Object.entries(paths)) {
      for (const op of Object.values(item)) if (op && typeof op === "object" && op.operationId) op.operationId += suffix;
      out.paths[`/copy${i}${p}`] = item;
    }
    const components = JSON.parse(renamed(JSON.stringify(spec.components)));
    for (const kind of COMPONENT_KINDS) {
      if (kind === "securitySchemes" || !components[kind]) continue;
      for (const [name, value] of Object.entries(components[kind])) out.components[kind][`${name}${suffix}`] = value;
    }
  }
  return out;
}

function operationCount(spec) {
  return Object.values(spec.paths).reduce((n, item) => n + Object.values(item).filter((op) => op?.operationId).length, 0);
}

function timed(file, argv, cwd) {
  const t0 = now();
  try {
    execFileSync(file, argv, { cwd, env: toolEnv, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  } catch (error) {
    throw new Error(`${path.basename(file)} ${argv.join(" ")} failed in ${cwd}:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
  return now() - t0;
}

const CONSUMER = (factor) => `import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

const client = createClient<paths>({ baseUrl: "https://example.invalid", headers: { "X-Auth-Token": "t" } });

export async function calls() {
  const a = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: "666666af0f00445f85dec483fbc97c78" } } });
  const b = await client.GET("/v5/{tenant_id}/api/package-specs/count-down", { params: { path: { tenant_id: "389efb76b1354e4482eabeedxxxxxxxx" }, query: { is_main: "true" } } });
  const c = await client.GET("/devreposerver/v5/data/package/info", { params: { query: { project_id: "666666af0f00445f85dec483fbc97c78" } } });
${factor > 1 ? `  const d = await client.GET("/copy${factor - 1}/v4/tenant/tenant-package-status", { params: { query: { project_id: "666666af0f00445f85dec483fbc97c78" } } });\n  return [a.data?.result?.tenantId, b.data, c.data, d.data?.result?.main_resource_list];` : "  return [a.data?.result?.tenantId, b.data, c.data];"}
}
`;

export async function run({ factors = [1, 10, 100], rounds = 2 } = {}) {
  const spec = JSON.parse(readFileSync(bundledJson, "utf8"));
  const work = path.join(benchDir, ".growth");
  rmSync(work, { recursive: true, force: true });
  const bin = (name) => path.join(repoRoot, "node_modules/.bin", name);
  const tsc = path.join(benchDir, "node_modules/typescript/bin/tsc");
  const rows = [];
  try {
    // Prepare every size first, then time them in interleaved rounds, so that load from elsewhere on
    // the machine hits every size alike; each figure is the best of its rounds (the work is
    // deterministic, noise only adds).
    const sizes = factors.map((factor) => {
      const dir = path.join(work, `x${factor}`);
      mkdirSync(dir, { recursive: true });
      const synthesized = synthesize(spec, factor);
      writeFileSync(path.join(dir, "source.json"), JSON.stringify(synthesized, null, 2));
      writeFileSync(path.join(dir, "consumer.ts"), CONSUMER(factor));
      writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({ extends: path.join(repoRoot, "tsconfig.base.json"), compilerOptions: { noEmit: true, types: [] }, files: ["consumer.ts"] }, null, 2),
      );
      return { factor, dir, operations: operationCount(synthesized), bundleMs: [], typesMs: [], tscMs: [] };
    });
    for (let r = 0; r < rounds; r++) {
      for (const s of r % 2 ? [...sizes].reverse() : sizes) {
        s.bundleMs.push(
          timed(bin("redocly"), ["bundle", "source.json", "--output", "openapi.yaml"], s.dir) +
            timed(bin("redocly"), ["bundle", "source.json", "--dereferenced", "--ext", "json", "--output", "openapi.dereferenced.json"], s.dir),
        );
        s.typesMs.push(timed(bin("openapi-typescript"), ["openapi.yaml", "--output", "schema.d.ts"], s.dir));
        s.tscMs.push(timed(process.execPath, [tsc, "-p", "tsconfig.json"], s.dir));
      }
    }
    for (const s of sizes) {
      rows.push({
        factor: s.factor,
        operations: s.operations,
        bundleMs: Math.min(...s.bundleMs),
        typesMs: Math.min(...s.typesMs),
        typesBytes: statSync(path.join(s.dir, "schema.d.ts")).size,
        tscMs: Math.min(...s.tscMs),
        rounds: { bundleMs: s.bundleMs, typesMs: s.typesMs, tscMs: s.tscMs },
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const base = rows[0];
  const ratio = (v, b) => fmt.ratio(v / b);
  const text = [
    table(
      ["spec", "operations", "bundle (redocly ×2)", "openapi-typescript", "generation total", "vs 1×", "types (.d.ts)", "vs 1×", "consumer `tsc --noEmit`", "vs 1×"],
      rows.map((r) => [
        `${r.factor}×`,
        fmt.int(r.operations),
        fmt.s(r.bundleMs),
        fmt.s(r.typesMs),
        fmt.s(r.bundleMs + r.typesMs),
        ratio(r.bundleMs + r.typesMs, base.bundleMs + base.typesMs),
        `${fmt.int(r.typesBytes)} B`,
        ratio(r.typesBytes, base.typesBytes),
        fmt.s(r.tscMs),
        ratio(r.tscMs, base.tscMs),
      ]),
      ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
    ),
    "",
    `Copies rename every path (\`/copyN/…\`), operationId and component (\`…CopyN\`); each tool runs as a fresh process, as in \`pnpm generate\`. ` +
      `The consumer calls 3–4 operations through openapi-fetch typed by the generated \`paths\`, checked with the repo's \`tsconfig.base.json\` ` +
      `(strict, \`skipLibCheck: false\`, so the generated .d.ts is checked too); every time is the best of ${rounds} interleaved rounds. ` +
      `@redocly/cli ${versionOf("@redocly/cli", repoRoot)}, openapi-typescript ${versionOf("openapi-typescript")}, TypeScript ${versionOf("typescript")}.`,
  ].join("\n");
  return { rows, tables: { growth: text } };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const a = args();
  const out = await run(a.quick ? { factors: [1, 10], rounds: 1 } : {});
  if (a.json) {
    mkdirSync(path.dirname(a.json), { recursive: true });
    writeFileSync(a.json, JSON.stringify(out, null, 2));
  }
  console.log(out.tables.growth);
}
