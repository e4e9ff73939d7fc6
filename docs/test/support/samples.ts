// Runs the generated code samples (@codearts-package-status/openapi/code-samples.json) the way a
// reader would: curl with the real binary, the TypeScript samples type-checked by tsc against the
// built packages and then executed by node, the CLI sample through the installed bin. Each is
// first pointed at a mock on loopback, and only there.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
const docsRoot = path.resolve(here, "../..");
const require = createRequire(import.meta.url);

/** One sample as the reference shows it (`x-codeSamples`). */
export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/** The samples of one operation, with what they name and what they must print. */
export interface SampleSet {
  service: string;
  method: string;
  path: string;
  supporting: boolean;
  baseUrl: string;
  region: string;
  target: string;
  tokenVariable: string;
  expected: { status: number; example: string | null; value: unknown };
  samples: CodeSample[];
  omitted: Array<{ label: string; reason: string }>;
}

/** The generated samples, keyed by operationId, exactly as the openapi package publishes them. */
export const codeSamples = (require("@codearts-package-status/openapi/code-samples.json") as { operations: Record<string, SampleSet> }).operations;

/** What a sample printed and how it ended. */
export interface SampleRun {
  code: number;
  stdout: string;
  stderr: string;
}

// Anything that escapes the rewrite goes to a closed port instead of the Internet: curl and the
// CLI honour the proxy variables, node samples get the fetch guard preloaded.
const SANDBOX_ENV = {
  HTTPS_PROXY: "http://127.0.0.1:9",
  HTTP_PROXY: "http://127.0.0.1:9",
  https_proxy: "http://127.0.0.1:9",
  http_proxy: "http://127.0.0.1:9",
  NO_PROXY: "127.0.0.1,localhost",
  no_proxy: "127.0.0.1,localhost",
  NODE_OPTIONS: `--import=${path.join(here, "loopback-only.mjs")}`,
  NO_COLOR: "1",
};

function exec(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<SampleRun> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ...SANDBOX_ENV, ...options.env }, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

function replaceOnce(source: string, find: string, replacement: string, what: string): string {
  const at = source.indexOf(find);
  if (at < 0 || source.indexOf(find, at + 1) >= 0) throw new Error(`${what}: expected ${JSON.stringify(find)} exactly once in the sample`);
  return source.slice(0, at) + replacement + source.slice(at + find.length);
}

/** The services the command-line tool asks: every service with an operation it calls. */
export const cliServices = [...new Set(Object.values(codeSamples).filter((s) => !s.supporting).map((s) => s.service))];

/** The sample, pointed at the mock: its base URL (curl), its region (TypeScript, CLI) replaced. */
export function pointAtMock(set: SampleSet, sample: CodeSample, mockUrl: string): string {
  if (sample.label === "curl") return replaceOnce(sample.source, set.baseUrl, mockUrl, "curl");
  if (sample.label === "CLI") {
    const endpoints = cliServices.map((service) => `--endpoint-${service} ${mockUrl}`).join(" ");
    return replaceOnce(sample.source, `--region ${set.region}`, endpoints, "CLI");
  }
  return replaceOnce(sample.source, `region: ${JSON.stringify(set.region)}`, `endpoints: { ${set.service}: ${JSON.stringify(mockUrl)} }`, sample.label);
}

/** Runs a shell sample (curl, CLI) with bash, the token in its variable and the CLI on the PATH. */
export async function runShellSample(source: string, env: Record<string, string>): Promise<SampleRun> {
  const bin = mkdtempSync(path.join(os.tmpdir(), "samples-bin-"));
  try {
    symlinkSync(require.resolve("@codearts-package-status/cli/package.json").replace(/package\.json$/, "bin/codearts-package-status.js"), path.join(bin, "codearts-package-status"));
    return await exec("bash", ["-euo", "pipefail", "-c", source], { cwd: bin, env: { ...env, PATH: `${bin}:${process.env.PATH ?? ""}` } });
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

/** TypeScript samples, type-checked together by tsc against the built packages, then each run by node. */
export class TypeScriptSamples {
  readonly dir: string;
  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Writes the samples into a fresh project that resolves the workspace's packages, and compiles them; tsc's errors throw. */
  static async compile(files: Record<string, string>): Promise<TypeScriptSamples> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "samples-ts-"));
    const project = new TypeScriptSamples(dir);
    try {
      symlinkSync(path.join(docsRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
      mkdirSync(path.join(dir, "src"));
      for (const [name, source] of Object.entries(files)) writeFileSync(path.join(dir, "src", `${name}.ts`), source);
      writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({
          extends: path.join(docsRoot, "../tsconfig.base.json"),
          compilerOptions: { outDir: "out", rootDir: "src", declaration: false, skipLibCheck: true, types: ["node"] },
          include: ["src/**/*.ts"],
        }),
      );
      const tsc = await exec(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: dir, env: {} });
      if (tsc.code !== 0) throw new Error(`tsc rejected the samples:\n${tsc.stdout}${tsc.stderr}`);
      return project;
    } catch (error) {
      project.remove();
      throw error;
    }
  }

  /** Runs one compiled sample with node. */
  run(name: string, env: Record<string, string>): Promise<SampleRun> {
    return exec(process.execPath, [path.join(this.dir, "out", `${name}.js`)], { cwd: this.dir, env });
  }

  /** Deletes the project. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A file name for a sample: its operation and label, in letters and digits. */
export const sampleFileName = (operationId: string, sample: CodeSample): string => `${operationId}-${sample.label.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}`;

/** Whether a sample is TypeScript (type-checked and run by node) rather than shell. */
export const isTypeScript = (sample: CodeSample): boolean => sample.lang === "TypeScript";

/** Every string in a JSON value, at any depth. */
export function stringLeaves(value: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === "string") out.add(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") Object.values(node).forEach(walk);
  };
  walk(value);
  return out;
}

/** A running mock as the checks need it: its URL and the requests it answered. */
export interface MockLike {
  url: string;
  requests: Array<{ operationId?: string; status: number }>;
}

/**
 * Runs one sample against the mock and throws unless it did what the reference promises: it
 * called its operation, got the documented default answer, and printed it (the CLI: its rows of
 * that service, every value taken from the documented example). `ts` holds the compiled samples.
 */
export async function checkSample(operationId: string, set: SampleSet, sample: CodeSample, mock: MockLike, ts?: TypeScriptSamples): Promise<void> {
  const env = { [set.tokenVariable]: "sample-token-for-the-mock" };
  mock.requests.length = 0;
  let result: SampleRun;
  if (isTypeScript(sample)) {
    if (!ts) throw new Error("TypeScript samples must be compiled first");
    result = await ts.run(sampleFileName(operationId, sample), env);
  } else {
    result = await runShellSample(pointAtMock(set, sample, mock.url), env);
  }
  const called = mock.requests.filter((r) => r.operationId === operationId);
  if (called.length === 0) throw new Error(`the ${sample.label} sample never called ${operationId}:\n${result.stderr}`);
  if (called.some((r) => r.status !== set.expected.status)) throw new Error(`the mock answered ${called.map((r) => r.status).join(", ")}, not ${set.expected.status}:\n${result.stderr}`);
  let printed: unknown;
  try {
    printed = JSON.parse(result.stdout);
  } catch {
    throw new Error(`the ${sample.label} sample printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  if (sample.label !== "CLI") {
    if (result.code !== 0) throw new Error(`the ${sample.label} sample exited ${result.code}:\n${result.stderr}`);
    if (!isDeepStrictEqual(printed, set.expected.value)) throw new Error(`the ${sample.label} sample printed ${JSON.stringify(printed)}, not the documented ${JSON.stringify(set.expected.value)}`);
    return;
  }
  // The CLI turns three answers into one list of rows: the check is that this service answered,
  // and that what the rows show of it comes from the documented example.
  const report = printed as { errors: Array<{ service: string; message: string }>; packages: Array<Record<string, unknown>> };
  const failed = report.errors.filter((e) => e.service === set.service);
  if (failed.length > 0) throw new Error(`the CLI reported ${set.service} as failed: ${failed.map((e) => e.message).join("; ")}`);
  const rows = report.packages.filter((row) => row.service === set.service);
  if (rows.length === 0) throw new Error(`the CLI printed no row of ${set.service}`);
  const documented = stringLeaves(set.expected.value);
  for (const row of rows) {
    for (const field of ["resourceType", "specCode", "renewalUrl"]) {
      const value = row[field];
      if (value !== null && value !== undefined && !documented.has(String(value))) throw new Error(`the CLI's ${field} ${JSON.stringify(value)} is not in the documented example`);
    }
  }
}
