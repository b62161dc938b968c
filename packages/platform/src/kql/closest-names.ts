/**
 * Edit distance between two names, ignoring case: insertions, deletions, substitutions and
 * swaps of two neighbouring characters each count one (optimal string alignment), so
 * `odrer.id` is one edit from `order.id`.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  // Three rows of the table: two back (for swaps), the previous and the current.
  let before = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current.push(best);
    }
    [before, previous] = [previous, current];
  }
  return previous[t.length]!;
}

/**
 * The candidates a misspelt `name` most likely meant: those within two edits (one for names
 * of up to four characters), closest first, then alphabetically; at most `max`.
 */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = name.length <= 4 ? 1 : 2;
  const near: Array<{ candidate: string; distance: number }> = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === name || Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(name, candidate);
    if (distance <= limit) near.push({ candidate, distance });
  }
  near.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return near.slice(0, max).map((n) => n.candidate);
}
