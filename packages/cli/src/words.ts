// Every code-to-words table in one place, so the table, the JSON and the docs cannot disagree.
// The words follow the spec's descriptions (`Tips.status`, `Tips.next_action`, `ResourceStatus`).
import type { Service } from "@codearts-package-status/client";

/** Words for `tips.status` (Check, Pipeline) and Artifact's `packageStatus`, which uses the same codes. */
export const TIPS_STATUS_WORDS: Readonly<Record<number, string>> = {
  1: "invalid (being enabled)",
  2: "in effect",
  3: "deleted",
  4: "in retention period",
  5: "in grace period",
  99: "frozen (for security reasons)",
};

/** Words for `tips.next_action`; `3` is not a documented value, so it prints as unknown. */
export const NEXT_ACTION_WORDS: Readonly<Record<number, string>> = {
  0: "enters grace period on expiry",
  1: "changes yearly/monthly to pay-per-use",
  2: "deleted on expiry",
  4: "frozen",
  5: "deleted",
};

/** Words for CodeArts Check's `status` / `resourceStatus` of a resource. */
export const RESOURCE_STATUS_WORDS: Readonly<Record<string, string>> = {
  normal: "normal",
  freeze: "frozen",
  close: "invalid",
};

/** The status of a Pipeline package whose `tips` is null: the free package has no expiry. */
export const DOES_NOT_EXPIRE = "does not expire";

/** How each service is named in the table and in error messages. */
export const SERVICE_LABELS: Readonly<Record<Service, string>> = {
  artifact: "CodeArts Artifact",
  check: "CodeArts Check",
  pipeline: "CodeArts Pipeline",
};

/** The `--endpoint-*` flag that overrides each service's host, named in connection hints. */
export const ENDPOINT_FLAGS: Readonly<Record<Service, string>> = {
  artifact: "--endpoint-artifact",
  check: "--endpoint-check",
  pipeline: "--endpoint-pipeline",
};

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
