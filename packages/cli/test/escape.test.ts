import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeJson, escapeText } from "../src/escape.js";
import { FORBIDDEN, HOSTILE_TEXT } from "./support/hostile.js";

// Reads escapeText's output back, written independently of it: if every escaped text reads back
// to the original, no two texts print alike, so nothing sent can pass for an escape.
function unescape(text: string): string {
  return text.replace(/\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_all, code: string) => {
    if (code === "\\") return "\\";
    if (code === "n") return "\n";
    if (code === "r") return "\r";
    if (code === "t") return "\t";
    return String.fromCharCode(parseInt(code.slice(1), 16));
  });
}

describe("escapeText", () => {
  it("writes controls, line breaks, bidi controls and the backslash as visible escapes", () => {
    expect(escapeText("a\u001b[31mred\u001b]0;title\u0007\r\nrow\tx\u007f\u0085\u009b\u202eevil\u2066\u2069\u200e\u200f\u061c\u2028\u2029\\x1b")).toBe(
      "a\\x1b[31mred\\x1b]0;title\\x07\\r\\nrow\\tx\\x7f\\x85\\x9b\\u202eevil\\u2066\\u2069\\u200e\\u200f\\u061c\\u2028\\u2029\\\\x1b",
    );
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
});
