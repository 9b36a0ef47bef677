/** Levenshtein edit distance (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * The known key closest to `unknown` for a "did you mean" hint, or null when none is close:
 * within a third of the longer key's length (at least 2 edits allowed). Ties go to the key that
 * sorts first, so the hint is stable.
 */
export function closestKey(unknown: string, known: Iterable<string>): string | null {
  let best: { key: string; d: number } | null = null;
  for (const key of known) {
    const d = editDistance(unknown, key);
    const limit = Math.max(2, Math.floor(Math.max(unknown.length, key.length) / 3));
    if (d > limit) continue;
    if (!best || d < best.d || (d === best.d && key < best.key)) best = { key, d };
  }
  return best?.key ?? null;
}
