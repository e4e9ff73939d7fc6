// The command (main, as the bin runs it) and the bin itself, over real HTTP on 127.0.0.1: the
// documented examples through startMockServer, failures through tiny local servers and a closed port.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, documentedOperation, parameterExample, startTestServer, type TestServer } from "@codearts-package-status/test-support";
import { CLEAN_ENV, CLI, parseTable, runBin, runCli } from "./support/cli.js";

// The spec's own words for its codes, written out here rather than imported from src/words.ts,
// so a wrong word in the CLI fails a test instead of being copied into the expectation.
const TIPS_STATUS: Record<number, string> = { 1: "invalid (being enabled)", 2: "in effect", 3: "deleted", 4: "in retention period", 5: "in grace period", 99: "frozen (for security reasons)" };
const NEXT_ACTION: Record<number, string> = { 0: "enters grace period on expiry", 1: "changes yearly/monthly to pay-per-use", 2: "deleted on expiry", 4: "frozen", 5: "deleted" };
const RESOURCE_STATUS: Record<string, string> = { normal: "normal", freeze: "frozen", close: "invalid" };
const LABEL = { artifact: "CodeArts Artifact", check: "CodeArts Check", pipeline: "CodeArts Pipeline" } as const;

interface Tips { status?: number; next_action?: number; next_action_remain_day?: number; next_action_url?: string }
interface ExpectedRow {
  service: "artifact" | "check" | "pipeline";
  resource: string;
  resourceId: string | null;
  resourceType: string | null;
  specCode: string | null;
  status: string;
  statusCode: string | null;
  expiryStatusCode: string | null;
  daysLeft: number | null;
  nextAction: string | null;
  nextActionCode: number | null;
  renewalUrl: string | null;
}

const PROJECT_ID = String(parameterExample("ProjectId"));
const TENANT_ID = String(parameterExample("TenantId"));

/**
 * The body the mock answers with when no `Prefer` header picks one (its README): the first
 * example of the operation's first documented response whose status starts so. The CLI sends
 * no `Prefer`, so this is what `--mock` reports, however many examples the spec documents.
 */
function servedByDefault(operationId: string, statusPrefix = "2"): unknown {
  const example = documentedOperation(operationId).examples.find((e) => e.status.startsWith(statusPrefix));
  if (!example) throw new Error(`${operationId} documents no ${statusPrefix}… example`);
  return example.value;
}

/** Every package of the three 200 examples the mock serves by default, as the report should show it, soonest expiry first. */
function documentedRows(): ExpectedRow[] {
  const artifact = servedByDefault("ShowPackageInfo") as {
    result: Record<string, { resourceId?: string; serviceType: string; packageStatus: number; remainDays: number; nextActionUrl: string }>;
  };
  const check = servedByDefault("ShowTenantPackageStatus") as {
    result: {
      main_resource_list: Array<{ resourceType: string; resourceSpecCode: string; status: string }>;
      other_resource_list: Array<{ resourceId?: string; resourceType: string; specCode: string; resourceStatus: string }>;
      tips: Tips;
    };
  };
  const pipeline = servedByDefault("ValidateTenantPackageIsExpired") as Array<{
    resource_id?: string;
    resource_name: string;
    resource_type: string;
    resource_spec_code: string;
    tips: Tips | null;
  }>;
  const expiry = (tips: Tips) => ({
    expiryStatusCode: tips.status === undefined ? null : String(tips.status),
    daysLeft: tips.next_action_remain_day ?? null,
    nextAction: tips.next_action === undefined ? null : (NEXT_ACTION[tips.next_action] ?? null),
    nextActionCode: tips.next_action ?? null,
    renewalUrl: tips.next_action_url ?? null,
  });
  const rows: ExpectedRow[] = [
    ...Object.entries(artifact.result).map(([name, e]): ExpectedRow => ({
      service: "artifact",
      resource: name,
      resourceId: e.resourceId ?? null,
      resourceType: e.serviceType,
      specCode: null,
      status: TIPS_STATUS[e.packageStatus] ?? "",
      statusCode: String(e.packageStatus),
      expiryStatusCode: null,
      daysLeft: e.remainDays,
      nextAction: null,
      nextActionCode: null,
      renewalUrl: e.nextActionUrl,
    })),
    ...check.result.main_resource_list.map((r): ExpectedRow => ({
      service: "check",
      resource: `${r.resourceType} (main package)`,
      resourceId: null,
      resourceType: r.resourceType,
      specCode: r.resourceSpecCode,
      status: RESOURCE_STATUS[r.status] ?? "",
      statusCode: r.status,
      ...expiry(check.result.tips),
    })),
    ...check.result.other_resource_list.map((r): ExpectedRow => ({
      service: "check",
      resource: r.resourceType,
      resourceId: r.resourceId ?? null,
      resourceType: r.resourceType,
      specCode: r.specCode,
      status: RESOURCE_STATUS[r.resourceStatus] ?? "",
      statusCode: r.resourceStatus,
      ...expiry(check.result.tips),
    })),
    ...pipeline.map((p): ExpectedRow =>
      p.tips === null
        ? { service: "pipeline", resource: p.resource_name, resourceId: p.resource_id ?? null, resourceType: p.resource_type, specCode: p.resource_spec_code, status: "does not expire", statusCode: null, expiryStatusCode: null, daysLeft: null, nextAction: null, nextActionCode: null, renewalUrl: null }
        : { service: "pipeline", resource: p.resource_name, resourceId: p.resource_id ?? null, resourceType: p.resource_type, specCode: p.resource_spec_code, status: TIPS_STATUS[p.tips.status ?? -1] ?? "", statusCode: p.tips.status === undefined ? null : String(p.tips.status), ...expiry(p.tips) },
    ),
  ];
  // Stable sort: equal days keep the services' order.
  return rows.sort((a, b) => (a.daysLeft === b.daysLeft ? 0 : a.daysLeft === null ? 1 : b.daysLeft === null ? -1 : a.daysLeft - b.daysLeft));
}

/** The row as the table shows it; the renewal link only with --wide. */
function asTableRow(row: ExpectedRow): Record<string, string> {
  const { "RENEWAL LINK": _link, ...narrow } = asWideTableRow(row);
  return narrow;
}

function asWideTableRow(row: ExpectedRow): Record<string, string> {
  return {
    SERVICE: LABEL[row.service],
    RESOURCE: row.resource,
    "SPEC CODE": row.specCode ?? "-",
    STATUS: row.status,
    "DAYS LEFT": row.daysLeft === null ? "-" : String(row.daysLeft),
    "NEXT ACTION": row.nextAction ?? "-",
    "RENEWAL LINK": row.renewalUrl ?? "-",
  };
}

// Without --region a row has no region; inRegion gives the rows of a run that named one.
const EXPECTED = documentedRows().map((row) => ({ region: null as string | null, ...row }));
const inRegion = (rows: typeof EXPECTED, region: string) => rows.map((row) => ({ ...row, region }));
const SOONEST = Math.min(...EXPECTED.flatMap((row) => (row.daysLeft === null ? [] : [row.daysLeft])));
// The Nagios exit codes, written out rather than imported from src/exit-codes.ts.
const OK = 0;
const WARNING = 1;
const CRITICAL = 2;
const UNKNOWN = 3;
const within = (days: number) => EXPECTED.filter((row) => row.daysLeft !== null && row.daysLeft <= days).length;
const plural = (n: number) => `${n} package${n === 1 ? "" : "s"}`;
// What the documented examples give under the default thresholds (30 and 7 days): a warning.
// The mock answers every success with a random 32-hex-digit X-Request-Id.
const answeredByMock = (region: string | null) => (["artifact", "check", "pipeline"] as const).map((service) => ({ region, service, requestId: expect.stringMatching(/^[0-9a-f]{32}$/) }));
const DEFAULT_VERDICT = `codearts-package-status: WARNING: ${plural(within(30))} expiring within 30 days\n`;

// The documented --json shape (README), as a schema: nothing missing, nothing extra.
const nullable = (type: string) => ({ type: [type, "null"] });
const SERVICE = { enum: ["artifact", "check", "pipeline"] };
const REPORT_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["regions", "mock", "packages", "answered", "errors", "skipped", "sources"],
  properties: {
    regions: { type: "array", items: { type: "string" } },
    mock: { type: "boolean" },
    packages: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["region", "service", "resource", "resourceId", "resourceType", "specCode", "status", "statusCode", "expiryStatusCode", "daysLeft", "nextAction", "nextActionCode", "renewalUrl"],
        properties: {
          region: nullable("string"),
          service: SERVICE,
          resource: { type: "string", minLength: 1 },
          resourceId: nullable("string"),
          resourceType: nullable("string"),
          specCode: nullable("string"),
          status: { type: "string", minLength: 1 },
          statusCode: nullable("string"),
          expiryStatusCode: nullable("string"),
          daysLeft: nullable("integer"),
          nextAction: nullable("string"),
          nextActionCode: nullable("integer"),
          renewalUrl: nullable("string"),
        },
      },
    },
    answered: {
      type: "array",
      items: { type: "object", additionalProperties: false, required: ["region", "service", "requestId"], properties: { region: nullable("string"), service: SERVICE, requestId: nullable("string") } },
    },
    errors: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["region", "service", "kind", "message", "httpStatus", "errorCode", "requestId"],
        properties: {
          region: nullable("string"),
          service: SERVICE,
          kind: { enum: ["authentication", "permission", "api", "connection", "timeout", "invalid-response", "other"] },
          message: { type: "string", minLength: 1 },
          httpStatus: nullable("integer"),
          errorCode: nullable("string"),
          requestId: nullable("string"),
        },
      },
    },
    skipped: {
      type: "array",
      items: { type: "object", additionalProperties: false, required: ["region", "service", "reason"], properties: { region: nullable("string"), service: SERVICE, reason: { type: "string" } } },
    },
    sources: {
      type: "object",
      additionalProperties: false,
      required: ["credentials", "tenantId", "endpoints"],
      properties: {
        credentials: { type: "string", minLength: 1 },
        tenantId: { type: "string", minLength: 1 },
        endpoints: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["region", "service", "source"],
            properties: { region: nullable("string"), service: { enum: ["artifact", "check", "pipeline", "iam"] }, source: { type: "string", pattern: "^(command line|embedded mock \\(--mock\\)|environment|built-in table|regions file .+)$" } },
          },
        },
      },
    },
  },
};
const validateReport = new Ajv({ strict: true, allowUnionTypes: true }).compile(REPORT_SCHEMA);

/** `sources.endpoints` when every service asked in `region` got its endpoint from `source`. */
function bySource(region: string | null, source: string, services: string[]): Array<{ region: string | null; service: string; source: string }> {
  return services.map((service) => ({ region, service, source }));
}

function parseReport(stdout: string): unknown {
  const report: unknown = JSON.parse(stdout);
  expect(validateReport.errors ?? [], JSON.stringify(validateReport(report) ? [] : validateReport.errors)).toEqual([]);
  expect(validateReport(report)).toBe(true);
  return report;
}

const TOKEN_ENV = { HUAWEICLOUD_SDK_TOKEN: "test-token-not-secret" };

let mock: MockServer;
let endpoints: string[];
beforeAll(async () => {
  mock = await startMockServer({ host: "127.0.0.1", port: 0, credentials: { accessKeys: { TESTAK: "test-sk" } } });
  endpoints = ["--endpoint-artifact", mock.url, "--endpoint-check", mock.url, "--endpoint-pipeline", mock.url, "--endpoint-iam", mock.url];
});
afterAll(() => mock.close());

const ids = ["--project-id", PROJECT_ID, "--tenant-id", TENANT_ID];

describe("the report against the documented examples", () => {
  it("prints one table row per documented package, soonest expiry first", async () => {
    const { code, stdout, stderr } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints], TOKEN_ENV);
    expect(stderr).toBe(DEFAULT_VERDICT);
    expect(code).toBe(WARNING);
    expect(stdout.split("\n")[0]).toMatch(/^SERVICE {2,}RESOURCE {2,}SPEC CODE {2,}STATUS {2,}DAYS LEFT {2,}NEXT ACTION$/);
    expect(parseTable(stdout)).toEqual(EXPECTED.map(asTableRow));
    // Aligned: every column starts at the same offset on every line.
    const lines = stdout.trimEnd().split("\n");
    const header = lines[0] ?? "";
    for (const line of lines.slice(1)) expect(line.indexOf("  ", header.indexOf("NEXT ACTION") - 2)).toBe(header.indexOf("NEXT ACTION") - 2);
    expect(stdout).not.toMatch(/\u001b\[/);
    expect(stdout).not.toMatch(/ +$/m);
    // Piped: nothing is cut, however long.
    expect(stdout).not.toContain("\u2026");
  });

  it("--wide adds the renewal link, whole, as the last column", async () => {
    const { stdout } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints, "--wide"], TOKEN_ENV);
    expect(stdout.split("\n")[0]).toMatch(/^SERVICE {2,}RESOURCE {2,}SPEC CODE {2,}STATUS {2,}DAYS LEFT {2,}NEXT ACTION {2,}RENEWAL LINK$/);
    expect(parseTable(stdout)).toEqual(EXPECTED.map(asWideTableRow));
  });

  it("asks each service for the given IDs, once, with AK/SK signing", async () => {
    mock.requests.length = 0;
    const { code } = await runCli([...ids, ...endpoints], { HUAWEICLOUD_SDK_AK: "TESTAK", HUAWEICLOUD_SDK_SK: "test-sk" });
    expect(code).toBe(WARNING);
    expect(mock.requests.map((r) => [r.operationId, r.status, r.query]).sort()).toEqual([
      ["ShowPackageInfo", 200, { project_id: PROJECT_ID }],
      ["ShowTenantPackageStatus", 200, { project_id: PROJECT_ID }],
      ["ValidateTenantPackageIsExpired", 200, { project_id: PROJECT_ID, is_main: "true" }],
    ]);
    expect(mock.requests.find((r) => r.operationId === "ValidateTenantPackageIsExpired")?.path).toBe(`/v5/${TENANT_ID}/api/package-specs/count-down`);
    expect(mock.requests.every((r) => r.headerNames.includes("authorization") && !r.headerNames.includes("x-auth-token"))).toBe(true);
  });

  it("--json prints the same rows in the documented shape", async () => {
    const { code, stdout, stderr } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints, "--json"], TOKEN_ENV);
    expect(stderr).toBe(DEFAULT_VERDICT);
    expect(code).toBe(WARNING);
    expect(parseReport(stdout)).toEqual({ regions: ["cn-north-4"], mock: false, packages: inRegion(EXPECTED, "cn-north-4"), answered: answeredByMock("cn-north-4"), errors: [], skipped: [], sources: { credentials: "environment", tenantId: "command line", endpoints: bySource("cn-north-4", "command line", ["artifact", "check", "pipeline"]) } });
  });

  it("the documented examples cover all three services, with and without expiry", () => {
    expect(new Set(EXPECTED.map((r) => r.service))).toEqual(new Set(["artifact", "check", "pipeline"]));
    expect(EXPECTED.at(-1)?.daysLeft).toBeNull();
    expect(SOONEST).toBe(11);
  });
});

describe("exit codes: the Nagios plugin convention", () => {
  it.each([
    // [--warn-days, --critical-days, exit code]; the soonest documented expiry is 11 days.
    [SOONEST - 1, 0, OK],
    [SOONEST, 0, WARNING],
    [40, SOONEST - 1, WARNING],
    [40, SOONEST, CRITICAL],
    [SOONEST, SOONEST, CRITICAL],
  ])(`--warn-days %i --critical-days %i exits %i (soonest expiry: ${SOONEST} days)`, async (warn, critical, exitCode) => {
    const { code, stdout, stderr } = await runCli([...ids, ...endpoints, "--warn-days", String(warn), "--critical-days", String(critical)], TOKEN_ENV);
    expect(code).toBe(exitCode);
    // The report is printed either way.
    expect(parseTable(stdout)).toHaveLength(EXPECTED.length);
    const criticalCount = within(critical);
    const warningCount = within(warn) - criticalCount;
    expect(stderr).toBe(
      (criticalCount > 0 ? `codearts-package-status: CRITICAL: ${plural(criticalCount)} expired, in a status past expiry, or expiring within ${critical} days\n` : "") +
        (warningCount > 0 ? `codearts-package-status: WARNING: ${plural(warningCount)} expiring within ${warn} days\n` : ""),
    );
  });

  it("defaults to WARNING within 30 days and CRITICAL within 7", async () => {
    expect(await runCli([...ids, ...endpoints], TOKEN_ENV)).toMatchObject({ code: WARNING, stderr: DEFAULT_VERDICT });
    // One threshold alone moves the other only as far as it must: CRITICAL never exceeds WARNING.
    expect((await runCli([...ids, ...endpoints, "--warn-days", "5"], TOKEN_ENV)).code).toBe(OK);
    expect((await runCli([...ids, ...endpoints, "--critical-days", "40"], TOKEN_ENV)).code).toBe(CRITICAL);
  });

  it("a package in a status past expiry is CRITICAL whatever its days left", async () => {
    // Artifact's packageStatus 5 (grace period) with 300 days left until the next step.
    const grace = await startTestServer(() => ({ status: 200, body: { status: "success", result: { ext: { packageStatus: 5, remainDays: 300 } } } }));
    try {
      const { code, stderr } = await runCli(["--mock", "--endpoint-artifact", grace.url]);
      expect(code).toBe(CRITICAL);
      expect(stderr).toContain("codearts-package-status: CRITICAL: 1 package expired, in a status past expiry, or expiring within 7 days\n");
    } finally {
      await grace.close();
    }
  });

  it("keeps stdout valid JSON when warning", async () => {
    const { code, stdout } = await runCli([...ids, ...endpoints, "--warn-days", "40", "--critical-days", "0", "--json"], TOKEN_ENV);
    expect(code).toBe(WARNING);
    expect((parseReport(stdout) as { packages: unknown[] }).packages).toEqual(EXPECTED);
  });

  it.each([
    ["--warn-days=-1", /^codearts-package-status: --warn-days must be a whole number, 0 or more/],
    ["--warn-days=ten", /^codearts-package-status: --warn-days must be a whole number, 0 or more/],
    ["--critical-days=1.5", /^codearts-package-status: --critical-days must be a whole number, 0 or more/],
  ])("rejects %s, exit 3", async (flag, message) => {
    const { code, stderr } = await runCli([...ids, ...endpoints, flag], TOKEN_ENV);
    expect(code).toBe(UNKNOWN);
    expect(stderr).toMatch(message);
  });

  it("rejects --critical-days above --warn-days, exit 3", async () => {
    const { code, stdout, stderr } = await runCli([...ids, ...endpoints, "--warn-days", "5", "--critical-days", "6"], TOKEN_ENV);
    expect(code).toBe(UNKNOWN);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/--critical-days must not be more than --warn-days/);
  });

  it("no arguments and nothing configured: the usage on stderr, exit 3", async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(UNKNOWN);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^Usage: codearts-package-status /);
    expect(stderr).toMatch(/^ {2}3 {2}UNKNOWN/m);
  });

  it("no arguments but a configuration in the environment: runs it", async () => {
    const { code, stderr } = await runCli([], { HUAWEICLOUD_SDK_REGION: "cn-north-4", CODEARTS_PROJECT_ID: PROJECT_ID, HUAWEICLOUD_SDK_DOMAIN_ID: TENANT_ID });
    // Configured, so not the usage: the missing credentials are named instead.
    expect(code).toBe(UNKNOWN);
    expect(stderr).toMatch(/^codearts-package-status: no credentials/);
  });
});

describe("--timeout-ms", () => {
  // Node's timers hold at most 2^31-1 ms; a longer delay fires after 1 ms, and every call would time out.
  it("accepts the longest timeout Node's timers hold", async () => {
    const { code, stdout } = await runCli(["--mock", "--json", "--timeout-ms", String(2 ** 31 - 1)]);
    expect(code).toBe(WARNING);
    expect((parseReport(stdout) as { packages: unknown[] }).packages).toEqual(EXPECTED);
  });

  it.each([String(2 ** 31), "0", "9007199254740993"])("refuses --timeout-ms %s before asking any service", async (value) => {
    const { code, stdout, stderr } = await runCli(["--mock", "--timeout-ms", value]);
    expect(code).toBe(UNKNOWN);
    expect(stdout).toBe("");
    expect(stderr).toBe("codearts-package-status: --timeout-ms must be a whole number from 1 to 2147483647 (see codearts-package-status --help)\n");
  });
});

describe("the terminal: color and width", () => {
  const COLOR = /\u001b\[3\dm/;
  it.each<[string, string[], Record<string, string>, boolean]>([
    ["FORCE_COLOR=1 colors a pipe", [], { FORCE_COLOR: "1" }, true],
    ["FORCE_COLOR=3 colors a pipe", [], { FORCE_COLOR: "3" }, true],
    ["FORCE_COLOR=0 does not", [], { FORCE_COLOR: "0" }, false],
    ["NO_COLOR wins over FORCE_COLOR", [], { FORCE_COLOR: "1", NO_COLOR: "1" }, false],
    ["--json is never colored", ["--json"], { FORCE_COLOR: "1" }, false],
    ["a pipe is not colored by default", [], {}, false],
  ])("%s", async (_name, extra, env, colored) => {
    const { stdout } = await runCli(["--mock", ...extra], env);
    if (colored) expect(stdout).toMatch(COLOR);
    else expect(stdout).not.toMatch(COLOR);
    // The coloring never moves a column: without its codes the table is the plain one.
    if (extra.includes("--json")) expect((parseReport(stdout) as { packages: unknown[] }).packages).toEqual(EXPECTED);
    else expect(parseTable(stdout.replace(/\u001b\[\d+m/g, ""))).toEqual(EXPECTED.map(asTableRow));
  });

  // A pseudo-terminal through util-linux's script(1), so the command sees a real TTY of a set width.
  const inTerminal = async (columns: number, args: string[], env: Record<string, string>): Promise<string[]> => {
    const command = `stty cols ${columns} rows 50; ${[process.execPath, CLI, ...args].map((word) => `'${word}'`).join(" ")} 2>/dev/null`;
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
      execFile("script", ["-qec", command, "/dev/null"], { env: { PATH: process.env.PATH ?? "", ...env }, timeout: 30_000 }, (error, out) => (error && error.code !== 1 ? reject(error) : resolve({ stdout: out }))),
    );
    return stdout.split("\r\n").filter((line) => line.length > 0);
  };

  it.skipIf(!existsSync("/usr/bin/script"))("on an 80-column terminal every line fits, cut values end with …; TERM=dumb has no color", async () => {
    const lines = await inTerminal(80, ["--mock"], { TERM: "dumb" });
    expect(lines[0]).toMatch(/^SERVICE {2,}RESOURCE {2,}SPEC CODE {2,}STATUS {2,}DAYS LEFT {2,}NEXT ACTION$/);
    expect(lines).toHaveLength(EXPECTED.length + 1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.join("\n")).toContain("\u2026");
    expect(lines.join("\n")).not.toMatch(/\u001b/);
    // Each cut cell is the start of the value the pipe shows whole.
    const cut = parseTable(lines.join("\n"));
    for (const [i, row] of cut.entries()) {
      const whole = asTableRow(EXPECTED[i] as ExpectedRow);
      for (const [column, cell] of Object.entries(row)) {
        if (cell.endsWith("\u2026")) expect(whole[column]?.startsWith(cell.slice(0, -1))).toBe(true);
        else expect(cell).toBe(whole[column]);
      }
    }
  });

  it.skipIf(!existsSync("/usr/bin/script"))("a terminal is colored, unless NO_COLOR", async () => {
    expect((await inTerminal(200, ["--mock"], { TERM: "xterm" })).join("\n")).toMatch(COLOR);
    expect((await inTerminal(200, ["--mock"], { TERM: "xterm", NO_COLOR: "1" })).join("\n")).not.toMatch(COLOR);
  });
});

describe("only a region: the rest from ~/.huaweicloud and IAM", () => {
  // HOME is a temp dir, so no real ~/.huaweicloud is read: its credentials file holds the key
  // pair the mock accepts and its regions file sends every service, IAM included, to the mock on
  // loopback. The ECS metadata step is off, so nothing but loopback is ever dialled.
  it("codearts-package-status --region cn-north-4 reports every package, the tenant ID discovered from the mock's IAM", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "codearts-cli-home-"));
    try {
      mkdirSync(path.join(home, ".huaweicloud"));
      writeFileSync(path.join(home, ".huaweicloud", "credentials"), "[basic]\nak = TESTAK\nsk = test-sk\n");
      writeFileSync(
        path.join(home, ".huaweicloud", "regions.yaml"),
        ["CodeArtsArtifact", "CodeArtsCheck", "CodeArtsPipeline", "IAM"].map((service) => `${service}:\n  - id: cn-north-4\n    endpoint: '${mock.url}'\n`).join(""),
      );
      const { code, stdout, stderr } = await runCli(["--region", "cn-north-4", "--json", "--verbose"], { HOME: home, CODEARTS_ECS_METADATA_DISABLED: "true" });
      expect(stderr).toContain("codearts-package-status: tenant ID from IAM (KeystoneListAuthDomains)\n");
      const regionsFile = `regions file ${path.join(home, ".huaweicloud", "regions.yaml")}`;
      expect(stderr).toContain(`codearts-package-status: CodeArts Check endpoint in cn-north-4 from ${regionsFile}\n`);
      expect(stderr).toContain(`codearts-package-status: IAM endpoint in cn-north-4 from ${regionsFile}\n`);
      expect(stderr).not.toContain("test-sk");
      expect(stderr).not.toContain(mock.url);
      expect(code).toBe(WARNING);
      expect(parseReport(stdout)).toMatchObject({
        regions: ["cn-north-4"],
        errors: [],
        sources: {
          credentials: `profile ${path.join(home, ".huaweicloud", "credentials")}`,
          tenantId: "IAM (KeystoneListAuthDomains)",
          endpoints: ["artifact", "check", "pipeline", "iam"].map((service) => ({ region: "cn-north-4", service, source: regionsFile })),
        },
      });
      expect((parseReport(stdout) as { packages: unknown[] }).packages).toHaveLength(EXPECTED.length);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("a region the built-in table lacks works when HUAWEICLOUD_SDK_REGION_* variables name its endpoints, and is refused with a hint when none do", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "codearts-cli-home-"));
    try {
      const overrides = Object.fromEntries(["CODEARTSARTIFACT", "CODEARTSCHECK", "CODEARTSPIPELINE", "IAM"].map((service) => [`HUAWEICLOUD_SDK_REGION_${service}_XX_PRIVATE_1`, mock.url]));
      const env = { HOME: home, CODEARTS_ECS_METADATA_DISABLED: "true", HUAWEICLOUD_SDK_TOKEN: "t0ken" };
      const served = await runCli(["--region", "xx-private-1", "--json", "--verbose"], { ...env, ...overrides });
      expect(served.stderr).toContain("codearts-package-status: CodeArts Artifact endpoint in xx-private-1 from environment\n");
      expect(served.code).toBe(WARNING);
      const report = parseReport(served.stdout) as { errors: unknown[]; packages: unknown[]; sources: { endpoints: unknown[] } };
      expect(report.errors).toEqual([]);
      expect(report.packages).toHaveLength(EXPECTED.length);
      expect(report.sources.endpoints).toHaveLength(4);

      const refused = await runCli(["--region", "cn-nort-4"], env);
      expect(refused.code).toBe(3);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain('unknown region "cn-nort-4" (did you mean cn-north-4?)');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("a region a regions file mentions only in a comment is refused at once as usage, with the closest known region", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "codearts-cli-home-"));
    try {
      mkdirSync(path.join(home, ".huaweicloud"));
      // The file mentions cn-nort-4 in a comment only: no service entry names it.
      writeFileSync(path.join(home, ".huaweicloud", "regions.yaml"), `# cn-nort-4 is not set up yet\nCodeArtsCheck:\n  - id: cn-north-4\n    endpoint: '${mock.url}'\n`);
      const { code, stdout, stderr } = await runCli(["--region", "cn-nort-4"], { HOME: home, CODEARTS_ECS_METADATA_DISABLED: "true", HUAWEICLOUD_SDK_TOKEN: "t0ken" });
      expect(code).toBe(3);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^codearts-package-status: unknown region "cn-nort-4" \(did you mean cn-north-4\?\); valid regions: /);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("the usage line asks for a region only", async () => {
    const { stdout } = await runCli(["--help"]);
    expect(stdout.split("\n")[0]).toMatch(/^Usage: codearts-package-status --region REGION(\[,…\])? \[options\]$/);
  });
});

describe("--mock", () => {
  it("prints the mock's URL on stderr, so stdout is the table alone, and needs no flags", async () => {
    const { code, stdout, stderr } = await runCli(["--mock"]);
    expect(code).toBe(WARNING);
    const [banner, ...rest] = stderr.split("\n");
    expect(banner).toMatch(/^Using the embedded mock server at http:\/\/127\.0\.0\.1:\d+: /);
    expect(`${rest.join("\n")}`).toBe(DEFAULT_VERDICT);
    // `awk 'NR>1'` skips exactly the header.
    expect(stdout.split("\n")[0]).toMatch(/^SERVICE /);
    expect(parseTable(stdout)).toEqual(EXPECTED.map(asTableRow));
  });

  it("--json sends the mock note to stderr so stdout is one JSON document", async () => {
    const { code, stdout, stderr } = await runCli(["--mock", "--json", "--region", "cn-north-4"]);
    expect(code).toBe(WARNING);
    expect(stderr).toMatch(/^Using the embedded mock server at http:\/\/127\.0\.0\.1:\d+: .*\n/);
    expect(parseReport(stdout)).toEqual({ regions: ["cn-north-4"], mock: true, packages: inRegion(EXPECTED, "cn-north-4"), answered: answeredByMock("cn-north-4"), errors: [], skipped: [], sources: { credentials: "demo token (--mock)", tenantId: "IAM (KeystoneListAuthDomains)", endpoints: bySource("cn-north-4", "embedded mock (--mock)", ["artifact", "check", "pipeline", "iam"]) } });
  });

  it("accepts the AK/SK credentials given, and the mock verifies their signatures", async () => {
    const { code, stdout } = await runCli(["--mock", "--json"], { HUAWEICLOUD_SDK_AK: "MOCKAK", HUAWEICLOUD_SDK_SK: "mock-sk", HUAWEICLOUD_SDK_SECURITY_TOKEN: "mock-st" });
    expect(code).toBe(WARNING);
    expect((JSON.parse(stdout) as { packages: unknown[] }).packages).toEqual(EXPECTED);
  });
});

describe("errors", () => {
  let unauthorized: TestServer;
  let unauthorizedUrl: string;
  const UNAUTHORIZED_BODY = servedByDefault("ShowTenantPackageStatus", "401") as { error_code: string; error_msg: string };
  beforeAll(async () => {
    // Answers like CodeArts Check does to an expired token: its documented 401 body.
    unauthorized = await startTestServer(() => ({ status: 401, headers: { "X-Request-Id": "req-expired-0001" }, body: UNAUTHORIZED_BODY }));
    unauthorizedUrl = unauthorized.url;
  });
  afterAll(() => unauthorized.close());

  it("no credentials: one line naming the flags and every place looked, exit 3", async () => {
    const { code, stdout, stderr } = await runCli(["--region", "cn-north-4", ...ids]);
    expect(code).toBe(UNKNOWN);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^codearts-package-status: no credentials: pass --access-key and --secret-key, or --token; looked in: environment \(HUAWEICLOUD_SDK_AK\/HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_TOKEN not set\); profile \/\S+\/\.huaweicloud\/credentials \(no such file\); ECS metadata \(disabled by CODEARTS_ECS_METADATA_DISABLED\)\n$/,
    );
  });

  it("an expired token (401): error code, message, request ID and a hint, per service, exit 3", async () => {
    const { code, stdout, stderr } = await runCli(
      [...ids, "--endpoint-artifact", unauthorizedUrl, "--endpoint-check", unauthorizedUrl, "--endpoint-pipeline", unauthorizedUrl],
      TOKEN_ENV,
    );
    expect(code).toBe(UNKNOWN);
    expect(stdout).toBe("");
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    for (const [i, label] of ["CodeArts Artifact", "CodeArts Check", "CodeArts Pipeline"].entries()) {
      expect(lines[i]).toBe(
        `codearts-package-status: ${label}: authentication failed: ${UNAUTHORIZED_BODY.error_code} ${UNAUTHORIZED_BODY.error_msg} (request req-expired-0001); hint: the IAM token may have expired (tokens last 24 hours) or belong to another account; get a new one and set HUAWEICLOUD_SDK_TOKEN`,
      );
    }
  });

  it("a signature the mock rejects (401 APIG.0301), with the AK/SK hint", async () => {
    const { code, stderr } = await runCli([...ids, ...endpoints, "--json"], { HUAWEICLOUD_SDK_AK: "TESTAK", HUAWEICLOUD_SDK_SK: "wrong-sk" });
    expect(code).toBe(UNKNOWN);
    expect(stderr).toMatch(
      /^codearts-package-status: CodeArts Check: authentication failed: APIG\.0301 Incorrect IAM authentication information: verify aksk signature fail \(request [0-9a-f]+\); hint: check HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/m,
    );
  });

  it("an unknown region: lists the valid ones, exit 3", async () => {
    const { code, stdout, stderr } = await runCli(["--region", "mars-north-1", ...ids], TOKEN_ENV);
    expect(code).toBe(UNKNOWN);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^codearts-package-status: unknown region "mars-north-1"; valid regions: [a-z0-9-]+(, [a-z0-9-]+)+ \(see codearts-package-status --help\)\n$/);
    expect(stderr).toContain("cn-north-4, cn-south-1");
  });

  it("an unreachable endpoint: names the host, exit 3", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const { code, stdout, stderr } = await runCli(
      [...ids, "--endpoint-artifact", url, "--endpoint-check", url, "--endpoint-pipeline", url, "--json"],
      TOKEN_ENV,
    );
    expect(code).toBe(UNKNOWN);
    const report = parseReport(stdout) as { packages: unknown[]; errors: Array<{ kind: string; message: string }> };
    expect(report.packages).toEqual([]);
    expect(report.errors.map((e) => e.kind)).toEqual(["connection", "connection", "connection"]);
    expect(report.errors[0]?.message).toMatch(new RegExp(`^cannot reach 127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)$`));
    expect(stderr).toContain(`codearts-package-status: CodeArts Check: cannot reach 127.0.0.1:${port}: connection refused (ECONNREFUSED); hint:`);
    expect(stderr).toContain("or set --endpoint-check");
  });

  it("a service slower than --timeout-ms: names the host and the timeout, exit 3", async () => {
    const slow = await startMockServer({ host: "127.0.0.1", port: 0, latencyMs: 1_000 });
    try {
      const { code, stdout, stderr } = await runCli(["--mock", "--endpoint-pipeline", slow.url, "--timeout-ms", "100", "--json"]);
      expect(code).toBe(UNKNOWN);
      const report = parseReport(stdout) as { packages: unknown[] };
      expect(report.packages).toEqual(EXPECTED.filter((r) => r.service !== "pipeline"));
      // Three attempts (two retries) of at most 100 ms each, and the waits between them: the total is said.
      expect(stderr).toMatch(
        new RegExp(`codearts-package-status: CodeArts Pipeline: no answer from ${new URL(slow.url).host.replace(/\./g, "\\.")}: timed out after 3 attempts in (\\d+\\.\\d) s \\(each attempt limited to 100 ms\\); hint: check the network`),
      );
      expect(Number(/in (\d+\.\d) s/.exec(stderr)?.[1])).toBeGreaterThanOrEqual(0.3);
    } finally {
      await slow.close();
    }
  });

  it("one service failing: the others' table, the failure, exit 3", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const table = await runCli(["--mock", "--endpoint-check", url]);
    expect(table.code).toBe(UNKNOWN);
    expect(parseTable(table.stdout)).toEqual(EXPECTED.filter((r) => r.service !== "check").map(asTableRow));
    expect(table.stderr).toMatch(/^codearts-package-status: CodeArts Check: cannot reach 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\); hint: .*\n/m);

    const json = await runCli(["--mock", "--endpoint-check", url, "--json", "--warn-days", "40", "--critical-days", "0"]);
    expect(json.code).toBe(UNKNOWN); // a failure outranks a warning
    const report = parseReport(json.stdout) as { packages: unknown[]; errors: Array<{ service: string; kind: string }> };
    expect(report.packages).toEqual(EXPECTED.filter((r) => r.service !== "check"));
    expect(report.errors).toMatchObject([{ region: null, service: "check", kind: "connection", httpStatus: null }]);
  });

  it("a service not offered in the region is skipped, not failed", async () => {
    // af-north-1 has Artifact and Pipeline hosts but no Check host.
    const { code, stdout, stderr } = await runCli(["--region", "af-north-1", ...ids, "--endpoint-artifact", mock.url, "--endpoint-pipeline", mock.url, "--json"], TOKEN_ENV);
    expect(code).toBe(WARNING);
    const report = parseReport(stdout) as { packages: unknown[]; skipped: unknown[] };
    expect(report.skipped).toEqual([{ region: "af-north-1", service: "check", reason: "not offered in af-north-1" }]);
    expect(report.packages).toEqual(inRegion(EXPECTED, "af-north-1").filter((r) => r.service !== "check"));
    expect(stderr).toBe(`codearts-package-status: CodeArts Check skipped: not offered in af-north-1\n${DEFAULT_VERDICT}`);
  });

  it.each([
    [["--region", "cn-north-4", "--project-id", "short", "--tenant-id", TENANT_ID], /^codearts-package-status: --project-id must be 32 letters and digits/],
    [ids, /^codearts-package-status: no region: pass --region or set HUAWEICLOUD_SDK_REGION/],
    [["--mock", "--endpoint-check", "ftp://x"], /^codearts-package-status: --endpoint-check must be an http or https URL/],
    [["--mock", "--bogus"], /^codearts-package-status: unknown option --bogus \(see/],
    [["--mock", "--regoin", "x"], /^codearts-package-status: unknown option --regoin \(did you mean --region\?\)\ncodearts-package-status: unexpected argument: this command takes options only \(see/],
    [["--mock", "--region", "--json"], /^codearts-package-status: --region needs a value \(see/],
  ])("usage errors are one line and exit 3: %j", async (args, message) => {
    const { code, stdout, stderr } = await runCli(args, TOKEN_ENV);
    expect(code).toBe(UNKNOWN);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    // One line per problem, and the pointer to --help once, at the end.
    expect(stderr.match(/\(see codearts-package-status --help\)\n/g)).toHaveLength(1);
    expect(stderr).toMatch(/\(see codearts-package-status --help\)\n$/);
  });

  it("every problem is reported in one run, one line each, exit 3", async () => {
    const { code, stdout, stderr } = await runCli(["--region", "cn-nort-4", "--project-id", "short", "--warn-days", "x", "--tokn=hunter2-secret", "--json=1"]);
    expect(code).toBe(UNKNOWN);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([
      "codearts-package-status: unknown option --tokn (did you mean --token?)",
      "codearts-package-status: --json takes no value",
      expect.stringMatching(/^codearts-package-status: unknown region "cn-nort-4" \(did you mean cn-north-4\?\); valid regions: af-north-1, /),
      "codearts-package-status: --project-id must be 32 letters and digits",
      // No "no credentials" line: the profile file and the ECS are looked at only once the command line is right.
      "codearts-package-status: --warn-days must be a whole number, 0 or more (see codearts-package-status --help)",
    ]);
    expect(stderr).not.toContain("hunter2");
  });

  it.each([["CN-NORTH-4"], ["Cn-North-4"], [" cn-north-4 "]])("region IDs are case-insensitive: %j is cn-north-4", async (typed) => {
    const { code, stdout } = await runCli(["--region", typed, ...ids, ...endpoints, "--json"], TOKEN_ENV);
    expect(code).toBe(WARNING);
    expect((parseReport(stdout) as { regions: string[] }).regions).toEqual(["cn-north-4"]);
    // From the environment too.
    const fromEnv = await runCli([...ids, ...endpoints, "--json"], { ...TOKEN_ENV, HUAWEICLOUD_SDK_REGION: typed });
    expect((parseReport(fromEnv.stdout) as { regions: string[] }).regions).toEqual(["cn-north-4"]);
  });
});

describe("credentials are never printed", () => {
  const SECRETS = {
    HUAWEICLOUD_SDK_AK: "ENVAKSECRET111",
    HUAWEICLOUD_SDK_SK: "env-sk-secret-222",
    HUAWEICLOUD_SDK_SECURITY_TOKEN: "env-security-token-secret-333",
    HUAWEICLOUD_SDK_TOKEN: "env-iam-token-secret-444",
  };
  const FLAG_SECRETS = ["flag-token-secret-555", "FLAGAKSECRET666", "flag-sk-secret-777", "flag-security-token-secret-888"];
  let deadUrl: string;
  beforeAll(async () => {
    deadUrl = `http://127.0.0.1:${await closedPort()}`;
  });

  it.each<[string, () => string[], Record<string, string>]>([
    ["env AK/SK, success", () => [...ids, ...endpoints], SECRETS],
    ["env AK/SK rejected by the mock, --json", () => [...ids, ...endpoints, "--json"], SECRETS],
    ["flag token, the service answers 404", () => [...ids, "--token", FLAG_SECRETS[0] as string, ...endpoints.map((e) => (e === mock.url ? `${mock.url}/nowhere` : e))], SECRETS],
    ["flag AK/SK with security token, --mock", () => ["--mock", "--access-key", FLAG_SECRETS[1] as string, "--secret-key", FLAG_SECRETS[2] as string, "--security-token", FLAG_SECRETS[3] as string], SECRETS],
    ["flag AK/SK, unreachable", () => [...ids, "--access-key", FLAG_SECRETS[1] as string, "--secret-key", FLAG_SECRETS[2] as string, "--endpoint-artifact", deadUrl, "--endpoint-check", deadUrl, "--endpoint-pipeline", deadUrl], {}],
    ["half a flag pair", () => ["--mock", "--secret-key", FLAG_SECRETS[2] as string], SECRETS],
    ["token and AK flags together", () => ["--mock", "--token", FLAG_SECRETS[0] as string, "--access-key", FLAG_SECRETS[1] as string], {}],
    ["secret pasted as a stray argument", () => ["--mock", "--json", FLAG_SECRETS[0] as string], {}],
    ["secret after an unknown flag", () => ["--mock", `--tokn=${FLAG_SECRETS[0] as string}`], {}],
    ["token with a line break", () => ["--mock", "--token", `${FLAG_SECRETS[0] as string}\nx`], {}],
  ])("%s", async (_name, args, env) => {
    const { stdout, stderr } = await runCli(args(), env);
    expect(`${stdout}${stderr}`.length).toBeGreaterThan(0);
    for (const secret of [...Object.values(SECRETS), ...FLAG_SECRETS]) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  });
});

describe("the bin and the package", () => {
  it("importing the package (ESM or CommonJS) runs nothing and prints nothing", async () => {
    const dist = new URL("../dist/", import.meta.url);
    const importing = `import(${JSON.stringify(new URL("index.js", dist).href)}).then((m) => { if (typeof m.main !== "function") process.exit(9); })`;
    const requiring = `if (typeof require(${JSON.stringify(fileURLToPath(new URL("index.cjs", dist)))}).main !== "function") process.exit(9);`;
    for (const script of [importing, requiring]) {
      const outcome = await new Promise<{ code: number | null; output: string }>((resolve) =>
        execFile(process.execPath, ["-e", script], { env: CLEAN_ENV, timeout: 20_000 }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr })),
      );
      expect(outcome).toEqual({ code: 0, output: "" });
    }
  });

  it("the bin runs main with the process's arguments, environment and streams: the report on stdout, exit 1 for a WARNING", async () => {
    const { code, stdout, stderr } = await runBin(["--mock", "--json"]);
    expect(code).toBe(WARNING);
    expect((parseReport(stdout) as { packages: unknown[] }).packages).toEqual(EXPECTED);
    expect(stderr).toMatch(/^Using the embedded mock server at http:\/\/127\.0\.0\.1:\d+: /);
    expect(await runBin(["--version"])).toEqual(await runCli(["--version"]));
    expect((await runBin(["--bogus"], { HUAWEICLOUD_SDK_REGION: "cn-north-4" })).code).toBe(UNKNOWN);
  });
});

describe("--help and --version", () => {
  it("--help documents every flag and environment variable, exit 0", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const word of ["--region", "--project-id", "--tenant-id", "--json", "--warn-days", "--mock", "--timeout-ms", "--endpoint-artifact", "--endpoint-check", "--endpoint-pipeline", "--token", "--access-key", "--secret-key", "--security-token", "HUAWEICLOUD_SDK_REGION", "CODEARTS_PROJECT_ID", "HUAWEICLOUD_SDK_DOMAIN_ID", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_TOKEN"]) {
      expect(stdout).toContain(word);
    }
  });

  it("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(await runCli(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});
