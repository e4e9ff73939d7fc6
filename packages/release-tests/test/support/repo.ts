// The repository these tests check, its workspace packages, and running commands in it or in a
// copy of it.
import { execFileSync } from "node:child_process";
import { commandEnv as env } from "@codearts-package-status/test-support";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** This package's folder. */
export const packageDir = path.resolve(fileURLToPath(import.meta.url), "../../..");
/** The repository's root. */
export const repoRoot = path.resolve(packageDir, "../..");

/** The environment of every command (test-support's, as every suite runs the tools). */
export { commandEnv as env, commitAll, ok, run, type CommandResult as Result } from "@codearts-package-status/test-support";

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
