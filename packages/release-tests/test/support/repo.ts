// The repository these tests check, its workspace packages, and running commands in it or in a
// copy of it.
import { execFile, execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** This package's folder. */
export const packageDir = path.resolve(fileURLToPath(import.meta.url), "../../..");
/** The repository's root. */
export const repoRoot = path.resolve(packageDir, "../..");

/** The environment of every command: no telemetry, no update notices, no prompts, a git identity. */
export const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  REDOCLY_SUPPRESS_NODE_VERSION_WARNING: "true",
  NPM_CONFIG_UPDATE_NOTIFIER: "false",
  NPM_CONFIG_FUND: "false",
  NPM_CONFIG_AUDIT: "false",
  COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
  GIT_AUTHOR_NAME: "release-tests",
  GIT_AUTHOR_EMAIL: "release-tests@example.invalid",
  GIT_COMMITTER_NAME: "release-tests",
  GIT_COMMITTER_EMAIL: "release-tests@example.invalid",
};

const execFileAsync = promisify(execFile);

/** A finished command: its exit code and output. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; never throws on a non-zero exit, returns it. */
export async function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd, env: { ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}

/** Like `run`, but a non-zero exit fails with the command's output. */
export async function ok(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<Result> {
  const result = await run(command, args, cwd, extraEnv);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** `git init` (when `init`) + one commit of everything in `dir`. */
export function commitAll(dir: string, message: string, init = false): void {
  const git = (args: string[]) => execFileSync("git", args, { cwd: dir, env, encoding: "utf8" });
  if (init) git(["init", "-q", "-b", "main"]);
  git(["add", "-A"]);
  git(["commit", "-q", "--no-verify", "--allow-empty", "-m", message]);
}

/** One package of the pnpm workspace. */
export interface WorkspacePackage {
  name: string;
  version: string;
  path: string;
  private: boolean;
}

/** Every workspace package, as pnpm sees it (the root excluded). */
export function workspacePackages(root = repoRoot): WorkspacePackage[] {
  const listed = JSON.parse(execFileSync("pnpm", ["ls", "-r", "--depth", "-1", "--json"], { cwd: root, env, encoding: "utf8" })) as Array<{
    name?: string;
    version?: string;
    path: string;
    private?: boolean;
  }>;
  return listed
    .filter((p) => path.resolve(p.path) !== path.resolve(root) && p.name)
    .map((p) => ({ name: p.name as string, version: p.version ?? "0.0.0", path: p.path, private: p.private === true }));
}

/** The packages that `pnpm publish -r` publishes: every workspace package not marked private. */
export function publishablePackages(root = repoRoot): WorkspacePackage[] {
  return workspacePackages(root).filter((p) => !p.private);
}
