// Bundle size of a small consumer that calls one operation (bench/consumers/*.ts), measured as one
// number that lazy loading cannot game: the consumer bundled into a single file with everything it
// can reach (esbuild, browser platform, ESM, minified, tree-shaken, no code splitting, so a dynamic
// import() is inlined rather than left in a chunk), minified bytes and gzip (level 9).
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { args, benchDir, fmt, table, versionOf } from "./lib/common.mjs";

/** The budget of our client's consumers, in bytes of gzip of the single file (`pnpm size` enforces it). */
export const BUDGET = 18 * 1024;

/** What is measured; `budget: true` marks the consumers `pnpm size` holds to {@link BUDGET}. */
export const CONSUMERS = [
  { id: "client-token", name: "our client, token", budget: true },
  { id: "client-aksk", name: "our client, AK/SK", budget: true },
  { id: "client-token-endpoints", name: "our client, token, `endpoints` option" },
  { id: "client-token-validated", name: "our client, token + `validateResponses`" },
  { id: "client-token-raw", name: "our client, token, raw `client.GET`" },
  { id: "openapi-fetch", name: "bare openapi-fetch + `paths`" },
  { id: "typescript-fetch", name: "typescript-fetch (OpenAPI Generator)" },
  { id: "axios", name: "axios" },
  { id: "raw-fetch", name: "raw `fetch`" },
];

/** Bundles one consumer into a single file; returns its size, minified and gzip, in bytes. */
export async function measure(id) {
  const result = await build({
    entryPoints: [path.join(benchDir, "consumers", `${id}.ts`)],
    absWorkingDir: benchDir,
    bundle: true,
    minify: true,
    treeShaking: true,
    splitting: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outfile: path.join(benchDir, ".results", `bundle-${id}.js`),
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  const js = result.outputFiles.filter((f) => f.path.endsWith(".js"));
  if (js.length !== 1) throw new Error(`${id}: expected one output file, got ${js.length}`);
  const bytes = js[0].contents;
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export async function run() {
  if (!existsSync(path.join(benchDir, "generated-typescript-fetch/index.ts"))) {
    const { generateTypescriptFetch } = await import("./generate-typescript-fetch.mjs");
    await generateTypescriptFetch();
  }
  const measured = {};
  const rows = [];
  for (const c of CONSUMERS) {
    const m = (measured[c.id] = await measure(c.id));
    rows.push([c.name, fmt.kib(m.min), `**${fmt.kib(m.gzip)}**`, c.budget ? `≤ ${fmt.kib(BUDGET)}: ${m.gzip <= BUDGET ? "within" : "**over**"}` : ""]);
  }
  const text = [
    table(["consumer", "single file, minified", "single file, gzip", "CI budget (gzip)"], rows, ["l", "r", "r", "l"]),
    "",
    `esbuild ${versionOf("esbuild")}, \`--bundle --minify --format=esm --platform=browser --target=es2022\` (no \`--splitting\`: one file), gzip level 9; ` +
      `openapi-fetch ${versionOf("openapi-fetch")}, axios ${versionOf("axios")}. Consumers: \`bench/consumers/*.ts\`. ` +
      "Each consumer is one file holding everything it can reach, whether or not its call runs it.",
  ].join("\n");
  return { measured, tables: { "bundle-size": text } };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const a = args();
  const out = await run();
  if (a.json) {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(path.dirname(a.json), { recursive: true });
    writeFileSync(a.json, JSON.stringify(out, null, 2));
  }
  console.log(out.tables["bundle-size"]);
}
