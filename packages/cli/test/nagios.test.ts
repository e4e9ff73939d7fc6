import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closedPort } from "@codearts-package-status/test-support";
import { nagiosLine } from "../src/nagios.js";
import type { PackageRow } from "../src/report.js";
import { assess } from "../src/severity.js";
import { runCli } from "./support/cli.js";
import { FORBIDDEN, HOSTILE_TEXT } from "./support/hostile.js";

const row = (overrides: Partial<PackageRow>): PackageRow => ({
  region: null,
  service: "artifact",
  resource: "codeartsStorageExtension",
  resourceId: null,
  resourceType: null,
  specCode: null,
  status: "in effect",
  statusCode: "2",
  expiryStatusCode: null,
  daysLeft: 11,
  nextAction: null,
  nextActionCode: null,
  renewalUrl: null,
  ...overrides,
});

// The plugin output grammar: "TEXT|perfdata", each perfdata item 'label'=value[UOM];warn;crit;min;max.
const PERFDATA = /^'[a-z_]+'=-?\d+(s)?;[\d:]*;[\d:]*;\d*;\d*$/;

describe("--nagios", () => {
  it("end to end: one status line on stdout, the state word matching the exit code, perfdata in seconds", async () => {
    const { code, stdout } = await runCli(["--mock", "--nagios"]);
    expect(code).toBe(1);
    expect(stdout.split("\n")).toEqual([expect.any(String), ""]);
    const [status, perfdata] = stdout.trimEnd().split("|") as [string, string];
    expect(status).toMatch(/^CODEARTS PACKAGES WARNING - 2 packages within 30 days: codeartsStorageExtension \(CodeArts Artifact: 11 days left\), /);
    for (const item of perfdata.split(" ")) expect(item).toMatch(PERFDATA);
    // 11 days in seconds; WARNING below 31 days (30 days or fewer), CRITICAL below 8.
    expect(perfdata).toContain(`'soonest_expiry'=${11 * 86_400}s;${31 * 86_400}:;${8 * 86_400}:;;`);
    expect(perfdata).toContain("'packages'=7;;;0;");
    expect((await runCli(["--mock", "--nagios", "--warn-days", "5"])).stdout).toMatch(/^CODEARTS PACKAGES OK - 7 packages, none expires within 5 days\|/);
  });

  // Icinga 2 reads a plugin's stdout and stderr as one stream: a stderr line would become part
  // of the check's output, or its whole short output when it comes first.
  describe("writes nothing on stderr, which Icinga 2 would mix into the status line", () => {
    it("with --mock: no banner and no verdict line, the status line alone", async () => {
      const { code, stdout, stderr } = await runCli(["--mock", "--nagios"]);
      expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
      expect(stdout).toMatch(/^CODEARTS PACKAGES WARNING - [^\n]*\n$/);
    });

    it("with a failing service: the failure is in the status line, not on stderr", async () => {
      const { code, stdout, stderr } = await runCli(["--mock", "--nagios", "--endpoint-check", `http://127.0.0.1:${await closedPort()}`, "--timeout-ms", "1000"]);
      expect({ code, stderr }).toEqual({ code: 3, stderr: "" });
      expect(stdout).toMatch(/^CODEARTS PACKAGES UNKNOWN - 1 service failed: CodeArts Check: cannot reach 127\.0\.0\.1:\d+[^\n]*\|[^\n]*'services_failed'=1;;;0;\n$/);
    });

    it("without credentials: an UNKNOWN status line saying where it looked, on stdout", async () => {
      const { code, stdout, stderr } = await runCli(["--nagios", "--region", "cn-north-4"]);
      expect({ code, stderr }).toEqual({ code: 3, stderr: "" });
      expect(stdout).toMatch(/^CODEARTS PACKAGES UNKNOWN - no credentials: pass --access-key and --secret-key, or --token; looked in: environment [^\n|]*\n$/);
    });

    it("an unusable command line still goes to stderr: there is no run to report on", async () => {
      const { code, stdout, stderr } = await runCli(["--nagios", "--region", "cn-north-4", "--warn-days", "x"]);
      expect({ code, stdout }).toEqual({ code: 3, stdout: "" });
      expect(stderr).toMatch(/--warn-days/);
    });
  });

  it("is refused with --json, exit 3", async () => {
    const { code, stderr } = await runCli(["--mock", "--nagios", "--json"]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/pass either --json or --nagios, not both/);
  });

  it("whatever the services send, the line is one line, nothing raw, and no | before the perfdata", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ resource: HOSTILE_TEXT, region: fc.option(HOSTILE_TEXT, { nil: null }), daysLeft: fc.option(fc.integer({ min: -5, max: 60 }), { nil: null }) }), { maxLength: 5 }), HOSTILE_TEXT, (rows, message) => {
        const packages = rows.map((r) => row(r));
        const errors = [{ region: null, service: "check" as const, kind: "api" as const, message, httpStatus: 500, errorCode: null, requestId: null }];
        const line = nagiosLine(packages, errors, assess(packages, errors.length), { warnDays: 30, criticalDays: 7 });
        expect(line.endsWith("\n")).toBe(true);
        expect(line.slice(0, -1)).not.toMatch(/[\n\r]/);
        expect(line).not.toMatch(FORBIDDEN);
        expect(line.split("|")).toHaveLength(2);
        expect(line).toMatch(/^CODEARTS PACKAGES (OK|WARNING|CRITICAL|UNKNOWN) - /);
      }),
    );
  });
});
