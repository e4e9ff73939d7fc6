// Fails when the source of any workspace package imports itself in a circle. madge reads every
// `src/` folder of the workspace (packages/*, docs, bench: whichever has one), resolves the `.js`
// specifiers of our TypeScript to the `.ts` files behind them as tsc does, and counts type-only
// imports too: a cycle of types still ties modules together. Imports of other packages are not
// followed (a cycle between packages is pnpm's to refuse), so the result does not depend on what
// has been built. A relative import madge cannot resolve fails the check as well: a file it cannot
// see could hide a cycle.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import madge from "madge";
import { repoRoot } from "./lib/repo.mjs";

// The workspace's folders, as pnpm-workspace.yaml lists them.
const packages = [...readdirSync(path.join(repoRoot, "packages")).map((name) => path.join("packages", name)), "docs", "bench"];
const folders = packages.map((dir) => path.join(dir, "src")).filter((dir) => existsSync(path.join(repoRoot, dir)));
const absolute = folders.map((dir) => path.join(repoRoot, dir));
const inChecked = (file) => absolute.some((dir) => file.startsWith(dir + path.sep));

console.log(`madge --circular over ${folders.length} folders:\n${folders.map((dir) => `  ${dir}`).join("\n")}`);

const result = await madge(absolute, {
  baseDir: repoRoot,
  fileExtensions: ["ts", "mts", "mjs"],
  tsConfig: path.join(repoRoot, "tsconfig.base.json"),
  // Type-only imports count (madge's default, said here so nobody turns it off by accident).
  detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  dependencyFilter: (file) => inChecked(file),
});

const files = Object.keys(result.obj());
const cycles = result.circular();
const unresolved = result.warnings().skipped.filter((specifier) => specifier.startsWith("."));
console.log(`${files.length} files read`);

for (const [i, cycle] of cycles.entries()) console.log(`cycle ${i + 1}: ${[...cycle, cycle[0]].join(" > ")}`);
for (const specifier of unresolved) console.log(`unresolved relative import: ${specifier}`);

if (cycles.length > 0 || unresolved.length > 0) {
  console.log(`✘ ${cycles.length} import cycle(s), ${unresolved.length} unresolved relative import(s)`);
  process.exitCode = 1;
} else {
  console.log("✔ no import cycle");
}
