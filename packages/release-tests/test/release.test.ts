// The release flow on a copy of the working tree (committed or not, with its builds): sample
// changesets → `pnpm version-packages` (versions, fixed group, CHANGELOGs) → `pnpm release
// --dry-run` (every public package, nothing private, provenance on) → the packed manifests carry
// the released versions and no `workspace:` range.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { commitAll, env, ok, publishablePackages, repoRoot, run, workspacePackages, type WorkspacePackage } from "./support/repo.js";

const SPEC_GROUP = ["@codearts-package-status/openapi", "@codearts-package-status/types", "@codearts-package-status/client"];
let work: string;
let before: WorkspacePackage[];
let publishable: WorkspacePackage[];

const rel = (p: WorkspacePackage) => path.relative(repoRoot, p.path);
const manifest = (p: WorkspacePackage) => JSON.parse(readFileSync(path.join(work, rel(p), "package.json"), "utf8"));

function bump(version: string, kind: "major" | "minor" | "patch"): string {
  const [major = 0, minor = 0, patch = 0] = version.split("-")[0]!.split(".").map(Number);
  if (kind === "major") return `${major + 1}.0.0`;
  if (kind === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The versions a spec major plus a cli patch must give: the fixed group together, the others patched. */
function expectedVersion(p: WorkspacePackage): string {
  if (p.private) return p.version;
  if (SPEC_GROUP.includes(p.name)) {
    const highest = before.filter((q) => SPEC_GROUP.includes(q.name)).map((q) => q.version).sort((a, b) => a.localeCompare(b, "en", { numeric: true })).at(-1)!;
    return bump(highest, "major");
  }
  return bump(p.version, "patch");
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
  writeFileSync(
    path.join(work, ".changeset/drop-remain-day.md"),
    `---\n"@codearts-package-status/openapi": major\n---\n\nRemove \`tips.next_action_remain_day\` from every response.\n`,
  );
  if (publishable.some((p) => p.name === "@codearts-package-status/cli")) {
    writeFileSync(path.join(work, ".changeset/cli-wording.md"), `---\n"@codearts-package-status/cli": patch\n---\n\nClearer wording of the expiry table.\n`);
  }
  commitAll(work, "changesets");
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("release", () => {
  test("a real release refuses to start while changesets are pending, and --skip-checks needs --dry-run", async () => {
    const pendingRelease = await run("pnpm", ["release"], work);
    expect(pendingRelease.code).toBe(1);
    expect(pendingRelease.stderr).toMatch(/release: pending changesets \(.*drop-remain-day\.md\): run `pnpm version-packages`/);
    const skipped = await run("pnpm", ["release", "--skip-checks"], work);
    expect(skipped.code).toBe(2);
    expect(skipped.stderr).toContain("--skip-checks is only allowed with --dry-run");
  });

  test("pnpm version-packages: a spec major bumps openapi, types and client together; mock and cli get a patch; CHANGELOGs written", async () => {
    await ok("pnpm", ["run", "version-packages"], work);
    for (const p of before) expect(`${p.name}@${manifest(p).version}`).toBe(`${p.name}@${expectedVersion(p)}`);
    const groupVersion = expectedVersion(publishable.find((p) => p.name === SPEC_GROUP[0])!);

    const changelog = (name: string) => readFileSync(path.join(work, rel(before.find((p) => p.name === name)!), "CHANGELOG.md"), "utf8");
    expect(changelog("@codearts-package-status/openapi")).toMatch(
      new RegExp(`^# @codearts-package-status/openapi\\n\\n## ${groupVersion.replaceAll(".", "\\.")}\\n\\n### Major Changes\\n\\n- [0-9a-f]{7}: Remove \`tips.next_action_remain_day\` from every response.`),
    );
    for (const name of SPEC_GROUP) expect(changelog(name)).toContain(`## ${groupVersion}`);
    expect(changelog("@codearts-package-status/mock")).toContain(`### Patch Changes\n\n- Updated dependencies [`);
    expect(changelog("@codearts-package-status/mock")).toContain(`  - @codearts-package-status/client@${groupVersion}`);
    if (publishable.some((p) => p.name === "@codearts-package-status/cli")) {
      expect(changelog("@codearts-package-status/cli")).toMatch(/### Patch Changes\n\n- [0-9a-f]{7}: Clearer wording of the expiry table\./);
    }
    for (const p of before.filter((q) => q.private)) expect(existsSync(path.join(work, rel(p), "CHANGELOG.md")), p.name).toBe(false);
    expect(readdirSync(path.join(work, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md")).toEqual([]);
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
