import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { majorBumpsOf, parseChangeset, specReleaseGroup } from "../src/changesets.js";
import { repoRoot } from "./support/repo.js";

describe("pending changesets", () => {
  test("front matter is read as package → bump, the rest is the summary", () => {
    expect(parseChangeset("a.md", `---\n"@codearts-package-status/openapi": major\n'@codearts-package-status/mock': patch\n---\n\nRemove a field.\n`)).toEqual({
      file: "a.md",
      releases: { "@codearts-package-status/openapi": "major", "@codearts-package-status/mock": "patch" },
      summary: "Remove a field.",
    });
    expect(parseChangeset("empty.md", "---\n---\n")).toEqual({ file: "empty.md", releases: {}, summary: "" });
    expect(parseChangeset("none.md", "no front matter").releases).toEqual({});
  });

  test("the spec's release group is its fixed group in .changeset/config.json: openapi, types and client", () => {
    const config = JSON.parse(readFileSync(path.join(repoRoot, ".changeset/config.json"), "utf8"));
    expect(specReleaseGroup(config).sort()).toEqual(["@codearts-package-status/client", "@codearts-package-status/openapi", "@codearts-package-status/types"]);
    expect(specReleaseGroup({})).toEqual(["@codearts-package-status/openapi"]);
  });

  test("only a major bump of a package of the group declares a breaking spec change", () => {
    const group = ["@codearts-package-status/openapi", "@codearts-package-status/types"];
    const changesets = [
      parseChangeset("minor.md", `---\n"@codearts-package-status/openapi": minor\n---\nx`),
      parseChangeset("other.md", `---\n"@codearts-package-status/mock": major\n---\nx`),
      parseChangeset("types.md", `---\n"@codearts-package-status/types": major\n"@codearts-package-status/mock": major\n---\nx`),
    ];
    expect(majorBumpsOf(changesets, group)).toEqual([{ file: "types.md", packages: ["@codearts-package-status/types"] }]);
    expect(majorBumpsOf(changesets.slice(0, 2), group)).toEqual([]);
  });
});
