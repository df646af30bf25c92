// "Did you mean": the closest known names to a word that matched none, for every place a name
// is taken (protocols, types, families, commands, groups, attributes, header fields).

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');

/**
 * Up to `max` candidates close to `word`, best first. A candidate is close when few edits
 * separate them (about a quarter of the word), or when the word is a piece of it.
 */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = norm(word);
  if (!w) return [];
  const limit = w.length <= 3 ? 1 : Math.max(2, Math.floor(w.length / 4));
  const scored: [number, string][] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c)) continue;
    seen.add(c);
    const n = norm(c);
    let score = editDistance(w, n);
    // RTM_GETLNK vs getlink: compare with the tail after the prefix too.
    const tail = n.slice(n.indexOf('_') + 1);
    if (tail !== n) score = Math.min(score, editDistance(w, tail) + 0.5);
    if (score > limit && w.length >= 3 && (n.startsWith(w) || n.includes(w))) score = limit;
    if (score <= limit) scored.push([score, c]);
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].length - b[1].length || (a[1] < b[1] ? -1 : 1)).slice(0, max).map(([, c]) => c);
}

/** "; did you mean X or Y?" (empty when nothing is close). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closest(word, candidates);
  if (!best.length) return '';
  return `; did you mean ${best.length === 1 ? best[0] : `${best.slice(0, -1).join(', ')} or ${best[best.length - 1]}`}?`;
}
