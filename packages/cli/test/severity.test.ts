import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PackageRow } from "../src/report.js";
import { assess, severityOf } from "../src/severity.js";

const row = (overrides: Partial<PackageRow>): PackageRow => ({
  region: null,
  service: "artifact",
  resource: "r",
  resourceId: null,
  resourceType: null,
  specCode: null,
  status: "in effect",
  statusCode: "2",
  expiryStatusCode: null,
  daysLeft: 100,
  nextAction: null,
  nextActionCode: null,
  renewalUrl: null,
  ...overrides,
});

describe("severityOf", () => {
  it("grades days left against both thresholds, inclusive, and expired days as critical", () => {
    const t = { warnDays: 30, criticalDays: 7 };
    expect([31, 30, 8, 7, 0, -3, null].map((daysLeft) => severityOf(row({ daysLeft }), t))).toEqual(["ok", "warning", "warning", "critical", "critical", "critical", "ok"]);
  });

  it.each([
    ["artifact", "5"],
    ["pipeline", "4"],
    ["pipeline", "3"],
    ["artifact", "99"],
    ["check", "freeze"],
    ["check", "close"],
  ] as const)("%s status %s (past expiry or unusable) is critical with 300 days left", (service, statusCode) => {
    expect(severityOf(row({ service, statusCode, daysLeft: 300 }))).toBe("critical");
  });

  it("a status code of another service's vocabulary is not that service's past-expiry status, but one the spec does not list", () => {
    expect(severityOf(row({ service: "check", statusCode: "5" }))).toBe("unknown");
    expect(severityOf(row({ service: "artifact", statusCode: "close" }))).toBe("unknown");
  });

  it("a status code the spec does not list is unknown, never ok, unless its days left are already critical", () => {
    const t = { warnDays: 30, criticalDays: 7 };
    expect([300, 20, 7, null].map((daysLeft) => severityOf(row({ service: "pipeline", statusCode: "7", daysLeft }), t))).toEqual(["unknown", "unknown", "critical", "unknown"]);
    expect(severityOf(row({ service: "check", statusCode: "suspended", daysLeft: 300 }), t)).toBe("unknown");
    const known = [["artifact", "2"], ["pipeline", "1"], ["check", "normal"]] as const;
    expect(known.map(([service, statusCode]) => severityOf(row({ service, statusCode }), t))).toEqual(["ok", "ok", "ok"]);
  });
});

describe("assess", () => {
  const days = fc.option(fc.integer({ min: -10, max: 100 }), { nil: null });
  it("the exit code is the worst verdict: CRITICAL > UNKNOWN (a failed service) > WARNING > OK", () => {
    fc.assert(
      fc.property(fc.array(days, { maxLength: 8 }), fc.nat(3), fc.nat(40), fc.nat(40), (daysLeft, failed, a, b) => {
        const t = { warnDays: Math.max(a, b), criticalDays: Math.min(a, b) };
        const rows = daysLeft.map((d) => row({ daysLeft: d }));
        const { code, critical, warning, unknown } = assess(rows, failed, t);
        expect(unknown).toEqual([]);
        const anyCritical = rows.some((r) => r.daysLeft !== null && r.daysLeft <= t.criticalDays);
        const anyWarning = rows.some((r) => r.daysLeft !== null && r.daysLeft <= t.warnDays);
        expect(code).toBe(anyCritical ? 2 : failed > 0 ? 3 : anyWarning ? 1 : 0);
        expect(critical.length + warning.length).toBe(rows.filter((r) => r.daysLeft !== null && r.daysLeft <= t.warnDays).length);
      }),
    );
  });

  it("a package in a status the spec does not list makes the run UNKNOWN, unless another is critical", () => {
    const strange = row({ service: "pipeline", statusCode: "7", daysLeft: 300 });
    expect(assess([row({}), strange], 0)).toMatchObject({ code: 3, unknown: [strange], critical: [], warning: [] });
    expect(assess([row({ daysLeft: 20 }), strange], 0).code).toBe(3);
    expect(assess([row({ daysLeft: 1 }), strange], 0).code).toBe(2);
  });
});

describe("a CodeArts Check resource whose own status is normal", () => {
  const check = (expiryStatusCode: string, daysLeft: number) => row({ service: "check", status: "normal", statusCode: "normal", expiryStatusCode, daysLeft });

  it.each([
    ["3", "deleted"],
    ["4", "in retention"],
    ["5", "in grace period"],
    ["99", "frozen"],
  ])("is critical when its subscription's tips.status is %s (%s), however many days are left to the next step", (code) => {
    expect(severityOf(check(code, 40))).toBe("critical");
    expect(assess([check(code, 40)], 0).code).toBe(2);
  });

  it("is unknown, never OK, when its subscription's tips.status is one the spec does not list", () => {
    expect(severityOf(check("7", 40))).toBe("unknown");
    expect(assess([check("7", 40)], 0).code).toBe(3);
  });

  it("is graded by its days left when its subscription is in effect", () => {
    expect(severityOf(check("2", 40))).toBe("ok");
    expect(severityOf(check("2", 20))).toBe("warning");
  });
});
