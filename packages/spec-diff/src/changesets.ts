// Pending changesets: which packages they bump, and whether one of them declares the major bump
// that lets a breaking spec change through the gate.
import YAML from "yaml";

export type Bump = "major" | "minor" | "patch" | "none";

export interface Changeset {
  file: string;
  releases: Record<string, Bump>;
  summary: string;
}

/** The package whose major version a breaking spec change needs. */
export const SPEC_PACKAGE = "@codearts-package-status/openapi";

/** Parses one `.changeset/*.md` file: YAML front matter of `"package": bump`, then the summary. */
export function parseChangeset(file: string, text: string): Changeset {
  const match = /^---\r?\n([\s\S]*?)\r?\n?---\r?\n?([\s\S]*)$/.exec(text.trimStart());
  if (!match) return { file, releases: {}, summary: text.trim() };
  const front: unknown = YAML.parse(match[1] ?? "") ?? {};
  const releases: Record<string, Bump> = {};
  if (typeof front === "object" && front !== null) {
    for (const [name, bump] of Object.entries(front)) {
      if (bump === "major" || bump === "minor" || bump === "patch" || bump === "none") releases[name] = bump;
    }
  }
  return { file, releases, summary: (match[2] ?? "").trim() };
}

/**
 * The packages a breaking spec change may be declared on: the spec package and every package
 * released together with it (its `fixed` group in `.changeset/config.json`, where types and
 * client are), since a major bump of any of them is a major bump of all of them.
 */
export function specReleaseGroup(config: unknown): string[] {
  const fixed = (config as { fixed?: unknown } | undefined)?.fixed;
  const group = Array.isArray(fixed) ? fixed.find((g): g is string[] => Array.isArray(g) && g.includes(SPEC_PACKAGE)) : undefined;
  return group ? [...group] : [SPEC_PACKAGE];
}

/** The changesets that declare a major bump of one of `packages`. */
export function majorBumpsOf(changesets: readonly Changeset[], packages: readonly string[]): Array<{ file: string; packages: string[] }> {
  return changesets
    .map((changeset) => ({
      file: changeset.file,
      packages: Object.entries(changeset.releases)
        .filter(([name, bump]) => bump === "major" && packages.includes(name))
        .map(([name]) => name),
    }))
    .filter((entry) => entry.packages.length > 0);
}
