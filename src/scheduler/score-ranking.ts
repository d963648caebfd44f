// Orders scored nodes best first: higher total, then node name as
// String.prototype.localeCompare orders it. Explanations want only the top few
// of hundreds of nodes, and comparing names through ICU on every comparison
// cost as much as the scheduling cycle; so names get a cached collation rank,
// and the top k are picked with native typed-array sorts.

const collator = new Intl.Collator();

/** Collation rank of every node name seen so far (ranks grow stale only by position, never by order). */
class NameRanks {
  private sorted: string[] = [];
  private readonly rank = new Map<string, number>();

  /** Ranks for `names`, adding unknown ones in one merge. */
  ranksOf(names: readonly string[], out: Float64Array): void {
    let unknown: string[] | undefined;
    for (let i = 0; i < names.length; i++) {
      const r = this.rank.get(names[i]);
      if (r === undefined) (unknown ??= []).push(names[i]);
      else out[i] = r;
    }
    if (!unknown) return;
    this.add(unknown);
    for (let i = 0; i < names.length; i++) out[i] = this.rank.get(names[i])!;
  }

  private add(names: string[]): void {
    // Node churn with fresh names would grow this forever; start over past a bound.
    if (this.sorted.length + names.length > 100_000) {
      this.sorted = [];
      this.rank.clear();
    }
    const fresh = [...new Set(names)].filter((n) => !this.rank.has(n)).sort(collator.compare);
    const merged: string[] = new Array(this.sorted.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.sorted.length && j < fresh.length) merged[k++] = collator.compare(fresh[j], this.sorted[i]) < 0 ? fresh[j++] : this.sorted[i++];
    while (i < this.sorted.length) merged[k++] = this.sorted[i++];
    while (j < fresh.length) merged[k++] = fresh[j++];
    this.sorted = merged;
    for (let r = 0; r < merged.length; r++) this.rank.set(merged[r], r);
  }
}

const nameRanks = new NameRanks();

/** Indices of all entries, best first (total descending, then name). */
export function rankAll(totals: Float64Array, names: readonly string[]): number[] {
  const ranks = new Float64Array(names.length);
  nameRanks.ranksOf(names, ranks);
  const order = Array.from({ length: names.length }, (_, i) => i);
  return order.sort((a, b) => totals[b] - totals[a] || ranks[a] - ranks[b]);
}

/** The first k of rankAll(totals, names), without ordering the rest. */
export function rankTop(totals: Float64Array, names: readonly string[], k: number): number[] {
  const m = names.length;
  if (k <= 0 || m === 0) return [];
  if (k >= m) return rankAll(totals, names);
  // The k-th best total; everything above it is in, and the ties at it compete by name.
  const sortedTotals = Float64Array.from(totals).sort();
  const threshold = sortedTotals[m - k];
  const above: number[] = [];
  const tied: number[] = [];
  for (let i = 0; i < m; i++) {
    if (totals[i] > threshold) above.push(i);
    else if (totals[i] === threshold) tied.push(i);
  }
  const ranks = new Float64Array(m);
  nameRanks.ranksOf(names, ranks);
  above.sort((a, b) => totals[b] - totals[a] || ranks[a] - ranks[b]);
  // Ranks are distinct integers: rank * m + index sorts by rank and still carries the index.
  const keys = new Float64Array(tied.length);
  for (let t = 0; t < tied.length; t++) keys[t] = ranks[tied[t]] * m + tied[t];
  keys.sort();
  for (let t = 0; above.length < k; t++) above.push(keys[t] % m);
  return above;
}
