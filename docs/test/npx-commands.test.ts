// What the documentation tells a reader to run with npx. `npx NAME` fetches the package called
// NAME when nothing local provides the command, so `npx codearts-package-status-mock` would run
// whatever unscoped package of that name someone registers: every npx line of ours must name the
// scoped package (`npx --package @codearts-package-status/mock codearts-package-status-mock`, or
// `npx @codearts-package-status/cli`).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SCOPE = "@codearts-package-status/";

/** Every Markdown file of the repository (the READMEs, CONTRIBUTING, SIGNING…), and the script that writes the reference page's introduction. */
function documents(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".git")) return [];
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return documents(file);
    return entry.name.endsWith(".md") ? [file] : [];
  });
}
const files = [...documents(), path.join(root, "scripts/lib/reference-page.mjs")];

/** The package each `npx …` in a text would fetch: the `--package`/`-p` value, else the first argument that is not an option. */
function npxPackages(text: string): Array<{ line: number; command: string; fetched: string[] }> {
  const found: Array<{ line: number; command: string; fetched: string[] }> = [];
  text.split("\n").forEach((content, index) => {
    for (const match of content.matchAll(/\bnpx((?:\s+[^\s`"]+)+)/g)) {
      const words = match[1]!.trim().split(/\s+/);
      const fetched: string[] = [];
      for (let i = 0; i < words.length; i++) {
        const word = words[i]!;
        if (word === "--package" || word === "-p") fetched.push(words[++i] ?? "");
        else if (word.startsWith("--package=")) fetched.push(word.slice("--package=".length));
        else if (word.startsWith("-")) continue;
        else {
          if (fetched.length === 0) fetched.push(word);
          break;
        }
      }
      found.push({ line: index + 1, command: match[0], fetched });
    }
  });
  return found;
}

describe("npx in the documentation", () => {
  test("the documents are found", () => {
    expect(files.map((file) => path.relative(root, file))).toEqual(expect.arrayContaining(["README.md", "packages/mock/README.md", "packages/cli/README.md", "packages/client/README.md", "docs/README.md"]));
  });

  test("never fetches an unscoped package of one of our names: every npx command names @codearts-package-status/…", () => {
    const unscoped = files.flatMap((file) =>
      npxPackages(readFileSync(file, "utf8"))
        .filter(({ fetched }) => fetched.some((name) => /codearts/i.test(name) && !name.startsWith(SCOPE)))
        .map(({ line, command }) => `${path.relative(root, file)}:${line}: ${command}`),
    );
    expect(unscoped).toEqual([]);
  });

  test("the reader is still told how to run the mock with --docs through npx", () => {
    const mockReadme = readFileSync(path.join(root, "packages/mock/README.md"), "utf8");
    expect(npxPackages(mockReadme).filter(({ command }) => command.includes("--docs")).map(({ fetched }) => fetched)).toEqual([[`${SCOPE}mock`]]);
  });
});
