// What the end-to-end tests of the gate share: the repository's locations, the built command,
// and running it (and git) in a throwaway repository.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** This package's folder. */
export const packageDir = path.resolve(fileURLToPath(import.meta.url), "../../..");
/** The repository's root. */
export const repoRoot = path.resolve(packageDir, "../..");
/** The built gate, as `pnpm spec:diff` runs it. */
export const cliPath = path.join(packageDir, "dist/cli.js");

// Redocly (which the gate runs) stays quiet and offline; git commits need an identity.
const env = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  REDOCLY_SUPPRESS_NODE_VERSION_WARNING: "true",
  GIT_AUTHOR_NAME: "spec-diff test",
  GIT_AUTHOR_EMAIL: "spec-diff@example.invalid",
  GIT_COMMITTER_NAME: "spec-diff test",
  GIT_COMMITTER_EMAIL: "spec-diff@example.invalid",
};

const execFileAsync = promisify(execFile);

/** Runs a command; never throws on a non-zero exit, returns it with its output. */
export async function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}

/** Runs git in `cwd`, throwing on failure. */
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

/** `git init` (when `init`) + one commit of everything in `dir`. */
export function commitAll(dir: string, message: string, init = false): void {
  if (init) gitSync(dir, ["init", "-q", "-b", "main"]);
  gitSync(dir, ["add", "-A"]);
  gitSync(dir, ["commit", "-q", "--no-verify", "--allow-empty", "-m", message]);
}
