// Bundle size of a small consumer that calls one operation (bench/consumers/*.ts), bundled the
// way an application would be: esbuild, browser platform, ESM, minified, tree-shaken, with code
// splitting so that a dynamic import() becomes its own lazily loaded chunk. "Initial" is the
// entry chunk plus every chunk it imports statically; lazy chunks are reported apart.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { args, benchDir, fmt, table, versionOf } from "./lib/common.mjs";

/**
 * What is measured. Both limits are bytes (gzip) of what the consumer's call loads: the initial
 * load plus the lazy chunks that call needs (`loads`). `target` is the goal the project set;
 * `budget` is the ceiling CI enforces (`pnpm size`), so that the size can only go down.
 */
export const CONSUMERS = [
  // With a region and nothing else, a browser call goes to the spec's table directly: no
  // environment or regions file can override it, so the endpoints module stays unloaded.
  { id: "client-token", name: "our client, token", loads: [], target: 6 * 1024, budget: 6 * 1024 },
  // AK/SK loads the signer on its first request.
  { id: "client-aksk", name: "our client, AK/SK", loads: ["signer"], target: 8 * 1024, budget: 8 * 1024 },
  // An `endpoints` option loads the endpoint resolution on the first call.
  { id: "client-token-endpoints", name: "our client, token, `endpoints` option", loads: ["endpoints"] },
  { id: "client-token-validated", name: "our client, token + `validateResponses`", loads: ["validation"] },
  // The raw openapi-fetch surface (`client.GET(path)`) loads openapi-fetch on its first call.
  { id: "client-token-raw", name: "our client, token, raw `client.GET`", loads: ["openapi-fetch"] },
  { id: "openapi-fetch", name: "bare openapi-fetch + `paths`" },
  { id: "typescript-fetch", name: "typescript-fetch (OpenAPI Generator)", needsGenerated: true },
  { id: "axios", name: "axios" },
  { id: "raw-fetch", name: "raw `fetch`" },
];

/** The modules the client loads lazily, each recognised by an input of the chunk that holds it. */
export const LAZY_MODULES = {
  signer: /packages\/client\/dist\/(signer|internal\/sign)\.js$/,
  validation: /packages\/client\/dist\/internal\/validation\.js$/,
  // Redaction of credentials a server echoes, loaded on a call's first failure.
  redaction: /packages\/client\/dist\/internal\/redact\.js$/,
  "openapi-fetch": /node_modules\/openapi-fetch\/dist\/index\.mjs$/,
  // The credential providers and their cache, loaded by a client without static credentials.
  providers: /packages\/client\/dist\/internal\/provide\.js$/,
  // Endpoint overrides, failover and tenant discovery: loaded on the first call where an override
  // may apply (an `endpoints` option, an environment), on a failover, or to find the tenant ID.
  endpoints: /packages\/client\/dist\/internal\/endpoints\.js$/,
};

/**
 * Bundles one consumer. Returns the initial load (the entry chunk and what it imports
 * statically), each lazy module's own chunks (the chunk holding it and what that imports
 * statically beyond the initial load), which lazy modules sit in the initial load, and what the
 * consumer's call loads in all.
 */
export async function measure(consumer) {
  const { id } = consumer;
  const outdir = mkdtempSync(path.join(os.tmpdir(), `bench-bundle-${id}-`));
  try {
    const result = await build({
      entryPoints: [path.join(benchDir, "consumers", `${id}.ts`)],
      absWorkingDir: benchDir,
      bundle: true,
      minify: true,
      treeShaking: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outdir,
      write: false,
      metafile: true,
      legalComments: "none",
      logLevel: "silent",
    });
    const files = new Map(result.outputFiles.map((f) => [path.relative(benchDir, f.path), f.contents]));
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((o) => outputs[o].entryPoint && o.endsWith(".js"));
    const closure = (start, exclude = new Set()) => {
      const seen = new Set();
      const visit = (o) => {
        if (seen.has(o) || exclude.has(o)) return;
        seen.add(o);
        for (const imp of outputs[o].imports) if (imp.kind === "import-statement" && !imp.external) visit(imp.path);
      };
      visit(start);
      return seen;
    };
    const sizeOf = (names) => {
      const bytes = [...names].map((n) => files.get(n));
      return { min: bytes.reduce((s, b) => s + b.length, 0), gzip: bytes.reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0) };
    };
    const holds = (o, pattern) => Object.keys(outputs[o].inputs).some((i) => pattern.test(i));
    const initial = closure(entry);
    const jsOutputs = Object.keys(outputs).filter((o) => o.endsWith(".js"));
    const lazyModules = {};
    const inInitial = [];
    for (const [name, pattern] of Object.entries(LAZY_MODULES)) {
      if ([...initial].some((o) => holds(o, pattern))) inInitial.push(name);
      const home = jsOutputs.find((o) => !initial.has(o) && holds(o, pattern));
      if (home) lazyModules[name] = { chunks: [...closure(home, initial)], ...sizeOf(closure(home, initial)) };
    }
    const loaded = new Set(initial);
    for (const name of consumer.loads ?? []) {
      if (!lazyModules[name] && !inInitial.includes(name)) throw new Error(`${id}: nothing loads ${name}`);
      for (const chunk of lazyModules[name]?.chunks ?? []) loaded.add(chunk);
    }
    return { id, initial: sizeOf(initial), loaded: sizeOf(loaded), lazyModules, inInitial };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const lazyCell = (m) =>
  Object.entries(m.lazyModules)
    .map(([name, size]) => `${name} ${fmt.kib(size.gzip)}`)
    .join(", ") || "none";

export async function run() {
  const generatedReady = existsSync(path.join(benchDir, "generated-typescript-fetch/index.ts"));
  if (!generatedReady) {
    const { generateTypescriptFetch } = await import("./generate-typescript-fetch.mjs");
    await generateTypescriptFetch();
  }
  const rows = [];
  const measured = {};
  for (const c of CONSUMERS) {
    const m = await measure(c);
    measured[c.id] = m;
    rows.push([
      c.name,
      fmt.kib(m.initial.min),
      `**${fmt.kib(m.initial.gzip)}**`,
      c.loads ? `**${fmt.kib(m.loaded.gzip)}**${c.loads.length ? ` (+ ${c.loads.join(", ")})` : ""}` : "",
      lazyCell(m),
      c.target ? `≤ ${fmt.kib(c.target)}: ${m.loaded.gzip <= c.target ? "met" : "**over**"}` : "",
      c.budget ? `≤ ${fmt.kib(c.budget)}: ${m.loaded.gzip <= c.budget ? "within" : "**over**"}` : "",
    ]);
  }
  const token = measured["client-token"];
  const text = [
    table(
      ["consumer", "initial load, minified", "initial load, gzip", "the call loads, gzip", "lazy chunks, gzip", "target", "CI budget"],
      rows,
      ["l", "r", "r", "r", "l", "l", "l"],
    ),
    "",
    `esbuild ${versionOf("esbuild")}, \`--bundle --minify --splitting --format=esm --platform=browser --target=es2022\`, gzip level 9; ` +
      `openapi-fetch ${versionOf("openapi-fetch")}, axios ${versionOf("axios")}. Consumers: \`bench/consumers/*.ts\`. ` +
      "\"The call loads\" is the initial load plus the lazy chunks the consumer's call fetches (and what they import); the target and the budget apply to it.",
    "",
    `Lazy modules of our client: ${Object.keys(LAZY_MODULES)
      .map((name) => `\`${name}\` ${token.inInitial.includes(name) ? "**in the initial load**" : token.lazyModules[name] ? `lazy (${fmt.kib(token.lazyModules[name].gzip)} gzip)` : "absent"}`)
      .join(", ")} in the token consumer's bundle. The signer loads on the first signed request, the response schemas on the first validated response, ` +
      "openapi-fetch on the first raw call (or the first resource call with middleware registered), the providers on the first request without static credentials, " +
      "the endpoints on the first call where an override may apply (an `endpoints` option, or Node's environment), on a failover or to discover the tenant ID; a browser client with only a region calls the table's host without it. " +
      "A bundler still emits each as a chunk because the client's `import()` of it stays reachable.",
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
