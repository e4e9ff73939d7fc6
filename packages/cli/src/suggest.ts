// "Did you mean …?" for a mistyped region or flag: the closest known word by edit distance,
// when it is close enough to be a typo rather than another word.

/**
 * The optimal string alignment distance of `a` and `b`: the fewest insertions, deletions,
 * substitutions and swaps of two adjacent characters that turn one into the other.
 */
export function editDistance(a: string, b: string): number {
  // Three rows of the dynamic-programming table: the swap looks two rows back.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] as number) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The most edits a word of this length may be away from a suggestion: a quarter of it, 1 or 2.
 * More would take `mars-north-1` for a typo of `af-north-1`.
 */
export function typoBudget(length: number): number {
  return Math.min(2, Math.max(1, Math.floor(length / 4)));
}

/**
 * The candidate closest to `input` (ignoring case), or undefined when none is within
 * {@link typoBudget} edits. Ties go to the earlier candidate.
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = typoBudget(typed.length) + 1;
  for (const candidate of candidates) {
    // Lengths differing by more than the best distance so far cannot beat it.
    if (Math.abs(candidate.length - typed.length) >= bestDistance) continue;
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
