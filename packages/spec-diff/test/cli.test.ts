// `pnpm spec:diff <base-ref>` end to end, in a temporary git repository holding a copy of the
// spec: the built CLI, the real Redocly bundling, git refs and pending changesets.
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import YAML from "yaml";
import { cliPath, commitAll, copyFromRepo, gitSync, run } from "./support/repo.js";

let repo: string;

beforeAll(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), "spec-diff-e2e-"));
  copyFromRepo(repo, ["spec", "redocly.yaml", ".changeset/config.json"]);
  commitAll(repo, "the spec as it is", true);
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

beforeEach(() => {
  // every test starts from the committed spec with no pending changeset
  gitSync(repo, ["reset", "-q", "--hard", "main"]);
  gitSync(repo, ["checkout", "-q", "main"]);
  gitSync(repo, ["clean", "-q", "-fd"]);
});

function editYaml(relative: string, edit: (document: any) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const file = path.join(repo, relative);
  const document = YAML.parse(readFileSync(file, "utf8"));
  edit(document);
  writeFileSync(file, YAML.stringify(document));
}

function changeset(name: string, releases: Record<string, string>, summary: string): void {
  const front = Object.entries(releases).map(([pkg, bump]) => `"${pkg}": ${bump}`).join("\n");
  writeFileSync(path.join(repo, ".changeset", `${name}.md`), `---\n${front}\n---\n\n${summary}\n`);
}

const removeField = () => editYaml("spec/components/schemas/Tips.yaml", (tips) => delete tips.properties.next_action_remain_day);
const spec = (...args: string[]) => run("node", [cliPath, ...args], repo);

describe("spec:diff in a git repository", () => {
  test("no edit: nothing to report, exit 0", async () => {
    const result = await spec("main");
    expect(result.stdout).toContain("No changes to the spec.");
    expect(result.code).toBe(0);
  });

  test("a spec edit that removes a response field fails, naming the field at every operation that returns it", async () => {
    removeField();
    const result = await spec("main");
    expect(result.code, result.stdout).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines).toContain("BREAKING    GET /v4/tenant/tenant-package-status response 200 application/json body.result.tips.next_action_remain_day: field removed");
    expect(lines).toContain("BREAKING    GET /v5/{tenant_id}/api/package-specs/count-down response 200 application/json body[].tips.next_action_remain_day: field removed");
    expect(result.stdout).toMatch(/✘ breaking change to the spec\. .*pnpm changeset.*@codearts-package-status\/openapi/);
  });

  test("a compatible edit passes: a new region, a new optional parameter, a new response field, a description", async () => {
    editYaml("spec/paths/pipeline-package-count-down.yaml", (item) => {
      item.servers[0].variables.region.enum.push("cn-north-9");
      item.get.description += " More words.";
      item.get.parameters.push({ name: "page", in: "query", required: false, description: "Page.", schema: { type: "integer", minimum: 1 } });
    });
    editYaml("spec/components/schemas/Tips.yaml", (tips) => (tips.properties.renewal_hint = { type: "string", description: "A new field.", example: "renew" }));
    const result = await spec("main");
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toContain("BREAKING");
    expect(result.stdout).toContain("compatible  GET /v5/{tenant_id}/api/package-specs/count-down servers: region cn-north-9 added (https://cloudpipeline-ext.cn-north-9.myhuaweicloud.com)");
    expect(result.stdout).toContain("compatible  GET /v5/{tenant_id}/api/package-specs/count-down parameter query page: optional parameter added");
    expect(result.stdout).toContain("body[].tips.renewal_hint: field added");
    expect(result.stdout).toContain("✔ no breaking change");
  });

  test("a breaking edit with a pending major changeset of the spec package passes", async () => {
    removeField();
    changeset("drop-remain-day", { "@codearts-package-status/openapi": "major" }, "Remove `tips.next_action_remain_day`.");
    const result = await spec("main");
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain("BREAKING");
    expect(result.stdout).toContain("✔ breaking changes declared by .changeset/drop-remain-day.md (major: @codearts-package-status/openapi)");
  });

  test("a major bump of client, released together with the spec (fixed group), declares it too", async () => {
    removeField();
    changeset("client-major", { "@codearts-package-status/client": "major" }, "Breaking.");
    expect((await spec("main")).code).toBe(0);
  });

  test("a minor changeset, or a major one of an unrelated package, does not", async () => {
    removeField();
    changeset("minor", { "@codearts-package-status/openapi": "minor", "@codearts-package-status/mock": "major" }, "Not enough.");
    expect((await spec("main")).code).toBe(1);
  });

  test("the base is any git ref: a committed breaking change is found against its parent, and --json lists it", async () => {
    removeField();
    commitAll(repo, "remove a field");
    expect((await spec("HEAD")).code).toBe(0);
    const result = await spec("HEAD~1", "--json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { breaking: boolean; changes: Array<{ rule: string; severity: string }> };
    expect(report.breaking).toBe(true);
    expect(report.changes.map((c) => c.rule)).toEqual(["response-property-removed", "response-property-removed"]);
  });

  test("the base ref is read from git, not from the working tree: a spec file deleted since is still bundled", async () => {
    unlinkSync(path.join(repo, "spec/components/examples/ShowPackageInfoOk.yaml"));
    editYaml("spec/paths/artifact-package-info.yaml", (item) => {
      for (const response of Object.values(item.get.responses) as Array<{ content?: Record<string, { examples?: unknown }> }>) {
        delete response.content?.["application/json"]?.examples;
      }
    });
    const result = await spec("main");
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("examples changed");
  });

  test("an unknown ref or no ref is an error (exit 2), never a pass", async () => {
    expect((await spec("no-such-ref")).code).toBe(2);
    expect((await spec()).code).toBe(2);
  });
});
