// Shared helpers of the slower tests: the repository's locations, and running commands.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const packageDir = path.resolve(fileURLToPath(import.meta.url), "../..");
export const repoRoot = path.resolve(packageDir, "../..");
export const cliPath = path.join(packageDir, "dist/cli.js");

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
  GIT_AUTHOR_NAME: "spec-diff test",
  GIT_AUTHOR_EMAIL: "spec-diff@example.invalid",
  GIT_COMMITTER_NAME: "spec-diff test",
  GIT_COMMITTER_EMAIL: "spec-diff@example.invalid",
};

const execFileAsync = promisify(execFile);

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

export function gitSync(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, env, encoding: "utf8" });
}

/** Copies repository paths (files or folders, relative to the root) into `destination`. */
export function copyFromRepo(destination: string, relativePaths: string[]): void {
  for (const relative of relativePaths) {
    const target = path.join(destination, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(repoRoot, relative), target, { recursive: true });
  }
}

/** `git init` + one commit of everything in `dir`. */
export function commitAll(dir: string, message: string, init = false): void {
  if (init) gitSync(dir, ["init", "-q", "-b", "main"]);
  gitSync(dir, ["add", "-A"]);
  gitSync(dir, ["commit", "-q", "--no-verify", "--allow-empty", "-m", message]);
}

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
