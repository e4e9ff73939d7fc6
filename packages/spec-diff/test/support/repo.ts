// What the end-to-end tests of the gate share: the repository's locations, the built command,
// and running it (and git) in a throwaway repository.
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** This package's folder. */
export const packageDir = path.resolve(fileURLToPath(import.meta.url), "../../..");
/** The repository's root. */
export const repoRoot = path.resolve(packageDir, "../..");
/** The built gate, as `pnpm spec:diff` runs it. */
export const cliPath = path.join(packageDir, "dist/cli.js");

export { commitAll, gitSync, run } from "@codearts-package-status/test-support";

/** Copies repository paths (files or folders, relative to the root) into `destination`. */
export function copyFromRepo(destination: string, relativePaths: string[]): void {
  for (const relative of relativePaths) {
    const target = path.join(destination, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(repoRoot, relative), target, { recursive: true });
  }
}
