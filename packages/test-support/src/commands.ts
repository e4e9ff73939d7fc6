// Running the repository's tools from tests (pnpm, git, the spec gate, npm) the same way in every
// suite: quiet, offline-friendly, with a git identity for throwaway repositories.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";

/** The environment of every command: no telemetry, no update notices, no prompts, a git identity. */
export const commandEnv: NodeJS.ProcessEnv = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  REDOCLY_SUPPRESS_NODE_VERSION_WARNING: "true",
  NPM_CONFIG_UPDATE_NOTIFIER: "false",
  NPM_CONFIG_FUND: "false",
  NPM_CONFIG_AUDIT: "false",
  COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
  GIT_AUTHOR_NAME: "codearts-package-status tests",
  GIT_AUTHOR_EMAIL: "tests@example.invalid",
  GIT_COMMITTER_NAME: "codearts-package-status tests",
  GIT_COMMITTER_EMAIL: "tests@example.invalid",
};

const execFileAsync = promisify(execFile);

/** A finished command: its exit code and output. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; never throws on a non-zero exit, returns it with its output. */
export async function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd, env: { ...commandEnv, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}

/** Like `run`, but a non-zero exit fails with the command's output. */
export async function ok(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<CommandResult> {
  const result = await run(command, args, cwd, extraEnv);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Runs git in `cwd`, throwing on failure; its output. */
export function gitSync(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, env: commandEnv, encoding: "utf8" });
}

/** `git init` (when `init`) + one commit of everything in `dir`. */
export function commitAll(dir: string, message: string, init = false): void {
  if (init) gitSync(dir, ["init", "-q", "-b", "main"]);
  gitSync(dir, ["add", "-A"]);
  gitSync(dir, ["commit", "-q", "--no-verify", "--allow-empty", "-m", message]);
}
