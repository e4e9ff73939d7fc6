// The breaking-change gate as the test suite runs it: the spec is compared with what consumers
// last got, which is the newest release of @codearts-package-status/openapi (its changesets
// tag) or, before the first release, the spec as first committed.
import { execFileSync } from "node:child_process";
import { repoRoot } from "./lib/repo.mjs";

const git = (...args) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();

function baseRef() {
  try {
    return git("describe", "--tags", "--abbrev=0", "--match", "@codearts-package-status/openapi@*");
  } catch {
    const added = git("log", "--diff-filter=A", "--format=%H", "--", "spec/openapi.yaml").split("\n").filter(Boolean);
    return added.at(-1);
  }
}

const base = baseRef();
if (!base) {
  console.log("spec:diff skipped: no committed spec to compare with yet");
  process.exit(0);
}
console.log(`spec:diff against ${base}`);
try {
  execFileSync("pnpm", ["--silent", "spec:diff", base], { cwd: repoRoot, stdio: "inherit" });
} catch (error) {
  process.exit(error.status ?? 1);
}
