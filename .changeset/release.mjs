// `pnpm release [--dry-run]`: build, check and publish every public @codearts-package-status/*
// package at the version `pnpm version-packages` gave it.
//
// 1. `pnpm test`: turbo's generate, build, lint (spec gates, publint, attw) and test of every
//    package, then the drift check: exactly what CI runs.
// 2. `pnpm publish -r --access public`: pnpm packs each public package (replacing `workspace:`
//    ranges by the versions being released) and publishes those whose version is not on the
//    registry yet. Provenance comes from each package's `publishConfig.provenance` (and the
//    workflow's `id-token: write`).
//
// `--dry-run` publishes nothing (`pnpm publish --dry-run`) and skips pnpm's git checks (clean
// tree, release branch, up to date with the remote), so it runs on any branch and in a temp
// copy; a real release keeps them. `--skip-checks` (only with `--dry-run`) skips step 1: the
// release test uses it, as it runs inside step 1 itself.
//
// The changesets files next to this one are read by `changeset`, which only reads `*.md` and
// config.json here; this script is not one of them.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2).filter((arg) => arg !== "--");
const known = new Set(["--dry-run", "--skip-checks"]);
const unknown = args.filter((arg) => !known.has(arg));
if (unknown.length > 0) {
  console.error(`release: unknown argument ${unknown.join(" ")}\nusage: pnpm release [--dry-run [--skip-checks]]`);
  process.exit(2);
}
const dryRun = args.includes("--dry-run");
const skipChecks = args.includes("--skip-checks");
if (skipChecks && !dryRun) {
  console.error("release: --skip-checks is only allowed with --dry-run: a real release always runs the checks");
  process.exit(2);
}

const pending = readdirSync(path.join(root, ".changeset")).filter((file) => file.endsWith(".md") && file.toLowerCase() !== "readme.md");
if (pending.length > 0) {
  const message = `pending changesets (${pending.join(", ")}): run \`pnpm version-packages\` and commit before releasing`;
  if (!dryRun) {
    console.error(`release: ${message}`);
    process.exit(1);
  }
  console.warn(`release (dry run): ${message}`);
}

function step(command, commandArgs) {
  console.log(`\n$ ${[command, ...commandArgs].join(" ")}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`release: \`${[command, ...commandArgs].join(" ")}\` failed`);
    process.exit(result.status ?? 1);
  }
}

if (!skipChecks) step("pnpm", ["test"]);
step("pnpm", ["publish", "-r", "--access", "public", ...(dryRun ? ["--dry-run", "--no-git-checks"] : [])]);
console.log(dryRun ? "\nrelease: dry run done, nothing published" : "\nrelease: published");
