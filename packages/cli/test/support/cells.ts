// A printed table line as the terminal cells it takes, so that tests find columns where a
// terminal shows them: a CJK character or an emoji takes two cells, a combining mark none.
import { displayWidth } from "../../src/width.js";

const segmenter = new Intl.Segmenter();

/** A printed line as its terminal cells: each grapheme, then "" for the second cell of a wide one. */
export function cellsOfLine(line: string): string[] {
  const cells: string[] = [];
  for (const { segment } of segmenter.segment(line)) {
    const width = displayWidth(segment);
    if (width === 0 && cells.length > 0) cells[cells.length - 1] += segment;
    else cells.push(segment, ...Array<string>(Math.max(0, width - 1)).fill(""));
  }
  return cells;
}

/** Cells `start` to `end` of a printed line, or of its cells (to its end when `end` is undefined). */
export const cellRange = (line: string | string[], start: number | undefined, end?: number): string =>
  (typeof line === "string" ? cellsOfLine(line) : line).slice(start, end).join("");
