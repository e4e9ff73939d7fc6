// Every code-to-words lookup in one place, so the table, the JSON and the docs cannot disagree.
// The tables themselves are generated from the spec's `x-enumDescriptions` (`Tips.status`,
// `Tips.next_action`, `ResourceStatus`, the null of `NullableTips`) into generated/tables.ts.
import { NEXT_ACTION_WORDS, RESOURCE_STATUS_WORDS, TIPS_STATUS_WORDS } from "./generated/tables.js";

export { DOES_NOT_EXPIRE, NEXT_ACTION_WORDS, RESOURCE_STATUS_WORDS, TIPS_STATUS_WORDS } from "./generated/tables.js";

/** Words for a code, or `unknown (N)` so that a code added by a later API version is still shown. */
export function wordsFor(table: Readonly<Record<string | number, string>>, code: string | number): string {
  // Own properties only: a code such as "constructor" must not find Object.prototype's.
  return Object.prototype.hasOwnProperty.call(table, code) ? (table[code] as string) : `unknown (${code})`;
}

/** Words for a `tips.status` / `packageStatus` code. */
export function tipsStatusWords(code: number): string {
  return wordsFor(TIPS_STATUS_WORDS, code);
}

/** Words for a `tips.next_action` code. */
export function nextActionWords(code: number): string {
  return wordsFor(NEXT_ACTION_WORDS, code);
}

/** Words for a Check resource status (`normal`, `freeze`, `close`). */
export function resourceStatusWords(code: string): string {
  return wordsFor(RESOURCE_STATUS_WORDS, code);
}
