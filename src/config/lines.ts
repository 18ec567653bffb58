// Which line of a fabrik.toml holds a key, so an error can say `fabrik.toml:7:` and the user's editor jumps there.
// A small scan of the text rather than a second parser: [table] and [[array]] headers set the current table, and
// `key = ...` lines (bare or quoted keys, dotted keys too) name a key in it. Good enough for what fabrik.toml
// holds; when a key cannot be placed (inline tables), the message names the file without a line.

function splitKey(text: string): string[] {
  return text
    .split('.')
    .map((p) => p.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'))
    .filter((p) => p !== '')
}

export function keyLine(text: string, path: readonly PropertyKey[]): number | undefined {
  const want = path.map((p) => (typeof p === 'number' ? p : String(p)))
  let table: (string | number)[] = []
  const arrayCounts = new Map<string, number>()
  let best: number | undefined
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/^\s+/, '')
    if (line === '' || line.startsWith('#')) continue
    const arr = /^\[\[\s*([^\]]+?)\s*\]\]/.exec(line)
    const tab = arr ? undefined : /^\[\s*([^\]]+?)\s*\]/.exec(line)
    if (arr) {
      const name = splitKey(arr[1] as string)
      const key = name.join('.')
      const index = arrayCounts.get(key) ?? 0
      arrayCounts.set(key, index + 1)
      table = [...name, index]
    } else if (tab) {
      table = splitKey(tab[1] as string)
    } else {
      const m = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\-\s])+?)\s*=/.exec(line)
      if (!m) continue
      const full = [...table, ...splitKey(m[1] as string)]
      // The longest prefix of the wanted path this line defines wins (an array value's elements are on its line).
      if (full.length <= want.length && full.every((p, j) => p === want[j])) {
        best = i + 1
        if (full.length === want.length) return i + 1
      }
      continue
    }
    if (table.length <= want.length && table.every((p, j) => p === want[j]) && best === undefined) best = i + 1
  }
  return best
}
