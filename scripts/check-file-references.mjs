// Fails when a comment in the repository's code names a file that does not exist: a comment that
// sends a reader to a missing file is worse than none. Reads the comments of every tracked source
// file (`//`, `/* */`, and `#` in YAML and shell), takes every word that looks like a file name, and
// looks for it next to the file, in its package, at the repository root, or anywhere in the tree
// when the comment names only a base name or a path's tail.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./lib/repo.mjs";

const CODE = /\.(?:[cm]?[jt]s|tsx)$/;
const HASH_COMMENTS = /(?:\.ya?ml|\.sh|^\.ci\/run|\.gitignore|\.npmrc)$/;
// A word that ends in a file extension this repository uses.
const FILE_WORD = /(?<![\w@/.:~-])((?:\.{1,2}\/)?[\w.-]+(?:\/[\w.-]+)*\.(?:md|[cm]?[jt]s|d\.ts|json|ya?ml|sh|html))(?![\w/])/g;

const PRODUCT_NAMES = new Set(["node.js", "deno.js", "next.js", "vue.js"]);

const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
  .split("\n")
  .filter(Boolean);
const trackedSet = new Set(tracked);

/** The comment text of a source file, line by line (other lines blank, so line numbers hold). */
function commentLines(file, text) {
  const lines = text.split("\n");
  if (HASH_COMMENTS.test(file)) return lines.map((line) => line.match(/(?:^|\s)#(.*)$/)?.[1] ?? "");
  if (!CODE.test(file)) return [];
  let inBlock = false;
  return lines.map((line) => {
    if (inBlock) {
      const end = line.indexOf("*/");
      if (end === -1) return line;
      inBlock = false;
      return line.slice(0, end);
    }
    const block = line.match(/^\s*\/\*(.*)$/);
    if (block) {
      if (!block[1].includes("*/")) inBlock = true;
      return block[1].split("*/")[0];
    }
    // A `//` that starts the line or follows a space and no quote before it is a comment, not a URL.
    const comment = line.match(/^(?:[^"'`]*?\s)?\/\/(?!\/)(.*)$/) ?? line.match(/^\s*\/\/(.*)$/);
    return comment ? comment[1] : "";
  });
}

function dependenciesOf(packageRoot) {
  try {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, packageRoot, "package.json"), "utf8"));
    return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  } catch {
    return [];
  }
}

function packageRootOf(file) {
  const parts = file.split("/");
  if (parts[0] === "packages" && parts.length > 2) return parts.slice(0, 2).join("/");
  if (["docs", "bench"].includes(parts[0])) return parts[0];
  return "";
}

/** Whether a file word names a file that exists. */
function exists(word, file) {
  // Build output and installed packages exist only after a build or an install.
  if (/(?:^|\/)(?:dist|node_modules|generated-client)\//.test(word) || word.startsWith("dist/")) return true;
  const variants = new Set([word]);
  // TypeScript sources are imported as `.js` (NodeNext).
  if (/\.js$/.test(word)) variants.add(word.replace(/\.js$/, ".ts"));
  if (/\.mjs$/.test(word)) variants.add(word.replace(/\.mjs$/, ".mts"));
  if (/\.cjs$/.test(word)) variants.add(word.replace(/\.cjs$/, ".cts"));
  const packageRoot = packageRootOf(file);
  // Build configs name the sources as their imports spell them, relative to `src/`.
  const bases = [path.posix.dirname(file), packageRoot, path.posix.join(packageRoot, "src"), ""];
  for (const variant of variants) {
    for (const base of bases) {
      const candidate = path.posix.normalize(path.posix.join(base, variant));
      if (trackedSet.has(candidate) || tracked.some((t) => t.startsWith(`${candidate}/`))) return true;
    }
    // A base name or a path's tail ("generated/operations.ts") names the file wherever it is.
    if (!variant.startsWith(".") && tracked.some((t) => t === variant || t.endsWith(`/${variant}`))) return true;
  }
  // A file inside one of the package's dependencies (the oracle test names a file of Huawei's SDK core).
  return dependenciesOf(packageRoot).some((dependency) => existsSync(path.join(repoRoot, packageRoot, "node_modules", dependency, word)));
}

const missing = [];
for (const file of tracked) {
  if (file.includes("/generated/") || file.startsWith("spec/") || file === "pnpm-lock.yaml") continue;
  let text;
  try {
    text = readFileSync(path.join(repoRoot, file), "utf8");
  } catch {
    continue;
  }
  commentLines(file, text).forEach((comment, index) => {
    for (const [, word] of comment.matchAll(FILE_WORD)) {
      // Version numbers and product names ("Node.js") look like file names too.
      if (/^\d+(?:\.\d+)+/.test(word) || PRODUCT_NAMES.has(word.toLowerCase())) continue;
      if (!exists(word, file)) missing.push(`${file}:${index + 1}: names ${word}, which does not exist`);
    }
  });
}

if (missing.length) {
  console.error(`✘ ${missing.length} comment(s) name files that do not exist:`);
  for (const line of missing) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`✔ every file named in a comment exists (${tracked.length} files read)`);
