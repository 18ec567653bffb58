// Human units in fabrik.toml: sizes ("5GB", base 1024 like upstream Fabrik) and durations ("30s", "7d").
// Exported for the store and the daemon, which accept the same spellings on their own flags.

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
}

export const SIZE_EXPECTED = 'a size like "5GB" (TB, GB, MB, KB, base 1024) or a whole number of bytes'
export const DURATION_EXPECTED = 'a duration like "30s" or "1h30m" (units d, h, m, s, ms)'

/**
 * Bytes in a size. "5GB", "5G", "5GiB", "1.5 gb", "1024" and the integer 1024 are accepted; every unit is a power
 * of 1024 (upstream treats GB as GiB, and configs written for it must keep their meaning).
 * @throws RangeError naming what was expected.
 */
export function parseSize(input: string | number): number {
  if (typeof input === 'number') {
    if (Number.isSafeInteger(input) && input >= 0) return input
    throw new RangeError(`expected ${SIZE_EXPECTED}, got ${input}`)
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])i?b?|(b)?)\s*$/i.exec(input)
  const unit = (m?.[2] ?? m?.[3] ?? '').toLowerCase()
  const bytes = m === null ? NaN : Math.floor(Number(m[1]) * (SIZE_UNITS[unit] ?? NaN))
  if (!Number.isSafeInteger(bytes)) throw new RangeError(`expected ${SIZE_EXPECTED}, got ${JSON.stringify(input)}`)
  return bytes
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * Milliseconds in a duration: one or more <number><unit> groups ("30s", "1h30m", "1.5h", "500ms"). A bare number
 * is refused (seconds or milliseconds? upstream's own defaults always carry a unit), except 0.
 * @throws RangeError naming what was expected.
 */
export function parseDuration(input: string | number): number {
  if (input === 0 || (typeof input === 'string' && /^\s*0\s*$/.test(input))) return 0
  const text = typeof input === 'string' ? input.trim() : ''
  const groups = /^(?:\d+(?:\.\d+)?(?:ms|[dhms]))+$/i.test(text) ? text.match(/\d+(?:\.\d+)?(?:ms|[dhms])/gi) : null
  let total = 0
  for (const g of groups ?? []) {
    const [, n, u] = /^(\d+(?:\.\d+)?)(ms|[dhms])$/i.exec(g) ?? []
    total += Number(n) * (DURATION_UNITS[(u ?? '').toLowerCase()] ?? NaN)
  }
  const ms = Math.round(total)
  if (groups === null || !Number.isSafeInteger(ms)) {
    throw new RangeError(`expected ${DURATION_EXPECTED}, got ${JSON.stringify(input)}`)
  }
  return ms
}

/** "5GB", "1.5MB", "512B": the largest unit the value reaches, up to two decimals. */
export function formatSize(bytes: number): string {
  const units: [string, number][] = [['TB', 1024 ** 4], ['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]]
  for (const [name, size] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${name}`
  }
  return `${bytes}B`
}

/** "7d", "1h30m", "500ms": exact, so formatDuration(parseDuration(x)) round-trips. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  let rest = ms
  let out = ''
  for (const [unit, size] of Object.entries(DURATION_UNITS).reverse()) {
    const n = Math.floor(rest / size)
    if (n > 0) {
      out += `${n}${unit}`
      rest -= n * size
    }
  }
  return out
}
