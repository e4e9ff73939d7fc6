// Reading the spec at a git ref and at the working tree, and bundling each into one
// dereferenced JSON document with the repository's Redocly (the same bundler as `pnpm generate`).
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const toolEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  REDOCLY_SUPPRESS_NODE_VERSION_WARNING: "true",
};

export function git(repo: string, args: string[]): Buffer {
  return execFileSync("git", args, { cwd: repo, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
}

export function repoRootOf(cwd: string): string {
  return git(cwd, ["rev-parse", "--show-toplevel"]).toString("utf8").trim();
}

/** Writes every file under `specDir` (relative to the repo root) as it is at `ref` into `destination`. */
export function extractAtRef(repo: string, ref: string, specDir: string, destination: string): number {
  const commit = git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).toString("utf8").trim();
  const files = git(repo, ["ls-tree", "-r", "-z", "--name-only", commit, "--", specDir])
    .toString("utf8")
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    const target = path.join(destination, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, git(repo, ["show", `${commit}:${file}`]));
  }
  return files.length;
}

/** The Redocly binary: the repository's own, else the one installed beside this package. */
export function findRedocly(repo: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(repo, "node_modules/.bin/redocly"), path.resolve(here, "../../../node_modules/.bin/redocly")];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`redocly not found (looked at ${candidates.join(", ")}): run pnpm install`);
  return found;
}

/** Bundles `entry` into dereferenced JSON at `output`, and returns the parsed document. */
export async function bundleDereferenced(redocly: string, entry: string, output: string, cwd: string): Promise<unknown> {
  try {
    await execFileAsync(redocly, ["bundle", entry, "--dereferenced", "--ext", "json", "--output", output], { cwd, env: toolEnv });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`redocly bundle ${entry} failed:\n${stderr ?? ""}${stdout ?? ""}`);
  }
  return JSON.parse(readFileSync(output, "utf8"));
}
