// The command-line tool as a function: arguments, environment and streams in, exit code out, with
// nothing read from or written to the process itself, so that tests run it in-process. The bin
// (bin/codearts-package-status.js) only hands it the process's own.
import { createRequire } from "node:module";
import { environmentSettings, type Env } from "@codearts-package-status/client";
import { parseCommandLine, projectFromEnv, UsageErrors, type Command } from "./command-line.js";
import { escapeText } from "./escape.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { exporterCommand } from "./exporter/command.js";
import { run } from "./run.js";
import { terminalFor } from "./terminal.js";
import { EXPORTER_USAGE, PROGRAM, USAGE } from "./usage.js";

/** A stream `main` writes to: `process.stdout`, or anything with `write`. */
export interface Output {
  write(text: string): unknown;
  /** True for a terminal (color, and a table cut to its width). */
  isTTY?: boolean | undefined;
  /** A terminal's width in columns. */
  columns?: number | undefined;
}

/** Where the exporter hears that it should stop: `process`, or any emitter of these two events. */
export interface Signals {
  once(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
}

/** What `main` runs with. */
export interface MainOptions {
  /** The arguments after the program's name: `["--region", "cn-north-4"]`, `["exporter", "--listen", ":9842"]`. */
  argv: readonly string[];
  /** The environment: the client reads its settings from it (credentials, region, endpoints), the command its own. */
  env: Env;
  stdout: Output;
  stderr: Output;
  /** Where the exporter listens for SIGTERM and SIGINT; without it, the exporter runs until its process ends. */
  signals?: Signals | undefined;
  /** A monotonic clock in milliseconds for the exporter's cache; default `performance.now`. */
  now?: (() => number) | undefined;
}

/**
 * Runs `codearts-package-status` (the report) or `codearts-package-status exporter` and resolves
 * to its exit code ({@link EXIT}); never rejects, and prints no stack: a problem is one line on
 * stderr and exit code 3.
 */
export async function main(options: MainOptions): Promise<ExitCode> {
  const { env } = options;
  const stdout = (text: string): void => void options.stdout.write(text);
  const stderr = (text: string): void => void options.stderr.write(text);
  const command: Command = options.argv[0] === "exporter" ? "exporter" : "report";
  const argv = command === "exporter" ? options.argv.slice(1) : options.argv;
  try {
    // No arguments and nothing configured in the environment is someone finding out what the
    // command does, not a missing --region; a cron job configured by variables alone still runs.
    if (command === "report" && argv.length === 0 && !configured(env)) return stderr(`${USAGE}\n`), EXIT.unknown;
    const terminal = command === "report" ? terminalFor(options.stdout, env) : { color: false, width: undefined };
    const settings = await parseCommandLine(command, argv, env, terminal);
    if (settings === "help") return stdout(`${command === "report" ? USAGE : EXPORTER_USAGE}\n`), EXIT.ok;
    if (settings === "version") return stdout(`${version()}\n`), EXIT.ok;
    if (command === "report") return await run(settings, { stdout, stderr });
    const stopped = new Promise<void>((resolve) => {
      options.signals?.once("SIGTERM", resolve);
      options.signals?.once("SIGINT", resolve);
    });
    return await exporterCommand(settings, { stdout, stderr, version: version(), stopped, now: options.now ?? (() => performance.now()) });
  } catch (error) {
    // Only the message, never the error object or a stack: its fields could hold a flag's value.
    const problems = error instanceof UsageErrors ? error.problems : [(error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ")];
    // One line per problem, the pointer to --help once, after the last. Escaped: a message can
    // quote a variable's value (an unknown region), and the value may be anything.
    problems.forEach((problem, index) => {
      const last = index === problems.length - 1;
      stderr(`${PROGRAM}: ${escapeText(problem)}${last && error instanceof UsageErrors ? ` (see ${PROGRAM} --help)` : ""}\n`);
    });
    return EXIT.unknown;
  }
}

// A target in the environment: a region, a tenant or a project. (Credentials alone name nothing
// to report on: without a region the run could only fail.)
function configured(env: Env): boolean {
  const { region, tenantId } = environmentSettings(env);
  return region !== undefined || tenantId !== undefined || projectFromEnv(env) !== undefined;
}

function version(): string {
  // Read at run time rather than bundled, so the number printed is always the installed package's.
  return (createRequire(import.meta.url)("../package.json") as { version: string }).version;
}
