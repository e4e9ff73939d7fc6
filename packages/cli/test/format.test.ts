import { describe, expect, it } from "vitest";
import { formatFailure, renderTable } from "../src/format.js";
import type { PackageRow, ServiceFailure } from "../src/report.js";

const row = (overrides: Partial<PackageRow>): PackageRow => ({
  service: "check",
  resource: "hws.resource.type.codearts.combo",
  resourceType: "hws.resource.type.codearts.combo",
  specCode: "codearts.china.enterprise",
  status: "normal",
  statusCode: "normal",
  daysLeft: 32,
  nextAction: "enters grace period on expiry",
  nextActionCode: 0,
  renewalUrl: "https://example.com/renew",
  ...overrides,
});

describe("renderTable", () => {
  it("aligns columns with two spaces, prints absent values as -, and leaves no trailing spaces", () => {
    const text = renderTable([
      row({ service: "artifact", resource: "codeartsStorageExtension", specCode: null, status: "in effect", daysLeft: 5, nextAction: null, nextActionCode: null }),
      row({ service: "pipeline", resource: "CodeArts Combo", specCode: "codearts.china.free", status: "does not expire", daysLeft: null, nextAction: null, renewalUrl: null }),
    ]);
    expect(text).toBe(
      [
        "SERVICE            RESOURCE                  SPEC CODE            STATUS           DAYS LEFT  NEXT ACTION  RENEWAL LINK",
        "CodeArts Artifact  codeartsStorageExtension  -                    in effect        5          -            https://example.com/renew",
        "CodeArts Pipeline  CodeArts Combo            codearts.china.free  does not expire  -          -            -",
        "",
      ].join("\n"),
    );
  });

  it("prints only the header for no rows", () => {
    expect(renderTable([])).toBe("SERVICE  RESOURCE  SPEC CODE  STATUS  DAYS LEFT  NEXT ACTION  RENEWAL LINK\n");
  });

  it("uses no escape codes unless asked", () => {
    expect(renderTable([row({ daysLeft: 1 })])).not.toContain("\u001b");
    expect(renderTable([row({ daysLeft: 1 })], { color: false, thresholds: { warnDays: 10, criticalDays: 5 } })).not.toContain("\u001b");
  });

  it("colors days left within --critical-days red and within --warn-days yellow, keeping the alignment", () => {
    const text = renderTable([row({ daysLeft: 3 }), row({ daysLeft: 20 }), row({ daysLeft: 100 }), row({ daysLeft: null })], { color: true, thresholds: { warnDays: 30, criticalDays: 5 } });
    const lines = text.split("\n");
    expect(lines[1]).toContain("\u001b[31m3        \u001b[39m");
    expect(lines[2]).toContain("\u001b[33m20       \u001b[39m");
    expect(lines[3]).not.toContain("\u001b");
    expect(lines[4]).not.toContain("\u001b");
    const plain = text.replace(/\u001b\[\d+m/g, "");
    expect(plain).toBe(renderTable([row({ daysLeft: 3 }), row({ daysLeft: 20 }), row({ daysLeft: 100 }), row({ daysLeft: null })]));
  });
});

describe("formatFailure", () => {
  const failure = (overrides: Partial<ServiceFailure>): ServiceFailure => ({
    service: "check",
    kind: "other",
    message: "something",
    httpStatus: null,
    errorCode: null,
    requestId: null,
    ...overrides,
  });

  it("names the service and adds a hint that fits the credential kind", () => {
    const auth = failure({ kind: "authentication", message: "authentication failed: CC.00000003 Authentication information expired. (request r1)" });
    expect(formatFailure(auth, "token")).toBe(
      "CodeArts Check: authentication failed: CC.00000003 Authentication information expired. (request r1); hint: the IAM token may have expired (tokens last 24 hours) or belong to another account; get a new one and set HUAWEICLOUD_SDK_TOKEN",
    );
    expect(formatFailure(auth, "aksk")).toMatch(/; hint: check HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/);
    expect(formatFailure(failure({ service: "pipeline", kind: "connection" }), "token")).toMatch(/or set --endpoint-pipeline$/);
    expect(formatFailure(failure({ kind: "api", message: "HTTP 500: x" }), "token")).toBe("CodeArts Check: HTTP 500: x");
  });
});
