// Every ```ts block of the README, type-checked against the built package as a user's project
// sees it: once in an ES module project, as written (top-level await and all), and once in a
// CommonJS project, with its statements inside an async function as the README tells CommonJS
// users to put them. The projects link this package (its `exports`, dist and type declarations, as
// packed) rather than install a tarball, so the check takes seconds; packages/release-tests
// installs the real tarballs.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";

const here = fileURLToPath(new URL("..", import.meta.url));
const README = readFileSync(path.join(here, "README.md"), "utf8");
const snippets = [...README.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
const TSC = path.join(here, "node_modules/typescript/bin/tsc");

// What the README's prose has already introduced when a snippet uses it without declaring it.
const GLOBALS = `declare const client: import("@codearts-package-status/client").CodeArtsClient;
declare const project_id: string;
declare const token: string;
declare function refreshToken(): void;
`;

const scratch = mkdtempSync(path.join(tmpdir(), "codearts-readme-snippets-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A project of the given module kind whose node_modules link this package and what the snippets import. */
function project(kind: "module" | "commonjs"): string {
  const dir = path.join(scratch, kind);
  mkdirSync(path.join(dir, "node_modules/@codearts-package-status"), { recursive: true });
  mkdirSync(path.join(dir, "node_modules/@types"), { recursive: true });
  symlinkSync(here, path.join(dir, "node_modules/@codearts-package-status/client"));
  symlinkSync(path.join(here, "node_modules/undici"), path.join(dir, "node_modules/undici"));
  symlinkSync(path.join(here, "node_modules/@types/node"), path.join(dir, "node_modules/@types/node"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `readme-${kind}`, private: true, type: kind }));
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    // What `tsc --init` writes, for Node without the DOM library (skipLibCheck included, as there).
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "Node16", moduleResolution: "Node16", strict: true, skipLibCheck: true, noEmit: true, types: ["node"], lib: ["ES2022"] }, include: ["*.ts"] }),
  );
  writeFileSync(path.join(dir, "globals.d.ts"), GLOBALS);
  return dir;
}

/** A snippet as a CommonJS user runs it: imports at the top, the rest inside an async function. */
function wrapped(snippet: string): string {
  const lines = snippet.split("\n");
  // An import may span lines: it ends at the line with its `from "…";`.
  const imports: string[] = [];
  let i = 0;
  while (i < lines.length && /^import\b/.test(lines[i]!)) {
    while (i < lines.length - 1 && !/from "[^"]+";(\s*\/\/.*)?$/.test(lines[i]!)) imports.push(lines[i++]!);
    imports.push(lines[i++]!);
  }
  return `${imports.join("\n")}\nexport async function snippet() {\n${lines.slice(i).join("\n")}\n}\n`;
}

async function typeCheck(kind: "module" | "commonjs"): Promise<string> {
  const dir = project(kind);
  snippets.forEach((snippet, index) => writeFileSync(path.join(dir, `snippet-${index + 1}.ts`), `${kind === "module" ? snippet : wrapped(snippet)}\nexport {};\n`));
  const { stdout } = await promisify(execFile)(process.execPath, [TSC, "-p", dir], { cwd: dir }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
  return stdout;
}

describe("the README's TypeScript snippets", () => {
  test("are found", () => {
    expect(snippets.length).toBeGreaterThan(10);
  });

  test("type-check in an ES module project, as written", async () => {
    expect((await typeCheck("module")).slice(0, 4000)).toBe("");
  }, 60_000);

  test("type-check in a CommonJS project, inside an async function", async () => {
    expect((await typeCheck("commonjs")).slice(0, 4000)).toBe("");
  }, 60_000);
});
