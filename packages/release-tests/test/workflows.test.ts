// The GitHub Actions workflows and the root scripts they call: valid YAML, CI running exactly
// `.ci/run`, the spec gate on pull requests, and a release job that can sign provenance.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import YAML from "yaml";
import { repoRoot } from "./support/repo.js";

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { "runs-on": string; container?: string; permissions?: Record<string, string>; steps: Step[] }>;
}

function workflow(name: string): Workflow {
  const text = readFileSync(path.join(repoRoot, ".github/workflows", name), "utf8");
  const document = YAML.parseDocument(text, { uniqueKeys: true });
  expect(document.errors, `${name}: ${document.errors.join("; ")}`).toEqual([]);
  return document.toJS() as Workflow;
}

const rootScripts = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts as Record<string, string>;

describe("ci.yml", () => {
  const ci = workflow("ci.yml");
  const steps = Object.values(ci.jobs).flatMap((job) => job.steps);

  test("runs on pushes to main and on every pull request", () => {
    expect(ci.on).toHaveProperty("pull_request");
    expect(ci.on.push).toEqual({ branches: ["main"] });
  });

  test("runs exactly .ci/run (the same install and `pnpm test` as locally), on Debian with Node 20 as root", () => {
    expect(steps.filter((s) => s.run?.trim() === "bash .ci/run")).toHaveLength(1);
    expect(Object.values(ci.jobs).map((j) => j.container)).toEqual(["node:20-bookworm"]);
    expect(readFileSync(path.join(repoRoot, ".ci/run"), "utf8")).toMatch(/pnpm install --frozen-lockfile[\s\S]*pnpm test/);
  });

  test("checks out the whole history, and gates the spec against the pull request's base", () => {
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with).toMatchObject({ "fetch-depth": 0 });
    const gate = steps.find((s) => s.run?.includes("pnpm spec:diff"));
    expect(gate?.if).toBe("github.event_name == 'pull_request'");
    expect(gate?.run).toBe('pnpm spec:diff "origin/$BASE_REF"');
    expect(gate?.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
  });

  test("only reads the repository", () => {
    expect(ci.permissions).toEqual({ contents: "read" });
  });
});

describe("release.yml", () => {
  const release = workflow("release.yml");
  const job = Object.values(release.jobs)[0]!;

  test("runs on pushes to main, with the permissions for the version PR and npm provenance", () => {
    expect(release.on.push).toEqual({ branches: ["main"] });
    expect(job.permissions).toEqual({ contents: "write", "pull-requests": "write", "id-token": "write" });
  });

  test("versions with `pnpm version-packages` and publishes with `pnpm release`, authenticated by NPM_TOKEN", () => {
    const action = job.steps.find((s) => s.uses?.startsWith("changesets/action@"));
    expect(action?.with).toMatchObject({ version: "pnpm version-packages", publish: "pnpm release" });
    expect(action?.env).toMatchObject({ NPM_TOKEN: "${{ secrets.NPM_TOKEN }}", GITHUB_TOKEN: "${{ secrets.GITHUB_TOKEN }}", NPM_CONFIG_PROVENANCE: "true" });
    expect(job.steps.some((s) => s.run?.includes("pnpm install --frozen-lockfile"))).toBe(true);
  });
});

describe("root scripts", () => {
  test("changeset, version-packages, release and spec:diff are wired to their tools", () => {
    expect(rootScripts.changeset).toBe("changeset");
    expect(rootScripts["version-packages"]).toBe("changeset version");
    expect(rootScripts.release).toBe("node .changeset/release.mjs");
    expect(rootScripts["spec:diff"]).toMatch(/spec-diff build && node packages\/spec-diff\/dist\/cli\.js$/);
  });

  test("the release script checks with `pnpm test` and skips git checks only in a dry run", () => {
    const script = readFileSync(path.join(repoRoot, ".changeset/release.mjs"), "utf8");
    expect(script).toContain('step("pnpm", ["test"])');
    expect(script).toContain('step("pnpm", ["publish", "-r", "--access", "public", ...(dryRun ? ["--dry-run", "--no-git-checks"] : [])])');
  });
});
