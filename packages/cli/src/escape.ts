// Text the services sent is data, never terminal commands: a resource name or an error message
// may carry ESC sequences that recolor or retitle the terminal, a CR or newline that forges a
// table row or a stderr line, or a bidi override that shows a different text than is there.
// Everything written for a person goes through escapeText at the point it is written; --json
// output through escapeJson.

// Invisible or reordering characters that JSON.stringify leaves raw: DEL, the C1 controls (U+0085
// is a line break to some terminals and 0x9B is a one-byte CSI to others), the Unicode line and
// paragraph separators, and the bidi marks, embeddings, overrides and isolates.
const INVISIBLE = "\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
// For a terminal also the C0 controls (ESC, CR, LF, TAB, BEL, …), and the backslash, so that a
// `\x1b` sent as four characters cannot pass for an escaped ESC.
const TERMINAL_UNSAFE = `[\\\\\\u0000-\\u001f${INVISIBLE}]`;
// Tested first without the g flag: most text needs no escape, and a test is much cheaper than
// a replace with a callback over hundreds of thousands of table cells.
const HAS_TERMINAL_UNSAFE = new RegExp(TERMINAL_UNSAFE);
const ALL_TERMINAL_UNSAFE = new RegExp(TERMINAL_UNSAFE, "g");
const JSON_UNSAFE = new RegExp(`[${INVISIBLE}]`, "g");

const SHORT: Readonly<Record<string, string>> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

const hex = (char: string, digits: number): string => (char.codePointAt(0) ?? 0).toString(16).padStart(digits, "0");

/**
 * `text` with every control character (C0, DEL, C1), line break and bidi control written as a
 * visible escape (`\n`, `\x1b`, `\x9b`, `\u202e`) and `\` as `\\`, so it prints as one line that
 * shows exactly what was sent. Use it on anything from the network before printing it.
 */
export function escapeText(text: string): string {
  if (!HAS_TERMINAL_UNSAFE.test(text)) return text;
  return text.replace(ALL_TERMINAL_UNSAFE, (char) => SHORT[char] ?? (char <= "\u00ff" ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`));
}

/**
 * JSON text (from JSON.stringify) with the characters JSON.stringify leaves raw but a terminal
 * acts on (DEL, C1, U+2028/U+2029, bidi controls) written as `\uXXXX`: still valid JSON that
 * parses to the same values. They can only occur inside strings, where `\uXXXX` means the same.
 */
export function escapeJson(json: string): string {
  return json.replace(JSON_UNSAFE, (char) => `\\u${hex(char, 4)}`);
}
