import fc from "fast-check";
import { KNOWN_REGIONS } from "@codearts-package-status/client";
import { describe, expect, it } from "vitest";
import { editDistance, suggest, typoBudget } from "../src/suggest.js";

// One typo of `word`: a character deleted, inserted, replaced, or two neighbours swapped.
const typo = (word: string) =>
  fc.tuple(fc.nat(word.length), fc.constantFrom("delete", "insert", "replace", "swap"), fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-")).map(([at, kind, char]) => {
    const i = Math.min(at, word.length - 1);
    if (kind === "delete") return word.slice(0, i) + word.slice(i + 1);
    if (kind === "insert") return word.slice(0, at) + char + word.slice(at);
    if (kind === "replace") return word.slice(0, i) + char + word.slice(i + 1);
    return i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word;
  });

describe("editDistance", () => {
  it("counts the documented examples", () => {
    expect(editDistance("cn-nort-4", "cn-north-4")).toBe(1);
    expect(editDistance("cn-nroth-4", "cn-north-4")).toBe(1); // a swap is one edit
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("is a distance: zero only for equal strings, symmetric, and at most the longer length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d === 0).toBe(a === b);
        expect(editDistance(b, a)).toBe(d);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});

describe("suggest", () => {
  it("suggests cn-north-4 for cn-nort-4, and a known region for itself in any case", () => {
    expect(suggest("cn-nort-4", KNOWN_REGIONS)).toBe("cn-north-4");
    for (const region of KNOWN_REGIONS) expect(suggest(region.toUpperCase(), KNOWN_REGIONS)).toBe(region);
  });

  it("one typo of a known region always gets a suggestion one edit away, and none closer exists", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KNOWN_REGIONS).chain((region) => typo(region)),
        (typed) => {
          const hint = suggest(typed, KNOWN_REGIONS);
          expect(hint).toBeDefined();
          const best = Math.min(...KNOWN_REGIONS.map((region) => editDistance(typed, region)));
          expect(editDistance(typed, hint as string)).toBe(best);
          expect(best).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("never suggests a word further than its typo budget", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 16 }), (typed) => {
        const hint = suggest(typed, KNOWN_REGIONS);
        if (hint !== undefined) expect(editDistance(typed.toLowerCase(), hint)).toBeLessThanOrEqual(typoBudget(typed.length));
        else expect(KNOWN_REGIONS.every((region) => editDistance(typed.toLowerCase(), region) > typoBudget(typed.length))).toBe(true);
      }),
    );
  });

  it("suggests nothing for a word unlike any region", () => {
    expect(suggest("mars-north-1", KNOWN_REGIONS)).toBeUndefined();
    expect(suggest("", KNOWN_REGIONS)).toBeUndefined();
  });
});
