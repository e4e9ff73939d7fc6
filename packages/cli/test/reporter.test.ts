// runWithReporter: the command's own set-up for a program that makes reports on request (the
// MCP server). Its report must be the command's, and its options the command's, with the
// refusals saying why an option of another command does not apply.
import type { ExitCode } from "../src/exit-codes.js";
import { describe, expect, test } from "vitest";
import { runWithReporter, type Reporter } from "../src/reporter.js";
import { CLEAN_ENV, runCli } from "./support/cli.js";

/** Runs `serve` on the set-up of `argv`, and what the program wrote. */
async function withReporter<T>(argv: readonly string[], serve: (reporter: Reporter) => Promise<T>) {
  let stdout = "";
  let stderr = "";
  let served: T | undefined;
  const code = await runWithReporter({
    program: "test-program",
    usage: "usage text",
    version: "9.9.9",
    argv,
    env: { ...CLEAN_ENV },
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    async serve(reporter): Promise<ExitCode> {
      served = await serve(reporter);
      return 0;
    },
  });
  return { code, stdout, stderr, served };
}

describe("runWithReporter", () => {
  test("makes the report --json prints, with the verdict the command exits with", async () => {
    const { code, served, stderr } = await withReporter(["--mock"], (reporter) => reporter.report());
    expect(code).toBe(0);
    expect(stderr).toMatch(/^test-program: using the embedded mock server at http:\/\/127\.0\.0\.1:\d+/);
    const cli = await runCli(["--mock", "--json"]);
    expect(served?.ok).toBe(true);
    if (!served?.ok) return;
    const printed = JSON.parse(cli.stdout);
    expect(served.report.packages).toEqual(printed.packages);
    expect(served.assessment.code).toBe(cli.code);
  });

  test("reports with the thresholds and regions a request gives", async () => {
    const { served } = await withReporter(["--mock"], async (reporter) => ({
      strict: await reporter.report({ thresholds: { warnDays: 0, criticalDays: 0 } }),
      lax: await reporter.report({ thresholds: { warnDays: 365, criticalDays: 200 } }),
      twoRegions: await reporter.report({ regions: ["cn-north-4", "ap-southeast-3"] }),
      // As --mock --region does: the mock serves every service, but a typo is still a typo.
      typo: await reporter.regionProblem("cn-nort-4"),
    }));
    const codes = [served!.strict, served!.lax].map((made) => (made.ok ? made.assessment.code : undefined));
    expect(codes).toEqual([0, 2]);
    expect(served!.twoRegions.ok && new Set(served!.twoRegions.report.packages.map((row) => row.region))).toEqual(new Set(["cn-north-4", "ap-southeast-3"]));
    expect(served!.typo).toContain('unknown region "cn-nort-4" (did you mean cn-north-4?)');
  });

  test("words a region no endpoint serves as --region does, before any request", async () => {
    const { served } = await withReporter(["--region", "cn-north-4", "--token", "never-sent"], async (reporter) => ({
      typo: await reporter.regionProblem("cn-nort-4"),
      known: await reporter.regionProblem("ap-southeast-3"),
    }));
    expect(served!.typo).toMatch(/^unknown region "cn-nort-4" \(did you mean cn-north-4\?\); valid regions: .*cn-north-4/);
    expect(served!.known).toBeUndefined();
  });

  test("refuses the report's output flags and the exporter's, saying they do not apply, and starts nothing", async () => {
    const { code, stderr, served } = await withReporter(["--mock", "--json", "--listen", ":1", "--warn-days", "3"], async () => "served");
    expect(code).toBe(3);
    expect(served).toBeUndefined();
    expect(stderr.trim().split("\n")).toEqual([
      "test-program: --json does not apply to the MCP server (package_report takes warn_days and critical_days per call; it speaks on stdin and stdout)",
      "test-program: --listen does not apply to the MCP server (package_report takes warn_days and critical_days per call; it speaks on stdin and stdout)",
      "test-program: --warn-days does not apply to the MCP server (package_report takes warn_days and critical_days per call; it speaks on stdin and stdout) (see test-program --help)",
    ]);
  });

  test("prints its own --help and --version on stdout, and says so when no credentials are found", async () => {
    expect(await withReporter(["--help"], async () => "served")).toMatchObject({ code: 0, stdout: "usage text\n", served: undefined });
    expect(await withReporter(["--version"], async () => "served")).toMatchObject({ code: 0, stdout: "9.9.9\n", served: undefined });
    const none = await withReporter(["--region", "cn-north-4"], async () => "served");
    expect(none.code).toBe(3);
    expect(none.served).toBeUndefined();
    expect(none.stderr).toMatch(/^test-program: no credentials: /);
  });
});
