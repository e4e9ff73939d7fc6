import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatFailure, renderTable } from "../src/format.js";
import { cutToWidth, displayWidth } from "../src/width.js";
import { cellRange, cellsOfLine } from "./support/cells.js";
import type { PackageRow, ServiceFailure } from "../src/report.js";
import { FORBIDDEN } from "./support/hostile.js";

const row = (overrides: Partial<PackageRow>): PackageRow => ({
  region: null,
  service: "check",
  resource: "hws.resource.type.codearts.combo",
  resourceId: null,
  resourceType: "hws.resource.type.codearts.combo",
  specCode: "codearts.china.enterprise",
  status: "normal",
  statusCode: "normal",
  expiryStatusCode: null,
  daysLeft: 32,
  nextAction: "enters grace period on expiry",
  nextActionCode: 0,
  renewalUrl: "https://example.com/renew",
  ...overrides,
});

describe("display width", () => {
  it.each([
    ["ASCII", "codearts.china.free", 19],
    ["CJK, two cells each", "专业版", 6],
    ["Hangul and fullwidth Latin", "한Ａ", 4],
    ["halfwidth katakana, one cell", "ｱｲ", 2],
    ["an emoji", "🚀", 2],
    ["a family joined by ZWJ, one grapheme", "👨\u200d👩\u200d👧", 2],
    ["a flag", "🇨🇳", 2],
    ["a letter with a combining accent", "e\u0301", 1],
    ["a zero-width space", "\u200b", 0],
    ["a text-style symbol made emoji by U+FE0F", "\u2764\ufe0f", 2],
  ])("counts %s", (_, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it("cuts whole graphemes only, leaving a cell short rather than half a wide character", () => {
    expect(cutToWidth("专业版本", 6, "…")).toBe("专业…");
    expect(displayWidth(cutToWidth("专业版本", 6, "…"))).toBe(5);
    expect(cutToWidth("e\u0301e\u0301e\u0301", 3, "…")).toBe("e\u0301e\u0301…");
  });
});

describe("renderTable", () => {
  it("aligns columns by terminal cells, so CJK and emoji names keep the columns after them straight", () => {
    const text = renderTable([row({ resource: "专业版套餐" }), row({ resource: "🚀 pipeline" }), row({ resource: "plain" })]);
    const lines = text.trimEnd().split("\n");
    const status = (lines[0] as string).indexOf("SPEC CODE");
    for (const line of lines.slice(1)) expect(cellRange(line, status, status + "codearts.china.enterprise".length)).toBe("codearts.china.enterprise");
  });

  it("aligns columns with two spaces, prints absent values as -, and leaves no trailing spaces", () => {
    const text = renderTable([
      row({ service: "artifact", resource: "codeartsStorageExtension", specCode: null, status: "in effect", daysLeft: 5, nextAction: null, nextActionCode: null }),
      row({ service: "pipeline", resource: "CodeArts Combo", specCode: "codearts.china.free", status: "does not expire", daysLeft: null, nextAction: null, renewalUrl: null }),
    ], { wide: true });
    expect(text).toBe(
      [
        "SERVICE            RESOURCE                  SPEC CODE            STATUS           DAYS LEFT  NEXT ACTION  RENEWAL LINK",
        "CodeArts Artifact  codeartsStorageExtension  -                    in effect        5          -            https://example.com/renew",
        "CodeArts Pipeline  CodeArts Combo            codearts.china.free  does not expire  -          -            -",
        "",
      ].join("\n"),
    );
  });

  it("prints an empty or blank text as -, so every line splits on runs of spaces into as many fields as the header", () => {
    const text = renderTable([row({ resource: "", specCode: "   ", status: "normal", nextAction: "" })]);
    expect(text.split("\n")[1]).toBe("CodeArts Check  -         -          normal  32         -");
    for (const line of text.trimEnd().split("\n").slice(1)) expect(line.split(/ {2,}/)).toHaveLength(6);
  });

  it("prints only the header for no rows", () => {
    expect(renderTable([])).toBe("SERVICE  RESOURCE  SPEC CODE  STATUS  DAYS LEFT  NEXT ACTION\n");
    expect(renderTable([], { wide: true })).toBe("SERVICE  RESOURCE  SPEC CODE  STATUS  DAYS LEFT  NEXT ACTION  RENEWAL LINK\n");
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
    region: null,
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
    // A key pair from the profile file or the ECS points there, not at variables the user never set.
    expect(formatFailure(auth, { source: "profile /home/me/.huaweicloud/credentials" })).toMatch(/; hint: check ak and sk \(and security_token for temporary credentials, which expire\) in \/home\/me\/\.huaweicloud\/credentials$/);
    expect(formatFailure(auth, { source: "ECS metadata" })).toMatch(/; hint: the ECS agency's temporary keys were refused; check the agency bound to this ECS/);
    // Any other source of the client's chain (a token from a file, say) is named, not HUAWEICLOUD_SDK_TOKEN.
    expect(formatFailure(auth, { source: "token file /run/secrets/iam-token" })).toMatch(/; hint: the credentials from token file \/run\/secrets\/iam-token were refused; check them there$/);
    expect(formatFailure(failure({ service: "pipeline", kind: "connection" }), "token")).toMatch(/or set --endpoint-pipeline$/);
    expect(formatFailure(failure({ kind: "api", message: "HTTP 500: x" }), "token")).toBe("CodeArts Check: HTTP 500: x");
  });
});

describe("fitting the terminal", () => {
  const long = row({ resource: "hws.resource.type.codearts.extension.concurrency", specCode: "codearts.extension.concurrency.check", nextAction: "changes yearly/monthly to pay-per-use" });
  const TEXT = fc.string({
    unit: fc.oneof(fc.constantFrom(..."abc XYZ-./\u2026\u001b\n", "专", "业", "Ａ", "🚀", "🇨🇳", "e\u0301", "👨\u200d👩\u200d👧"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })),
    maxLength: 60,
  });
  const ROWS = fc.array(
    fc.record({ resource: TEXT.filter((t) => t.length > 0), specCode: fc.option(TEXT, { nil: null }), status: TEXT.filter((t) => t.length > 0), nextAction: fc.option(TEXT, { nil: null }), daysLeft: fc.option(fc.integer({ min: -99, max: 9999 }), { nil: null }) }),
    { minLength: 1, maxLength: 6 },
  ).map((records) => records.map((r) => row(r)));

  it("in 80 columns the documented rows fit, each cut shown with …", () => {
    const lines = renderTable([long, row({})], { width: 80 }).trimEnd().split("\n");
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(lines[1]).toContain("hws.resource.type.codearts.e\u2026".slice(0, 10));
    expect(lines[1]).toMatch(/\u2026/);
  });

  it("a table that fits is printed exactly as without a width", () => {
    expect(renderTable([row({})], { width: 500 })).toBe(renderTable([row({})]));
  });

  it("any rows, any width: every line fits its terminal cells unless every cuttable column is at its narrowest; each cell is whole or a prefix ending in …; columns stay aligned by cells", () => {
    fc.assert(
      fc.property(ROWS, fc.integer({ min: 20, max: 240 }), fc.boolean(), (rows, width, wide) => {
        const whole = renderTable(rows, { wide }).split("\n").slice(0, -1);
        const fitted = renderTable(rows, { wide, width }).split("\n").slice(0, -1);
        expect(fitted).toHaveLength(whole.length);
        expect(fitted.join("\n")).not.toMatch(FORBIDDEN);
        const header = fitted[0] ?? "";
        const columns = header.split(/ {2,}/);
        const starts = columns.map((name) => header.indexOf(name));
        // The narrowest each column can be cut to (src/format.ts), the width of a line at it.
        const floors: Record<string, number> = { SERVICE: Infinity, RESOURCE: 12, "SPEC CODE": 12, STATUS: 9, "DAYS LEFT": Infinity, "NEXT ACTION": 11, "RENEWAL LINK": Infinity };
        const wholeHeader = whole[0] ?? "";
        const wholeStarts = columns.map((name) => wholeHeader.indexOf(name));
        const naturalWidths = wholeStarts.map((start, i) => (i + 1 < wholeStarts.length ? (wholeStarts[i + 1] as number) - 2 - start : Math.max(...whole.map((l) => displayWidth(l) - start))));
        const narrowest = naturalWidths.reduce((sum, w, i) => sum + Math.min(w, Math.max(floors[columns[i] as string] as number, (columns[i] as string).length)), 0) + 2 * (columns.length - 1);
        for (const [i, line] of fitted.entries()) {
          expect(displayWidth(line)).toBeLessThanOrEqual(Math.max(width, narrowest));
          const original = whole[i] as string;
          const lineCells = cellsOfLine(line);
          const originalCells = cellsOfLine(original);
          for (const [c, start] of starts.entries()) {
            const end = c + 1 < starts.length ? (starts[c + 1] as number) - 2 : undefined;
            if (end !== undefined) expect(cellRange(lineCells, end, end + 2)).toBe("  ");
            const cell = cellRange(lineCells, start, end).trimEnd();
            const wholeCell = cellRange(originalCells, wholeStarts[c], c + 1 < wholeStarts.length ? (wholeStarts[c + 1] as number) - 2 : undefined).trimEnd();
            if (cell !== wholeCell) {
              expect(cell.endsWith("\u2026")).toBe(true);
              expect(wholeCell.startsWith(cell.slice(0, -1).trimEnd())).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
