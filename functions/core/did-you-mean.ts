/**
 * The nearest valid name to a misspelt one, for error messages (`unknown key "nxt" — did you mean
 * "next"?`). A few lines of edit distance instead of a library: the names compared are short key and
 * enum names, and no such package is among the dependencies.
 */

/**
 * Returns the optimal string alignment distance: insertions, deletions, substitutions and swaps of
 * two neighbouring letters (`nxet` → `next`) each count one.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Returns the candidate nearest to `written` when it is near enough to be a slip (case aside, at most
 * a third of its letters, and at least one, differ), else undefined. Ties go to the earlier candidate.
 */
export function nearestName(written: string, candidates: Iterable<string>): string | undefined {
  const lower = written.toLowerCase();
  const allowed = Math.max(1, Math.floor(written.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    if (name === written) continue;
    const distance = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase());
    if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
