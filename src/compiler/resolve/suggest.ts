/**
 * "Did you mean" hints for misspelled names: the closest candidate within a few edits.
 */

/** `; did you mean 'x'?` for the closest candidate within a few edits, else ''. */
export function suggestion(name: string, candidates: Iterable<string>): string {
  let best: string | null = null;
  // Short names tolerate one edit, longer ones one per three characters.
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best === null ? '' : `; did you mean '${best}'?`;
}

/**
 * Edit distance counting a swap of two neighbouring characters as one edit (optimal string
 * alignment), since `lne` for `len` is one slip of the fingers, not two.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length];
}
