// How many terminal cells a text takes, for aligning the table: a CJK character or an emoji
// takes two, a combining mark none, everything else one. Counted per grapheme (what a person
// sees as one character), as terminals draw them, after East Asian Width (Unicode Annex 11: the
// Wide and Fullwidth blocks) and emoji presentation. Ambiguous-width characters count one, as
// terminals outside East Asian locales draw them. The text is escaped first (src/escape.ts): a
// zero-width or invisible character arrives as its escape, `\u200b`, and takes the cells of
// those six characters, which are what the terminal shows.

// Printable ASCII, by far the most common cell: one cell per character, no segmenting needed.
const ASCII = /^[\x20-\x7e]*$/;
const WIDE =
  /^(?:[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6]|[\u{16fe0}-\u{16fe4}\u{17000}-\u{18cff}\u{1b000}-\u{1b2ff}\u{20000}-\u{2fffd}\u{30000}-\u{3fffd}]|\p{Emoji_Presentation}|.\ufe0f)/u;
// Marks and format characters on their own (a stray combining accent; a zero-width space in text
// not escaped, as escaped text has none).
const ZERO = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

const segmenter = new Intl.Segmenter();

/** Terminal cells one grapheme takes: 0, 1 or 2. */
function cellsOfGrapheme(grapheme: string): number {
  if (ZERO.test(grapheme)) return 0;
  return WIDE.test(grapheme) ? 2 : 1;
}

/** How many terminal cells `text` takes; `text` is already escaped, so it holds no control character. */
export function displayWidth(text: string): number {
  if (ASCII.test(text)) return text.length;
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += cellsOfGrapheme(segment);
  return width;
}

// An escape escapeText wrote. In escaped text every backslash starts one (a backslash sent is
// `\\`), so this finds them all; the last alternative only keeps a stray backslash to itself.
const ESCAPE = /(\\(?:u\{[0-9a-f]+\}|u[0-9a-f]{4}|x[0-9a-f]{2}|[\s\S]))/u;

/** What a cut keeps or drops whole: each escape, and each grapheme of the text between them. */
function* unitsOf(text: string): Generator<{ unit: string; cells: number }> {
  // split with a capturing group: text between escapes at even indexes, the escapes at odd ones.
  const parts = text.includes("\\") ? text.split(ESCAPE) : [text];
  for (const [index, part] of parts.entries()) {
    if (index % 2 === 1) yield { unit: part, cells: part.length };
    else for (const { segment } of segmenter.segment(part)) yield { unit: segment, cells: cellsOfGrapheme(segment) };
  }
}

/**
 * `text` (escaped) cut to at most `width` cells: the whole graphemes and escapes that fit in
 * `width - 1`, then `ending` (one cell). Short of `width` when a wide grapheme or an escape did
 * not fit. Never splits a grapheme, nor an escape: half of `\u202e` would read as other text.
 */
export function cutToWidth(text: string, width: number, ending: string): string {
  let kept = "";
  let used = 0;
  for (const { unit, cells } of unitsOf(text)) {
    if (used + cells > width - 1) break;
    kept += unit;
    used += cells;
  }
  return kept + ending;
}
