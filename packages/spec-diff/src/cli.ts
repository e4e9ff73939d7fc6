#!/usr/bin/env node
// `pnpm spec:diff <base-ref>`: the spec at <base-ref> against the working tree. Prints one line
// per change and exits 1 when a change is breaking, unless a pending changeset declares a major
// bump of @codearts-package-status/openapi (or of a package released together with it).
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bundleDereferenced, extractAtRef, findRedocly, repoRootOf } from "./bundle.js";
import { majorBumpsOf, parseChangeset, specReleaseGroup, type Changeset } from "./changesets.js";
import { diffDocuments, formatReport, hasBreaking } from "./diff.js";

const USAGE = `usage: pnpm spec:diff <base-ref> [--json] [--spec <entry>]

Compares the spec at <base-ref> (a commit, branch or tag, e.g. origin/main) with the working
tree, prints every change as BREAKING or compatible, and exits 1 on a breaking change unless a
pending changeset in .changeset/ declares a major bump of @codearts-package-status/openapi
(or of types/client, which are released together with it).

  --json          print the changes as JSON instead of the report
  --spec <entry>  the spec's entry document, relative to the repository root (spec/openapi.yaml)`;

export function readChangesets(repo: string): { changesets: Changeset[]; group: string[] } {
  const dir = path.join(repo, ".changeset");
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path.join(dir, "config.json"), "utf8"));
  } catch {
    config = undefined;
  }
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(".md") && file.toLowerCase() !== "readme.md");
  } catch {
    files = [];
  }
  const changesets = files.sort().map((file) => parseChangeset(`.changeset/${file}`, readFileSync(path.join(dir, file), "utf8")));
  return { changesets, group: specReleaseGroup(config) };
}

export async function main(argv: string[], cwd = process.cwd(), log: (line: string) => void = console.log): Promise<number> {
  const args = [...argv];
  if (args[0] === "--") args.shift();
  if (args.includes("--help") || args.includes("-h")) {
    log(USAGE);
    return 0;
  }
  const json = args.includes("--json");
  const specIndex = args.indexOf("--spec");
  const entryArg = specIndex >= 0 ? args[specIndex + 1] : undefined;
  const positional = args.filter((arg, index) => !arg.startsWith("--") && !(specIndex >= 0 && index === specIndex + 1));
  const ref = positional[0];
  if (!ref || positional.length > 1) {
    log(USAGE);
    return 2;
  }

  const entry = entryArg ?? "spec/openapi.yaml";
  const specDir = path.posix.dirname(entry.split(path.sep).join("/"));
  const work = mkdtempSync(path.join(os.tmpdir(), "spec-diff-"));
  try {
    let repo: string;
    try {
      repo = repoRootOf(cwd);
    } catch {
      throw new Error(`${cwd} is not in a git repository`);
    }
    const redocly = findRedocly(repo);
    let count: number;
    try {
      count = extractAtRef(repo, ref, specDir === "." ? entry : specDir, path.join(work, "base"));
    } catch {
      throw new Error(`cannot read ${ref}: not a commit, branch or tag of this repository (in CI, fetch with history: fetch-depth 0)`);
    }
    if (count === 0) throw new Error(`no spec at ${ref}:${specDir}`);
    const [base, head] = await Promise.all([
      bundleDereferenced(redocly, path.join(work, "base", entry), path.join(work, "base.json"), repo),
      bundleDereferenced(redocly, path.join(repo, entry), path.join(work, "head.json"), repo),
    ]);
    const changes = diffDocuments(base, head);
    const breaking = hasBreaking(changes);
    const { changesets, group } = readChangesets(repo);
    const declared = majorBumpsOf(changesets, group);

    if (json) log(JSON.stringify({ base: ref, changes, breaking, declaredMajor: declared }, null, 2));
    else {
      log(`spec ${ref} → working tree`);
      log(formatReport(changes));
    }
    if (!breaking) {
      if (!json) log("✔ no breaking change");
      return 0;
    }
    if (declared.length > 0) {
      if (!json) log(`✔ breaking changes declared by ${declared.map((d) => `${d.file} (major: ${d.packages.join(", ")})`).join("; ")}`);
      return 0;
    }
    if (!json) {
      log(
        `✘ breaking change to the spec. Keep the change compatible, or declare it: \`pnpm changeset\` with a major bump of ${group.join(" / ")} (they are released together).`,
      );
    }
    return 1;
  } catch (error) {
    log(`✘ spec:diff failed: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}
if (invokedDirectly()) process.exitCode = await main(process.argv.slice(2));
