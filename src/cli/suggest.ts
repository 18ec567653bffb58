// "Did you mean": the nearest candidate by edit distance, when it is near enough to be a typo.

/** Edits (insert, delete, replace, swap of two neighbours) turning a into b: "stauts" is one swap from "status". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const row = d[i] as number[]
      const up = d[i - 1] as number[]
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1)
    }
  }
  return (d[a.length] as number[])[b.length] as number
}

/** The closest candidate, if within a third of its length (at least 2 edits); a prefix of one also counts. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase()
  const prefixed = candidates.filter((c) => lower.length >= 2 && c.startsWith(lower))
  if (prefixed.length === 1) return prefixed[0]
  const best = candidates
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .sort((x, y) => x.d - y.d || x.c.length - y.c.length)[0]
  return best && best.d <= Math.max(2, Math.floor(best.c.length / 3)) ? best.c : undefined
}

/** Every candidate at the smallest distance, when that is near enough to be a typo. */
export function closestAll(input: string, candidates: readonly string[]): string[] {
  const scored = candidates.map((c) => ({ c, d: editDistance(input.toLowerCase(), c.toLowerCase()) }))
  const min = Math.min(...scored.map((x) => x.d))
  return scored.filter((x) => x.d === min && x.d <= Math.max(2, Math.floor(x.c.length / 3))).map((x) => x.c)
}
