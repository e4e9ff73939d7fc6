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

/**
 * A stream `main` writes to: `process.stdout`, or anything with `write`. A write that throws, or
 * a Node.js Writable's failed write or 'error' event, is handled by `main` (see {@link main}).
 */
export interface Output {
  /**
   * Takes a text. A stream that also has `on` (a Node.js Writable: process.stdout, a file, a
   * socket) is given a callback, and must call it once the text is written or has failed, as
   * Node's streams do: `main` resolves only after every callback.
   */
  write(text: string, callback?: (error?: Error | null) => void): unknown;
  /** Where a Node.js Writable reports that a write failed. */
  on?(event: "error", listener: (error: Error) => void): unknown;
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
 * to its exit code ({@link EXIT}) once `stdout` and `stderr` have taken everything written; never
 * rejects, and prints no stack: a problem is one line on stderr and exit code 3.
 *
 * When stdout's reader has gone (`EPIPE`: `| head -1`), nothing more is written there and the
 * exit code is still the run's. Any other failure to write stdout (`ENOSPC` on a full disk,
 * `EBADF`) makes it 3, with one line on stderr. A failing stderr is written to no more and
 * changes nothing else. The exporter keeps serving through all of these.
 */
export async function main(options: MainOptions): Promise<ExitCode> {
  const output = guardedOutput(options.stdout, options.stderr);
  const code = await runCommand(options, output);
  await output.settled();
  return output.stdoutFailed() ? EXIT.unknown : code;
}

async function runCommand(options: MainOptions, output: GuardedOutput): Promise<ExitCode> {
  const { env } = options;
  const { stdout, stderr } = output;
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
    for (const line of problemLines(PROGRAM, error)) stderr(line);
    return EXIT.unknown;
  }
}

/**
 * What a command that stopped on `error` writes on stderr, one line per problem, each led by
 * `program` and escaped (a message can quote a variable's value, an unknown region, and the value
 * may be anything), the pointer to --help once, after the last usage problem. Only the message,
 * never the error object or a stack: its fields could hold a flag's value.
 */
export function problemLines(program: string, error: unknown): string[] {
  const problems = error instanceof UsageErrors ? error.problems : [(error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ")];
  return problems.map((problem, index) => {
    const last = index === problems.length - 1;
    return `${program}: ${escapeText(problem)}${last && error instanceof UsageErrors ? ` (see ${program} --help)` : ""}\n`;
  });
}

/** The two streams as `main` writes them: every failure of either is handled in here. */
interface GuardedOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves once every write so far has been taken or has failed. */
  settled: () => Promise<void>;
  /** Whether stdout failed otherwise than by its reader leaving. */
  stdoutFailed: () => boolean;
}

function guardedOutput(stdoutStream: Output, stderrStream: Output): GuardedOutput {
  const streams = { stdout: stdoutStream, stderr: stderrStream };
  const lost = { stdout: false, stderr: false };
  let failed = false;
  let pending = 0;
  let idle: (() => void) | undefined;
  const done = (): void => {
    if (--pending === 0) idle?.();
  };

  const fail = (name: keyof typeof streams, error: unknown): void => {
    if (lost[name]) return;
    lost[name] = true;
    // A reader that left (`| head -1`) has read all it wanted, and a stderr that cannot take
    // notes leaves the run's outcome as it was: neither is a failure of the command.
    const code = (error as { code?: unknown } | null)?.code;
    if (name === "stderr" || code === "EPIPE") return;
    failed = true;
    const message = error instanceof Error ? error.message : typeof code === "string" ? code : String(error);
    write("stderr", `${PROGRAM}: cannot write to stdout: ${escapeText(message.replace(/\s*\n\s*/g, " "))}\n`);
  };

  function write(name: keyof typeof streams, text: string): void {
    if (lost[name]) return;
    const stream = streams[name];
    // Only a Node.js Writable is known to call back: another stream is taken at its word.
    if (typeof stream.on !== "function") {
      try {
        stream.write(text);
      } catch (error) {
        fail(name, error);
      }
      return;
    }
    pending++;
    let called = false;
    try {
      stream.write(text, (error) => {
        if (called) return;
        called = true;
        if (error) fail(name, error);
        done();
      });
    } catch (error) {
      fail(name, error);
      if (!called) {
        called = true;
        done();
      }
    }
  }

  // Node emits a failed write as 'error' too, and an unheard 'error' ends the process with a
  // stack: heard here, for as long as the stream lives (the exporter writes until it stops).
  stdoutStream.on?.("error", (error) => fail("stdout", error));
  stderrStream.on?.("error", (error) => fail("stderr", error));

  return {
    stdout: (text) => write("stdout", text),
    stderr: (text) => write("stderr", text),
    settled: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve))),
    stdoutFailed: () => failed,
  };
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
