// Fails when the committed generated files are not what the spec generates today: regenerates
// everything and compares every generated file with what was there before. `--force` keeps the
// verdict independent of any turbo cache, even one filled by an older task graph that did not
// declare every input; a plain `pnpm generate` gives the same files, since every generate task
// names what it reads (turbo.json and each package's turbo.json).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot, toolEnv } from "./lib/repo.mjs";

/** Files that `pnpm generate` writes, as git sees them (tracked, and untracked but not ignored). */
function generatedFiles() {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", ":(glob)packages/**/generated/**", "packages/types/package.json"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return listed.split("\n").filter(Boolean);
}

function fingerprint() {
  return new Map(
    generatedFiles().map((file) => {
      let hash = "(missing)";
      try {
        hash = createHash("sha256").update(readFileSync(path.join(repoRoot, file))).digest("hex");
      } catch {}
      return [file, hash];
    }),
  );
}

const before = fingerprint();
execFileSync(path.join(repoRoot, "node_modules/.bin/turbo"), ["run", "generate", "--force", "--output-logs=errors-only"], {
  cwd: repoRoot,
  env: toolEnv,
  stdio: "inherit",
});
const after = fingerprint();

const drifted = [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file));
const untracked = execFileSync("git", ["ls-files", "--others", "--exclude-standard", "--", ":(glob)packages/**/generated/**"], {
  cwd: repoRoot,
  encoding: "utf8",
})
  .split("\n")
  .filter(Boolean);

if (drifted.length > 0 || (process.env.CI && untracked.length > 0)) {
  console.error("✘ generated files drifted from the spec. They are regenerated in your working tree now (as `pnpm generate` does): review and commit them:");
  for (const file of new Set([...drifted, ...(process.env.CI ? untracked : [])])) console.error(`  ${file}`);
  process.exit(1);
}
console.log(`✔ no drift: ${after.size} generated files match what the spec generates`);
