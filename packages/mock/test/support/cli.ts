// Runs the mock's command as shipped (turbo builds it before `test`) and kills what it started.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Path of the built command, `dist/cli.js`. */
export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

const children: ChildProcess[] = [];

/** Throws when the command has not been built, with what to run instead of a confusing spawn failure. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm build\` first`);
}

/** Kills every command started by {@link runCli} that is still running; call it after each test. */
export function killCliChildren(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** A started command: its process, its first line of stdout (the URL) and its exit. */
export interface RunningCli {
  /** The command's process. */
  child: ChildProcess;
  /** First line the command printed; rejects if it exits before printing one. */
  firstLine: Promise<string>;
  /** Exit code and everything written to stderr. */
  exit: Promise<{ code: number | null; stderr: string }>;
}

/** Starts the command with `args`. */
export function runCli(args: string[]): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0] ?? "");
    });
    void exit.then(({ code }) => reject(new Error(`CLI exited with ${code}: ${stderr}`)));
  });
  // Tests of failing invocations never await the URL; its rejection is expected there.
  firstLine.catch(() => undefined);
  return { child, firstLine, exit };
}
