// Shared by every benchmark script: locations, the machine description, timing and statistics.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The repository's own locations and tool environment, shared with its generation scripts.
export { bundledJson, repoRoot, toolEnv } from "../../scripts/lib/repo.mjs";

/** The bench package folder. */
export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Where the bench scripts leave their JSON results for run.mjs (git-ignored). */
export const resultsDir = path.join(benchDir, ".results");

/** Milliseconds since an arbitrary origin, high resolution. */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function min(values) {
  return Math.min(...values);
}

/** Version of an installed package, resolved from the bench package (or the given folder). */
export function versionOf(name, from = benchDir) {
  // Walk up node_modules folders, as Node's resolution does, without needing an export for package.json.
  let dir = from;
  for (;;) {
    try {
      return JSON.parse(readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return "not installed";
      dir = parent;
    }
  }
}

/** What BENCHMARKS.md says about the machine a table was measured on. */
export function machine() {
  let javaLine = "none";
  try {
    // `java -version` prints to stderr.
    javaLine = execFileSync("sh", ["-c", "java -version 2>&1 | head -1"], { encoding: "utf8" }).trim() || "none";
  } catch {
    /* no JVM */
  }
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model?.trim() ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    java: javaLine,
  };
}

/** Renders rows (arrays of cells) as a Markdown table. */
export function table(header, rows, align) {
  const sep = header.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  return [header, sep, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

export const fmt = {
  ms: (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)),
  s: (ms) => `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`,
  ratio: (v) => `${v.toFixed(2)}×`,
  int: (v) => Math.round(v).toLocaleString("en-US"),
  kib: (bytes) => `${(bytes / 1024).toFixed(2)} KiB`,
};

/** Parses `--name value` / `--flag` arguments. */
export function args(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      out[key] = next;
      i++;
    } else out[key] = true;
  }
  return out;
}
