import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

// A `$ref` resolver in a test reads the spec a second way; src/index.ts reads the dereferenced bundle, the one way.
describe("no test resolves $ref by hand", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (name === "node_modules" || name === "__snapshots__") return [];
      return statSync(full).isDirectory() ? files(full) : /\.[cm]?[jt]s$/.test(name) ? [full] : [];
    });
  const testDirs = [
    ...readdirSync(path.join(root, "packages")).map((p) => path.join(root, "packages", p, "test")),
    path.join(root, "docs", "test"),
  ].filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory());
  // This file spells the patterns out to look for them.
  const self = fileURLToPath(import.meta.url);

  test.each(testDirs.flatMap(files).filter((file) => file !== self).map((file) => [path.relative(root, file), file] as const))("%s follows no $ref", (_, file) => {
    // Reading a `$ref` property (`.$ref`, `["$ref"]`) or unescaping a JSON pointer is what a resolver does;
    // writing `$ref:` into a spec fixture is fine.
    expect(readFileSync(file, "utf8")).not.toMatch(/\.\$ref\b|\[["']\$ref["']\]|replaceAll\(["']~1["']/);
  });
});
