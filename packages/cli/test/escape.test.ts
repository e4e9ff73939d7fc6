import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeJson, escapeText } from "../src/escape.js";
import { renderTable } from "../src/format.js";
import type { PackageRow } from "../src/report.js";
import { cutToWidth, displayWidth } from "../src/width.js";
import { FORBIDDEN, HOSTILE_TEXT } from "./support/hostile.js";

// What no escaped text may hold raw: controls, format characters (zero-width, bidi, tags, …) and
// the line and paragraph separators, by Unicode's own classes.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

// Any string at all: every code point, and any UTF-16 code unit alone (a lone surrogate included).
const ANY_STRING = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  HOSTILE_TEXT,
);

// Reads escapeText's output back, written independently of it: if every escaped text reads back
// to the original, no two texts print alike, so nothing sent can pass for an escape.
function unescape(text: string): string {
  return text.replace(/\\(\\|n|r|t|x[0-9a-f]{2}|u\{[0-9a-f]+\}|u[0-9a-f]{4})/g, (_all, code: string) => {
    if (code === "\\") return "\\";
    if (code === "n") return "\n";
    if (code === "r") return "\r";
    if (code === "t") return "\t";
    if (code.startsWith("u{")) return String.fromCodePoint(parseInt(code.slice(2, -1), 16));
    return String.fromCharCode(parseInt(code.slice(1), 16));
  });
}

describe("escapeText", () => {
  it("writes controls, line breaks, bidi controls and the backslash as visible escapes", () => {
    expect(escapeText("a\u001b[31mred\u001b]0;title\u0007\r\nrow\tx\u007f\u0085\u009b\u202eevil\u2066\u2069\u200e\u200f\u061c\u2028\u2029\\x1b")).toBe(
      "a\\x1b[31mred\\x1b]0;title\\x07\\r\\nrow\\tx\\x7f\\x85\\x9b\\u202eevil\\u2066\\u2069\\u200e\\u200f\\u061c\\u2028\\u2029\\\\x1b",
    );
  });

  it("writes zero-width and invisible characters as visible escapes, so no name passes for another", () => {
    expect(escapeText("a\u200bb\u200cc\u200dd\u2060e\u2063f\ufeffg\u00adh\u180ei\u2065j\u034fk\ufe0fl\u3164m\u{e0041}n\u{1d173}o")).toBe(
      "a\\u200bb\\u200cc\\u200dd\\u2060e\\u2063f\\ufeffg\\xadh\\u180ei\\u2065j\\u034fk\\ufe0fl\\u3164m\\u{e0041}n\\u{1d173}o",
    );
    expect(escapeText("codearts\u200bStorageExtension")).not.toBe(escapeText("codeartsStorageExtension"));
  });

  it("writes a surrogate without its pair as its code unit, and keeps a pair whole", () => {
    expect(escapeText("a\ud800b\udfffc\ud83d\ude80")).toBe("a\\ud800b\\udfffc\ud83d\ude80");
  });

  it("leaves ordinary text, spaces and other scripts as they are", () => {
    const text = "codeartsStorageExtension https://x.example/a?b=c&d=é 中文 العربية 🙂";
    expect(escapeText(text)).toBe(text);
  });

  it("never lets a forbidden character through, and reads back to the original", () => {
    fc.assert(
      fc.property(HOSTILE_TEXT, (text) => {
        const escaped = escapeText(text);
        expect(escaped).not.toMatch(FORBIDDEN);
        expect(escaped).not.toContain("\n");
        expect(unescape(escaped)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("for any string at all, leaves no control, format character or line or paragraph separator raw, and reads back to it", () => {
    fc.assert(
      fc.property(ANY_STRING, (text) => {
        const escaped = escapeText(text);
        expect(escaped).not.toMatch(INVISIBLE);
        expect(escaped).not.toMatch(FORBIDDEN);
        expect(unescape(escaped)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the width of escaped text", () => {
  it("counts an escape as the cells it prints in, not as the nothing it stands for", () => {
    expect(displayWidth(escapeText("a\u200bb"))).toBe(8);
    expect(displayWidth(escapeText("\ufeff\u00ad"))).toBe(10);
  });

  it("never cuts an escape in two: it is kept whole or left out", () => {
    expect(cutToWidth(escapeText("abc\u202edef"), 6, "\u2026")).toBe("abc\u2026");
    expect(cutToWidth(escapeText("abc\u202edef"), 10, "\u2026")).toBe("abc\\u202e\u2026");
    expect(cutToWidth(escapeText("a\\b"), 3, "\u2026")).toBe("a\u2026");
  });

  it("for any string and width, a cut is whole escapes and graphemes, at most the width, and the start of the escaped text", () => {
    fc.assert(
      fc.property(ANY_STRING, fc.integer({ min: 1, max: 40 }), (text, width) => {
        const escaped = escapeText(text);
        const cut = cutToWidth(escaped, width, "\u2026");
        const kept = cut.slice(0, -1);
        expect(displayWidth(cut)).toBeLessThanOrEqual(width);
        expect(escaped.startsWith(kept)).toBe(true);
        // Every backslash kept starts a whole escape: what was kept reads back to a start of the text.
        expect(kept).toMatch(/^(?:[^\\]|\\(?:\\|n|r|t|x[0-9a-f]{2}|u\{[0-9a-f]+\}|u[0-9a-f]{4}))*$/su);
        expect(text.startsWith(unescape(kept))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("in the table, a name with a zero-width space or a BOM is wider than the one it imitates, and aligned by what is printed", () => {
    const row = (resource: string): PackageRow => ({ region: null, service: "artifact", resource, resourceId: null, resourceType: null, specCode: null, status: "in effect", statusCode: "2", expiryStatusCode: null, daysLeft: 11, nextAction: null, nextActionCode: null, renewalUrl: null });
    const lines = renderTable([row("codeartsStorageExtension"), row("codearts\u200bStorageExtension"), row("\ufeffcodeartsStorageExtension")]).split("\n");
    expect(lines[1]).toContain("codeartsStorageExtension ");
    expect(lines[2]).toContain("codearts\\u200bStorageExtension");
    expect(lines[3]).toContain("\\ufeffcodeartsStorageExtension");
    // STATUS starts at the same column on every line.
    expect(new Set(lines.slice(0, 4).map((line) => line.indexOf(line.startsWith("SERVICE") ? "STATUS" : "in effect"))).size).toBe(1);
  });
});

describe("escapeJson", () => {
  it("writes DEL, C1, line separators and bidi controls as \\u escapes that JSON.parse reads back", () => {
    const value = { name: "a\u007f\u0085\u009b\u2028\u2029\u202e\u2066\u061c\u200f\u001b\nb\\" };
    const json = escapeJson(JSON.stringify(value, null, 2));
    expect(json).toContain("a\\u007f\\u0085\\u009b\\u2028\\u2029\\u202e\\u2066\\u061c\\u200f\\u001b\\nb\\\\");
    expect(JSON.parse(json)).toEqual(value);
  });

  it("keeps any JSON value valid JSON with no raw control character", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.array(HOSTILE_TEXT, { maxLength: 5 }), (value, texts) => {
        const document = { value, texts };
        const json = escapeJson(JSON.stringify(document, null, 2));
        // Formatting newlines are the only line breaks; every other forbidden character is escaped.
        expect(json).not.toMatch(FORBIDDEN);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(document)));
      }),
      { numRuns: 300 },
    );
  });

  it("writes zero-width and invisible characters as \\u escapes, a pair of them above the Basic Multilingual Plane, that JSON.parse reads back", () => {
    const value = { name: "a\u200b\u2060\ufeff\u00ad\u180e\ufe0f\u{e0041}b" };
    const json = escapeJson(JSON.stringify(value));
    expect(json).toBe('{"name":"a\\u200b\\u2060\\ufeff\\u00ad\\u180e\\ufe0f\\udb40\\udc41b"}');
    expect(JSON.parse(json)).toEqual(value);
  });

  it("for any strings at all, leaves no control other than its own line breaks, no format character and no separator raw", () => {
    fc.assert(
      fc.property(fc.array(ANY_STRING, { maxLength: 5 }), (texts) => {
        const json = escapeJson(JSON.stringify({ texts }, null, 2));
        expect(json.replace(/\n/g, "")).not.toMatch(INVISIBLE);
        expect(JSON.parse(json)).toEqual({ texts });
      }),
      { numRuns: 1000 },
    );
  });
});
