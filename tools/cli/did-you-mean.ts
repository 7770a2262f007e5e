/** Edit distance (insertions, deletions, substitutions) between two short names. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known name nearest to a mistyped one, when it is near enough to be a typo (two edits, or a
 * third of a long name's letters), else undefined.
 */
export function nearestName(typed: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(typed.length, best.name.length) / 3));
  return best.distance <= allowed && best.distance < typed.length ? best.name : undefined;
}

/** ` (did you mean "x"?)`, or nothing when no known name is near. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const near = nearestName(typed, known);
  return near === undefined ? "" : ` (did you mean "${near}"?)`;
}
