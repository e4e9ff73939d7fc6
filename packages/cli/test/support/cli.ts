// Runs the command as its bin does, in this process: `main` with arguments, an environment and
// two streams of our own. `runBin` starts the real bin in a process of its own, for the few
// tests about the process itself (a pipe, a terminal, signals). The tests take their
// expectations from the spec through @codearts-package-status/test-support, not from the code
// under test.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { main, type MainOptions } from "../../src/main.js";
import { cellRange, cellsOfLine } from "./cells.js";

/** The bin as shipped (it runs the built `dist/index.js`; turbo runs `build` before `test`). */
export const CLI = fileURLToPath(new URL("../../bin/codearts-package-status.js", import.meta.url));

/** How a run of the command ended: its exit code and everything it printed. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every run's home: an empty directory, so a developer's own ~/.huaweicloud is never read. */
export const HOME = mkdtempSync(path.join(tmpdir(), "codearts-cli-home-"));

/** What every run's environment starts from: PATH, the empty HOME, and the metadata step off. */
export const CLEAN_ENV = { PATH: process.env.PATH ?? "", HOME, CODEARTS_ECS_METADATA_DISABLED: "true" };

/** A stream for `main` that keeps what is written. */
export function collector(): MainOptions["stdout"] & { text(): string } {
  let text = "";
  return { write: (chunk: string) => void (text += chunk), text: () => text };
}

/**
 * Runs the command in this process (`main`) with only PATH, HOME (an empty directory),
 * `CODEARTS_ECS_METADATA_DISABLED=true` and `env` in its environment (`env` wins: a test that
 * reaches the metadata step points `CODEARTS_ECS_METADATA_ENDPOINT` at a loopback server and
 * clears the variable). The test setup refuses any connection to the ECS metadata address.
 */
export async function runCli(args: readonly string[], env: Record<string, string> = {}, options: Partial<MainOptions> = {}): Promise<CliResult> {
  const stdout = collector();
  const stderr = collector();
  // A clean environment: the developer's own HUAWEICLOUD_* variables must not leak into a test.
  const code = await main({ argv: args, env: { ...CLEAN_ENV, ...env }, stdout, stderr, ...options });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

// Loaded into every process the tests start with `node --import`: a connection to the ECS
// metadata address fails the run (the command would otherwise try it when no other credentials
// are found).
const METADATA_GUARD = createRequire(import.meta.url).resolve("@codearts-package-status/test-support/metadata-guard");

/** The arguments that start the bin under Node with the metadata guard loaded. */
export const BIN_ARGS = ["--import", pathToFileURL(METADATA_GUARD).href, CLI];

/** Runs the bin itself, `node bin/codearts-package-status.js ...args`, in a process of its own, with the environment of {@link runCli}. */
export function runBin(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...BIN_ARGS, ...args],
      // The buffer fits the output of hundreds of thousands of rows (execFile's default is 1 MiB).
      { env: { ...CLEAN_ENV, ...env }, timeout: 30_000, maxBuffer: 1024 ** 3 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * stderr without the closing WARNING/CRITICAL (and unlisted-status UNKNOWN) verdict lines, for tests about other output: the
 * default thresholds (30 and 7 days) judge whatever days a test's answers carry.
 */
export function withoutVerdict(stderr: string): string {
  return stderr.replace(/^codearts-package-status: (WARNING|CRITICAL|UNKNOWN: \d+ packages? in a status the spec does not list)\b.*\n/gm, "");
}

/** The exit codes of a run that asked every service successfully: OK, WARNING or CRITICAL. */
export const ANSWERED = [0, 1, 2];

/** Splits the table by the header's column positions: cells may contain single spaces. */
export function parseTable(text: string): Array<Record<string, string>> {
  const lines = text.split("\n").filter((line) => line.length > 0);
  const header = lines[0] ?? "";
  const names = header.split(/ {2,}/);
  const starts = names.map((name) => header.indexOf(name));
  // By terminal cells, as the table is aligned: a CJK value takes two a character.
  return lines.slice(1).map((line) => {
    const cells = cellsOfLine(line);
    return Object.fromEntries(names.map((name, i) => [name, cellRange(cells, starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim()]));
  });
}
