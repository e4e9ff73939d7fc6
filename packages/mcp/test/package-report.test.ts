// package_report is the command's report: the same packages in the same order as
// `codearts-package-status --mock --json`, and a verdict whose exit code is the command's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startForwardProxy } from "@codearts-package-status/test-support";
import { CLI_BIN, runNode, startMcp, textOf, type McpSession } from "./support/mcp.js";

interface Row {
  region: string | null;
  service: string;
  daysLeft: number | null;
  severity?: string;
  [field: string]: unknown;
}
interface Report {
  regions: string[];
  mock: boolean;
  packages: Row[];
  answered: Array<{ region: string | null; service: string; requestId: string | null }>;
  errors: unknown[];
  skipped: unknown[];
  sources: unknown;
}
interface Verdict {
  status: string;
  exitCode: number;
  warnDays: number;
  criticalDays: number;
  critical: number;
  warning: number;
  unknown: number;
  failedServices: number;
}
type Structured = Report & { verdict: Verdict };

const STATUS_OF_EXIT: Record<number, string> = { 0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN" };

/** The command's --json report over --mock with `args`, and its exit code. */
async function command(args: string[]): Promise<{ code: number | null; report: Report }> {
  const run = await runNode(CLI_BIN, ["--mock", "--json", ...args]);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

const withoutSeverity = (rows: Row[]): Row[] => rows.map(({ severity: _severity, ...row }) => row);
const withoutRequestIds = (report: Report) => report.answered.map(({ requestId: _id, ...rest }) => rest);

let session: McpSession;
const cli: Record<string, { code: number | null; report: Report }> = {};
beforeAll(async () => {
  const [started, plain, lenient, strict, regions] = await Promise.all([
    startMcp(["--mock"]),
    command([]),
    command(["--warn-days", "5", "--critical-days", "1"]),
    command(["--warn-days", "40", "--critical-days", "20"]),
    command(["--region", "cn-north-4,cn-east-3"]),
  ]);
  session = started;
  Object.assign(cli, { plain, lenient, strict, regions });
});
afterAll(async () => {
  await session.close();
});

async function report(args: Record<string, unknown>): Promise<Structured> {
  const result = await session.call("package_report", args);
  expect(result.isError ?? false, textOf(result)).toBe(false);
  return result.structuredContent as unknown as Structured;
}

describe("package_report on --mock", () => {
  it("reports the command's packages in the command's order, each with a severity, and the command's regions, errors and sources", async () => {
    const structured = await report({});
    const { report: expected } = cli.plain!;
    expect(expected.packages.length).toBeGreaterThan(0);
    expect(withoutSeverity(structured.packages)).toEqual(expected.packages);
    for (const row of structured.packages) expect(["ok", "warning", "unknown", "critical"]).toContain(row.severity);
    expect(structured.regions).toEqual(expected.regions);
    expect(structured.mock).toBe(true);
    expect(structured.errors).toEqual(expected.errors);
    expect(structured.skipped).toEqual(expected.skipped);
    expect(structured.sources).toEqual(expected.sources);
    expect(withoutRequestIds(structured)).toEqual(withoutRequestIds(expected));
  });

  it("gives the verdict the command's exit code gives, with counts that match the rows' severities", async () => {
    const { verdict, packages } = await report({});
    expect(cli.plain!.code).not.toBeNull();
    expect(verdict.exitCode).toBe(cli.plain!.code);
    expect(verdict.status).toBe(STATUS_OF_EXIT[verdict.exitCode]);
    expect(verdict).toMatchObject({ warnDays: 30, criticalDays: 7, failedServices: 0 });
    for (const severity of ["critical", "warning", "unknown"] as const) expect(verdict[severity], severity).toBe(packages.filter((row) => row.severity === severity).length);
  });

  it("sends a short summary first, then the structured content's JSON", async () => {
    const result = await session.call("package_report", {});
    const structured = result.structuredContent as unknown as Structured;
    expect(result.content).toHaveLength(2);
    const [summary, json] = result.content.map((part) => (part.type === "text" ? part.text : ""));
    expect(summary).toMatch(new RegExp(`^${structured.verdict.status}: ${structured.packages.length} packages reported`));
    expect(JSON.parse(json!)).toEqual(structured);
  });

  it.each([
    ["warn_days 5, critical_days 1", { warn_days: 5, critical_days: 1 }, "lenient", { warnDays: 5, criticalDays: 1 }],
    ["warn_days 40, critical_days 20", { warn_days: 40, critical_days: 20 }, "strict", { warnDays: 40, criticalDays: 20 }],
  ])("with %s, the verdict changes as the command's exit code does with --warn-days and --critical-days", async (_, input, run, thresholds) => {
    const { verdict, packages } = await report(input);
    const expected = cli[run]!;
    expect(verdict).toMatchObject(thresholds);
    expect(verdict.exitCode).toBe(expected.code);
    expect(verdict.exitCode).not.toBe(cli.plain!.code);
    expect(withoutSeverity(packages)).toEqual(expected.report.packages);
  });

  it("thresholds change the rows' severities: at 40/20 days, a package with 11 days left is critical", async () => {
    const { packages } = await report({ warn_days: 40, critical_days: 20 });
    const eleven = packages.filter((row) => row.daysLeft === 11);
    expect(eleven.length).toBeGreaterThan(0);
    for (const row of eleven) expect(row.severity).toBe("critical");
    const { packages: lenient } = await report({ warn_days: 5, critical_days: 1 });
    for (const row of lenient.filter((one) => one.daysLeft === 11)) expect(row.severity).toBe("ok");
  });

  it("given warn_days alone, critical_days is at most it; given critical_days alone, warn_days is at least it", async () => {
    expect((await report({ warn_days: 3 })).verdict).toMatchObject({ warnDays: 3, criticalDays: 3 });
    expect((await report({ critical_days: 45 })).verdict).toMatchObject({ warnDays: 45, criticalDays: 45 });
    expect((await report({ warn_days: 60 })).verdict).toMatchObject({ warnDays: 60, criticalDays: 7 });
  });

  it("critical_days more than warn_days is an error result, not a report", async () => {
    const result = await session.call("package_report", { warn_days: 5, critical_days: 10 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe("package_report: invalid input, nothing was sent: critical_days must not be more than warn_days");
    expect(result.structuredContent).toBeUndefined();
  });

  it.each([
    ["an empty list of regions", { regions: [] }, "regions"],
    ["regions as one string", { regions: "cn-north-4" }, "regions must be array"],
    ["a negative warn_days", { warn_days: -1 }, "warn_days"],
    ["a fractional critical_days", { critical_days: 1.5 }, "critical_days must be integer"],
    ["warn_days as a string", { warn_days: "30" }, "warn_days must be integer"],
    ["an unknown parameter", { region: "cn-north-4" }, "region is not a parameter of this tool"],
  ])("%s is an error result naming the parameter", async (_, input, words) => {
    const result = await session.call("package_report", input);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^package_report: invalid input, nothing was sent: /);
    expect(textOf(result)).toContain(words);
  });

  it("an unknown region is an error naming regions[0] and suggesting the region meant, as the command refuses --mock --region cn-nort-4", async () => {
    const refused = await runNode(CLI_BIN, ["--mock", "--json", "--region", "cn-nort-4"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("did you mean cn-north-4?");
    const result = await session.call("package_report", { regions: ["cn-nort-4"] });
    expect(textOf(result)).toMatch(/^package_report: invalid input, nothing was sent: regions\[0\]: unknown region "cn-nort-4" \(did you mean cn-north-4\?\)/);
    expect(result.isError).toBe(true);
  });

  it("several regions: every package of each region, in the command's order, and the regions as asked", async () => {
    const structured = await report({ regions: ["cn-north-4", "cn-east-3"] });
    const expected = cli.regions!;
    expect(structured.regions).toEqual(["cn-north-4", "cn-east-3"]);
    expect(withoutSeverity(structured.packages)).toEqual(expected.report.packages);
    expect(new Set(structured.packages.map((row) => row.region))).toEqual(new Set(["cn-north-4", "cn-east-3"]));
    expect(structured.packages.length).toBe(2 * cli.plain!.report.packages.length);
    expect(structured.verdict.exitCode).toBe(expected.code);
    expect(withoutRequestIds(structured)).toEqual(withoutRequestIds(expected.report));
  });

  it("a region typed in capitals, or twice, is the one region", async () => {
    const structured = await report({ regions: ["CN-NORTH-4", " cn-north-4 "] });
    expect(structured.regions).toEqual(["cn-north-4"]);
    expect(structured.packages.length).toBe(cli.plain!.report.packages.length);
  });
});

describe("package_report on real regions", () => {
  it("refuses an unknown region before sending anything, naming regions[0] and suggesting cn-north-4", async () => {
    // Anything the server sent would go through this proxy, which only ever connects to loopback.
    const proxy = await startForwardProxy();
    const server = await startMcp(["--region", "cn-north-4"], { HUAWEICLOUD_SDK_TOKEN: "MIIT-report-region-test", HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url });
    try {
      const result = await server.call("package_report", { regions: ["cn-north-4", "cn-nort-4"] });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^package_report: invalid input, nothing was sent: regions\[1\]: unknown region "cn-nort-4" \(did you mean cn-north-4\?\)/);
      const first = await server.call("package_report", { regions: ["cn-nort-4"] });
      expect(textOf(first)).toContain('regions[0]: unknown region "cn-nort-4" (did you mean cn-north-4?)');
      expect(proxy.requests).toEqual([]);
    } finally {
      await server.close();
      await proxy.close();
    }
  });
});
