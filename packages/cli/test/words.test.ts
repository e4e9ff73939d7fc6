import { describe, expect, it } from "vitest";
import { nextActionWords, resourceStatusWords, tipsStatusWords, wordsFor } from "../src/words.js";

describe("status words", () => {
  it.each([
    [1, "invalid (being enabled)"],
    [2, "in effect"],
    [3, "deleted"],
    [4, "in retention period"],
    [5, "in grace period"],
    [99, "frozen (for security reasons)"],
    [0, "unknown (0)"],
    [6, "unknown (6)"],
  ])("tips status %i is %s", (code, words) => expect(tipsStatusWords(code)).toBe(words));

  it.each([
    [0, "enters grace period on expiry"],
    [1, "changes yearly/monthly to pay-per-use"],
    [2, "deleted on expiry"],
    [3, "unknown (3)"], // not a documented value
    [4, "frozen"],
    [5, "deleted"],
    [-1, "unknown (-1)"],
  ])("next action %i is %s", (code, words) => expect(nextActionWords(code)).toBe(words));

  it.each([
    ["normal", "normal"],
    ["freeze", "frozen"],
    ["close", "invalid"],
    ["paused", "unknown (paused)"],
    ["constructor", "unknown (constructor)"],
    ["toString", "unknown (toString)"],
  ])("resource status %s is %s", (code, words) => expect(resourceStatusWords(code)).toBe(words));

  it("never reads inherited properties", () => {
    expect(wordsFor({}, "__proto__")).toBe("unknown (__proto__)");
    expect(wordsFor({}, "hasOwnProperty")).toBe("unknown (hasOwnProperty)");
  });
});
