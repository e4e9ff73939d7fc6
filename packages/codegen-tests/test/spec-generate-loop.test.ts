// The promise of the repository, kept on a warm turbo cache: a contributor edits the spec, runs
// `pnpm generate`, and every generated file follows; the gates pass; reverting the edit and
// generating again gives back the committed files byte for byte. Runs in a copy of the
// repository (see test/support/repo-copy.ts), one step after the other, each step building on
// the state the previous one left.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyContributorEdit, NEW_EXAMPLE, NEW_FIELD, NEW_FIELD_VALUE, OPERATION_ID, SCHEMA_FILE } from "./support/contributor-edit.js";
import { RepoCopy, sha256, tail, type CommandResult } from "./support/repo-copy.js";

const BUNDLE = "packages/openapi/generated";
const SNAPSHOT = "packages/contract-tests/test/__snapshots__/constraint-inventory.json";

let copy: RepoCopy;
const timings: Array<[string, number]> = [];

/** Runs a command in the copy and records how long it took under `label`. */
async function timed(label: string, command: string, args: readonly string[]): Promise<CommandResult> {
  const result = await copy.run(command, args);
  timings.push([label, result.seconds]);
  return result;
}

/** Fails, naming the file rather than printing all of it, unless the file of the copy matches. */
function expectIn(file: string, expected: string | RegExp): void {
  const text = copy.read(file);
  const found = typeof expected === "string" ? text.includes(expected) : expected.test(text);
  expect(found, `${file} should contain ${String(expected)}`).toBe(true);
}

/** The lines of a long run that say what failed, then its end. */
function failures(result: CommandResult): string {
  const marked = result.output.split("\n").filter((line) => /\bFAIL\b|✘|×|ERR_PNPM|ERROR|\w*Error:|error TS|Failed:|exited \d/.test(line));
  return `${marked.slice(0, 80).join("\n")}\n…\n${tail(result.output, 40)}`;
}

// The copy's own `pnpm test` sets this variable (see test/support/repo-copy.ts): inside it, this
// suite would copy the copy again, forever.
describe.skipIf(process.env.CODEARTS_SKIP_CODEGEN_LOOP === "1")("a contributor's spec edit on a warm turbo cache", () => {
  beforeAll(async () => {
    const started = performance.now();
    copy = await RepoCopy.create();
    timings.push(["copy, commit and offline install", (performance.now() - started) / 1000]);
  });

  afterAll(() => {
    copy?.remove();
    console.log(`spec → generate loop timings:\n${timings.map(([label, seconds]) => `  ${seconds.toFixed(1).padStart(6)} s  ${label}`).join("\n")}`);
  });

  test("a cold pnpm generate reproduces exactly the committed generated files", async () => {
    const generate = await timed("cold pnpm generate", "pnpm", ["generate"]);
    expect(generate.code, tail(generate.output, 40)).toBe(0);
    expect(generate.output).toMatch(/Cached:\s+0 cached/);
    expect(copy.git("status", "--porcelain")).toBe("");
  });

  test("after adding an optional field and a second example, pnpm generate carries both into the bundle, the types, the client's tables, the MCP tools and the typed examples", async () => {
    expect(copy.read(`${BUNDLE}/openapi.json`).includes(NEW_FIELD), "the field is new").toBe(false);
    const changeset = applyContributorEdit(copy);
    expect(copy.git("status", "--porcelain", "--", ".changeset")).toContain(changeset);

    const generate = await timed("pnpm generate after the edit (warm cache)", "pnpm", ["generate"]);
    expect(generate.code, tail(generate.output, 40)).toBe(0);

    const bundled = JSON.parse(copy.read(`${BUNDLE}/openapi.json`));
    expect(bundled.components.schemas.Tips.properties[NEW_FIELD]).toMatchObject({ type: "string", description: expect.any(String) });
    expect(bundled.components.schemas.Tips.required ?? []).not.toContain(NEW_FIELD);
    const operation = Object.values(bundled.paths as Record<string, { get?: { operationId: string; responses: Record<string, { content: Record<string, { examples: object }> }> } }>)
      .map((item) => item.get)
      .find((get) => get?.operationId === OPERATION_ID);
    expect(Object.keys(operation?.responses["200"]?.content["application/json"]?.examples ?? {})).toContain(NEW_EXAMPLE);
    for (const file of ["openapi.yaml", "openapi.dereferenced.json"]) {
      expectIn(`${BUNDLE}/${file}`, NEW_FIELD);
      expectIn(`${BUNDLE}/${file}`, NEW_FIELD_VALUE);
    }

    for (const file of ["schema.d.ts", "schema.d.mts"]) expectIn(`packages/types/generated/${file}`, new RegExp(`\\b${NEW_FIELD}\\?: string;`));
    const recorded = JSON.parse(copy.read("packages/types/package.json")).codeartsPackageStatus;
    expect(recorded.specSha256).toBe(sha256(copy.read(`${BUNDLE}/openapi.json`)));

    expectIn("packages/client/src/generated/response-schemas.ts", `"${NEW_FIELD}"`);
    // The MCP tools' output schemas are the response schemas too.
    expectIn("packages/mcp/src/generated/tools.ts", `"${NEW_FIELD}"`);

    expectIn("packages/contract-tests/generated/examples.ts", `export const ${OPERATION_ID}_200_${NEW_EXAMPLE} =`);
    expectIn("packages/contract-tests/generated/examples.ts", NEW_FIELD_VALUE);
  });

  test("updating the constraint snapshot the documented way records the new field", async () => {
    const build = await timed("pnpm build", "pnpm", ["build"]);
    expect(build.code, failures(build)).toBe(0);
    const update = await timed("contract tests with -u", "pnpm", ["--filter", "@codearts-package-status/contract-tests", "test", "-u"]);
    expect(update.code, failures(update)).toBe(0);
    const diff = copy.git("diff", "--", SNAPSHOT);
    expect(diff).toMatch(new RegExp(`^\\+.*Tips.*${NEW_FIELD}`, "m"));
  });

  test("pnpm test passes on the edited spec, its changeset and the updated snapshot", async () => {
    const result = await timed("pnpm test (CODEARTS_SKIP_CODEGEN_LOOP=1)", "pnpm", ["test"]);
    expect(result.code, failures(result)).toBe(0);
  });

  test("reverting the edit and generating again restores every committed generated file byte for byte, and a second run replays them from cache", async () => {
    // Only what the contributor wrote is reverted: the generated files are left as the edit made
    // them, for `pnpm generate` to put back.
    copy.git("checkout", "--", "spec", SNAPSHOT);
    copy.git("clean", "-fdq", "--", "spec", ".changeset");
    expect(copy.differingFromCommit(copy.generatedFiles()).length, "the edit changed generated files").toBeGreaterThan(0);
    expect(copy.read(SCHEMA_FILE).includes(NEW_FIELD), "the edit is reverted").toBe(false);

    const generate = await timed("pnpm generate after the revert (warm cache)", "pnpm", ["generate"]);
    expect(generate.code, tail(generate.output, 40)).toBe(0);
    expect(copy.git("status", "--porcelain")).toBe("");
    const files = copy.generatedFiles();
    expect(files.length).toBeGreaterThan(5);
    expect(copy.differingFromCommit(files)).toEqual([]);

    const replay = await timed("pnpm generate again (all from cache)", "pnpm", ["generate"]);
    expect(replay.code, tail(replay.output, 40)).toBe(0);
    const [, cached, total] = replay.output.match(/Cached:\s+(\d+) cached, (\d+) total/) ?? [];
    expect(cached).toBe(total);
    expect(copy.git("status", "--porcelain")).toBe("");
    expect(copy.differingFromCommit(files)).toEqual([]);
  });
});
