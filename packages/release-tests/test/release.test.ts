// The release flow on a copy of the working tree (committed or not, with its builds and its own
// pending changesets): sample changesets → `pnpm version-packages` (versions, fixed group,
// CHANGELOGs) → `pnpm release --dry-run` (every public package, nothing private, provenance on)
// → the packed manifests carry the released versions and no `workspace:` range.
//
// `pnpm changeset` names its files at random, so nothing here depends on a changeset's name:
// the samples are named as it would name them, around names that sort before, between and after
// them, and the versions expected are worked out from every changeset the copy holds.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import YAML from "yaml";
import { commitAll, env, ok, publishablePackages, repoRoot, run, workspacePackages, type WorkspacePackage } from "./support/repo.js";

type Bump = "none" | "patch" | "minor" | "major";
const BUMPS: Bump[] = ["none", "patch", "minor", "major"];
const higher = (a: Bump, b: Bump): Bump => (BUMPS.indexOf(a) >= BUMPS.indexOf(b) ? a : b);

const OPENAPI = "@codearts-package-status/openapi";
const CLI = "@codearts-package-status/cli";
const MAJOR_SUMMARY = "Remove `tips.next_action_remain_day` from every response.";
const CLI_SUMMARY = "Clearer wording of the expiry table.";

/** The samples this test releases, and others around them, as `pnpm changeset` would name them. */
const SAMPLES: Array<{ file: string; releases: Record<string, Bump>; summary: string }> = [
  { file: "aaaa-first-ants-add.md", releases: { [OPENAPI]: "patch" }, summary: "Sorts before every other name." },
  { file: "brave-dogs-sing.md", releases: { [OPENAPI]: "major" }, summary: MAJOR_SUMMARY },
  { file: "many-cats-nap.md", releases: { "@codearts-package-status/client": "minor" }, summary: "Sorts between the two samples." },
  { file: "wild-pans-hide.md", releases: { [CLI]: "patch" }, summary: CLI_SUMMARY },
  { file: "zzzz-last-owls-wait.md", releases: { "@codearts-package-status/mock": "patch" }, summary: "Sorts after every other name." },
];

let work: string;
let before: WorkspacePackage[];
let publishable: WorkspacePackage[];
let pending: string[];
let group: string[];
let planned: Map<string, Bump>;

const rel = (p: WorkspacePackage) => path.relative(repoRoot, p.path);
const manifest = (p: WorkspacePackage) => JSON.parse(readFileSync(path.join(work, rel(p), "package.json"), "utf8"));
const changesetFiles = () => readdirSync(path.join(work, ".changeset")).filter((f) => f.endsWith(".md") && f.toLowerCase() !== "readme.md");

/** The bumps every pending changeset of `dir` declares, per package, the highest one winning. */
function declaredBumps(dir: string): Map<string, Bump> {
  const bumps = new Map<string, Bump>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".md") && f.toLowerCase() !== "readme.md")) {
    const front = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(readFileSync(path.join(dir, file), "utf8").trimStart())?.[1] ?? "";
    for (const [name, bump] of Object.entries<Bump>(YAML.parse(front) ?? {})) bumps.set(name, higher(bumps.get(name) ?? "none", bump));
  }
  return bumps;
}

/**
 * What changesets must make of the declared bumps under `.changeset/config.json`: the fixed group
 * moves together at its highest bump, and a public package depending on a bumped one gets at
 * least a patch (`updateInternalDependencies: "patch"`).
 */
function plan(declared: Map<string, Bump>): Map<string, Bump> {
  const bumps = new Map(publishable.map((p) => [p.name, declared.get(p.name) ?? "none"]));
  const groupBump = group.map((name) => bumps.get(name) ?? "none").reduce(higher, "none");
  for (const name of group) bumps.set(name, groupBump);
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of publishable) {
      const dependencies = Object.keys({ ...manifest(p).dependencies, ...manifest(p).peerDependencies });
      if (bumps.get(p.name) === "none" && dependencies.some((d) => (bumps.get(d) ?? "none") !== "none")) {
        bumps.set(p.name, "patch");
        changed = true;
      }
    }
  }
  return bumps;
}

function bump(version: string, kind: Bump): string {
  const [major = 0, minor = 0, patch = 0] = version.split("-")[0]!.split(".").map(Number);
  if (kind === "major") return `${major + 1}.0.0`;
  if (kind === "minor") return `${major}.${minor + 1}.0`;
  if (kind === "patch") return `${major}.${minor}.${patch + 1}`;
  return version;
}

/** The version the plan gives a package: the fixed group from its highest version, together. */
function expectedVersion(p: WorkspacePackage): string {
  if (p.private) return p.version;
  if (group.includes(p.name)) {
    const highest = before.filter((q) => group.includes(q.name)).map((q) => q.version).sort((a, b) => a.localeCompare(b, "en", { numeric: true })).at(-1)!;
    return bump(highest, planned.get(p.name)!);
  }
  return bump(p.version, planned.get(p.name)!);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "release-dry-run-"));
  before = workspacePackages();
  publishable = before.filter((p) => !p.private);
  // the working tree as git would commit it (tracked and new files, ignored ones left out)...
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    const source = path.join(repoRoot, file);
    if (!existsSync(source)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    cpSync(source, path.join(work, file));
  }
  // ...plus the builds `pnpm test` made before this test runs
  for (const p of publishable) {
    const dist = path.join(p.path, "dist");
    if (existsSync(dist)) cpSync(dist, path.join(work, rel(p), "dist"), { recursive: true });
  }
  // The dry run also exercises provenance: what each package must declare (see the pack suite).
  for (const p of publishable) {
    const file = path.join(work, rel(p), "package.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    json.publishConfig = { access: "public", provenance: true, ...json.publishConfig };
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  }
  commitAll(work, "the working tree", true);
  await ok("pnpm", ["install", "--offline", "--ignore-scripts", "--no-frozen-lockfile", "--config.confirmModulesPurge=false"], work);
  const names = new Set(publishable.map((p) => p.name));
  for (const sample of SAMPLES.filter((s) => Object.keys(s.releases).every((name) => names.has(name)))) {
    const front = Object.entries(sample.releases).map(([name, kind]) => `"${name}": ${kind}`).join("\n");
    writeFileSync(path.join(work, ".changeset", sample.file), `---\n${front}\n---\n\n${sample.summary}\n`);
  }
  commitAll(work, "changesets");
  pending = changesetFiles();
  group = (JSON.parse(readFileSync(path.join(work, ".changeset/config.json"), "utf8")).fixed as string[][]).find((g) => g.includes(OPENAPI)) ?? [OPENAPI];
  planned = plan(declaredBumps(path.join(work, ".changeset")));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("release", () => {
  test("a real release refuses to start while changesets of any name are pending, names every one, and --skip-checks needs --dry-run", async () => {
    expect(pending).toEqual(expect.arrayContaining(["aaaa-first-ants-add.md", "brave-dogs-sing.md", "zzzz-last-owls-wait.md"]));
    const pendingRelease = await run("pnpm", ["release"], work);
    expect(pendingRelease.code).toBe(1);
    const listed = /^release: pending changesets \(([^)]*)\): run `pnpm version-packages`/m.exec(pendingRelease.stderr)?.[1];
    expect(listed?.split(", ").sort(), pendingRelease.stderr).toEqual([...pending].sort());
    const skipped = await run("pnpm", ["release", "--skip-checks"], work);
    expect(skipped.code).toBe(2);
    expect(skipped.stderr).toContain("--skip-checks is only allowed with --dry-run");
  });

  test("pnpm version-packages: a spec major bumps openapi, types and client together; mock and cli get at least a patch; CHANGELOGs written", async () => {
    for (const name of group) expect(`${name}: ${planned.get(name)}`).toBe(`${name}: major`);
    for (const p of publishable) expect(`${p.name}: ${planned.get(p.name)}`).not.toBe(`${p.name}: none`);
    await ok("pnpm", ["run", "version-packages"], work);
    for (const p of before) expect(`${p.name}@${manifest(p).version}`).toBe(`${p.name}@${expectedVersion(p)}`);
    const groupVersion = expectedVersion(publishable.find((p) => p.name === OPENAPI)!);

    const changelog = (name: string) => readFileSync(path.join(work, rel(before.find((p) => p.name === name)!), "CHANGELOG.md"), "utf8");
    expect(changelog(OPENAPI)).toMatch(new RegExp(`^# @codearts-package-status/openapi\\n\\n## ${groupVersion.replaceAll(".", "\\.")}\\n\\n### Major Changes\\n\\n`));
    expect(changelog(OPENAPI)).toMatch(new RegExp(`^- [0-9a-f]{7}: ${MAJOR_SUMMARY.replace(/[.`]/g, "\\$&")}$`, "m"));
    for (const name of group) expect(changelog(name)).toContain(`## ${groupVersion}`);
    expect(changelog("@codearts-package-status/mock")).toContain(`### Patch Changes\n\n`);
    expect(changelog("@codearts-package-status/mock")).toContain(`- Updated dependencies [`);
    expect(changelog("@codearts-package-status/mock")).toContain(`  - @codearts-package-status/client@${groupVersion}`);
    if (publishable.some((p) => p.name === CLI)) {
      expect(changelog(CLI)).toContain("### Patch Changes\n\n");
      expect(changelog(CLI)).toMatch(/^- [0-9a-f]{7}: Clearer wording of the expiry table\.$/m);
    }
    for (const p of before.filter((q) => q.private)) expect(existsSync(path.join(work, rel(p), "CHANGELOG.md")), p.name).toBe(false);
    expect(changesetFiles()).toEqual([]);
    // the internal ranges stay workspace:* in the repository; pnpm replaces them when packing
    expect(manifest(publishable.find((p) => p.name.endsWith("/mock"))!).dependencies["@codearts-package-status/client"]).toBe("workspace:*");
    commitAll(work, "Version packages");
  });

  test("pnpm release --dry-run publishes every public package at its new version, nothing private, and nothing for real", async () => {
    const result = await run("pnpm", ["release", "--dry-run", "--skip-checks"], work);
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    const published = [...output.matchAll(/^\+ (@codearts-package-status\/[\w-]+)@(\S+)$/gm)].map((m) => `${m[1]}@${m[2]}`).sort();
    expect(published).toEqual(publishable.map((p) => `${p.name}@${expectedVersion(p)}`).sort());
    expect(output).toContain("pnpm publish -r --access public --dry-run --no-git-checks");
    expect(output).toContain("release: dry run done, nothing published");
    expect(output.match(/\(dry-run\)/g)?.length ?? 0).toBeGreaterThanOrEqual(publishable.length);
  });

  test("the packed manifests carry the released versions, exact internal versions and no workspace: range", async () => {
    const tarballs = path.join(work, "tarballs");
    const versions = new Map(publishable.map((p) => [p.name, expectedVersion(p)]));
    for (const p of publishable) {
      await ok("pnpm", ["pack", "--pack-destination", tarballs], path.join(work, rel(p)));
    }
    for (const p of publishable) {
      const tarball = readdirSync(tarballs).find((f) => f === `${p.name.slice(1).replace("/", "-")}-${versions.get(p.name)}.tgz`);
      expect(tarball, `${p.name}@${versions.get(p.name)} in ${readdirSync(tarballs).join(", ")}`).toBeDefined();
      const text = execFileSync("tar", ["-xzOf", path.join(tarballs, tarball!), "package/package.json"], { encoding: "utf8", env });
      expect(text).not.toContain("workspace:");
      const packed = JSON.parse(text);
      expect(packed.version).toBe(versions.get(p.name));
      for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
        for (const [name, range] of Object.entries<string>(packed[field] ?? {})) {
          if (versions.has(name)) expect(`${p.name} → ${name}@${range}`).toBe(`${p.name} → ${name}@${versions.get(name)}`);
        }
      }
    }
  });
});

test("publishable packages are discovered from the workspace, not listed by hand", () => {
  expect(publishablePackages().map((p) => p.name)).toEqual(expect.arrayContaining(["@codearts-package-status/openapi", "@codearts-package-status/types", "@codearts-package-status/client", "@codearts-package-status/mock"]));
});
