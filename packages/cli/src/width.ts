// How many terminal cells a text takes, for aligning the table: a CJK character or an emoji
// takes two, a combining mark or a zero-width character none, everything else one. Counted per
// grapheme (what a person sees as one character), as terminals draw them, after East Asian Width
// (Unicode Annex 11: the Wide and Fullwidth blocks) and emoji presentation. Ambiguous-width
// characters count one, as terminals outside East Asian locales draw them.

// Printable ASCII, by far the most common cell: one cell per character, no segmenting needed.
const ASCII = /^[\x20-\x7e]*$/;
const WIDE =
  /^(?:[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6]|[\u{16fe0}-\u{16fe4}\u{17000}-\u{18cff}\u{1b000}-\u{1b2ff}\u{20000}-\u{2fffd}\u{30000}-\u{3fffd}]|\p{Emoji_Presentation}|.\ufe0f)/u;
// Marks and format characters on their own (a stray combining accent, a zero-width space).
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

/**
 * `text` cut to at most `width` cells: the whole graphemes that fit in `width - 1`, then `ending`
 * (one cell). One cell short when a wide grapheme did not fit. Never splits a grapheme.
 */
export function cutToWidth(text: string, width: number, ending: string): string {
  let kept = "";
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const cells = cellsOfGrapheme(segment);
    if (used + cells > width - 1) break;
    kept += segment;
    used += cells;
  }
  return kept + ending;
}
