// `pnpm pack:all [dir]`: packs every public package of the workspace into one folder (default
// `tarballs/`), the way to install them until they are on the npm registry. Run `pnpm build`
// first: the tarballs hold the build. Prints the install line for a consumer project.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./lib/repo.mjs";

const destination = path.resolve(process.argv[2] ?? path.join(repoRoot, "tarballs"));
mkdirSync(destination, { recursive: true });
const packagesDir = path.join(repoRoot, "packages");
const packed = [];
for (const name of readdirSync(packagesDir).sort()) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(packagesDir, name, "package.json"), "utf8"));
  } catch {
    continue;
  }
  if (manifest.private) continue;
  const out = execFileSync("pnpm", ["pack", "--pack-destination", destination], { cwd: path.join(packagesDir, name), encoding: "utf8" });
  packed.push(out.trim().split("\n").at(-1));
}
console.log(packed.join("\n"));
console.log(`\nInstall them into a project (npm resolves their dependencies on each other from the tarballs):\n  npm install ${packed.map((file) => JSON.stringify(file)).join(" ")}`);
