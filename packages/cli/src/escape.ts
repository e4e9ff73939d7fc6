// Text the services sent is data, never terminal commands: a resource name or an error message
// may carry ESC sequences that recolor or retitle the terminal, a CR or newline that forges a
// table row or a stderr line, a bidi override that shows a different text than is there, or a
// character drawn as nothing (a zero-width space, a BOM) that lets one name pass for another.
// Everything written for a person goes through escapeText at the point it is written; --json
// output through escapeJson.

// What a terminal acts on or draws as nothing, and JSON.stringify leaves raw: DEL and the C1
// controls (U+0085 is a line break to some terminals and 0x9B is a one-byte CSI to others); the
// line and paragraph separators; every format character (Cf: the bidi marks, embeddings,
// overrides and isolates, the zero-width space and joiners, the word joiner and invisible
// operators, the BOM, the soft hyphen, U+180E, the tags); the rest of Unicode's
// default-ignorable code points (variation selectors, Hangul fillers, the combining grapheme
// joiner), which a terminal draws as nothing too; and a surrogate without its pair, which no
// UTF-8 output can carry. By Unicode property rather than by list, so that a new format
// character is escaped without an edit here.
const INVISIBLE = "\\u007f-\\u009f\\p{Cf}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}\\p{Cs}";
// For a terminal also the C0 controls (ESC, CR, LF, TAB, BEL, …), and the backslash, so that a
// `\x1b` sent as four characters cannot pass for an escaped ESC.
const TERMINAL_UNSAFE = `[\\\\\\u0000-\\u001f${INVISIBLE}]`;
// Tested first without the g flag: most text needs no escape, and a test is much cheaper than
// a replace with a callback over hundreds of thousands of table cells.
const HAS_TERMINAL_UNSAFE = new RegExp(TERMINAL_UNSAFE, "u");
const ALL_TERMINAL_UNSAFE = new RegExp(TERMINAL_UNSAFE, "gu");
const JSON_UNSAFE = new RegExp(`[${INVISIBLE}]`, "gu");

const SHORT: Readonly<Record<string, string>> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

const hex = (code: number, digits: number): string => code.toString(16).padStart(digits, "0");

// `\xHH` up to U+00FF, `\uHHHH` in the rest of the Basic Multilingual Plane (a lone surrogate is
// its own code unit), `\u{HHHHH}` above it: a fixed four digits there would read as a
// character followed by a digit (U+E0041 as `\ue004` then `1`).
function visibleEscape(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  return code <= 0xffff ? `\\u${hex(code, 4)}` : `\\u{${hex(code, 1)}}`;
}

/**
 * `text` with every control character (C0, DEL, C1), line or paragraph separator, format
 * character (bidi controls, zero-width characters, the BOM, the soft hyphen, tags), other
 * default-ignorable character and lone surrogate written as a visible escape (`\n`, `\x1b`,
 * `\x9b`, `\xad`, `\u202e`, `\u200b`, `\u{e0041}`) and `\` as `\\`, so it prints as one line that
 * shows exactly what was sent: no two texts print alike. Use it on anything from the network
 * before printing it.
 */
export function escapeText(text: string): string {
  if (!HAS_TERMINAL_UNSAFE.test(text)) return text;
  return text.replace(ALL_TERMINAL_UNSAFE, (char) => SHORT[char] ?? visibleEscape(char));
}

/**
 * JSON text (from JSON.stringify) with the characters JSON.stringify leaves raw but a terminal
 * acts on or draws as nothing (DEL, C1, U+2028/U+2029, format and other default-ignorable
 * characters) written as `\uXXXX`, a surrogate pair of them above U+FFFF: still valid JSON that
 * parses to the same values. They can only occur inside strings, where `\uXXXX` means the same.
 */
export function escapeJson(json: string): string {
  return json.replace(JSON_UNSAFE, (char) => {
    let escaped = "";
    for (let i = 0; i < char.length; i++) escaped += `\\u${hex(char.charCodeAt(i), 4)}`;
    return escaped;
  });
}
