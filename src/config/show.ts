import { leafEntries } from './merge.js'
import { maskValue } from './mask.js'
import { DURATION_KEYS, SIZE_KEYS } from './schema.js'
import type { LoadedConfig, ValueSource } from './types.js'
import { formatDuration, formatSize } from './units.js'

// `fabrik config show`: every effective value with where it came from. JSON keeps machine units (bytes,
// milliseconds) so scripts need no parser; the table prints human units.

export interface ShownValue {
  value: unknown
  source: ValueSource
}

export interface ShowData {
  path: string | null
  values: Record<string, ShownValue>
}

export function showData(loaded: LoadedConfig): ShowData {
  const values: Record<string, ShownValue> = {}
  for (const [key, value] of leafEntries(loaded.config as unknown as Record<string, unknown>)) {
    values[key] = { value: maskValue(key, value), source: loaded.sources[key] ?? 'default' }
  }
  return { path: loaded.path ?? null, values }
}

function human(key: string, value: unknown): string {
  if (value === undefined) return '-'
  if (typeof value === 'number' && SIZE_KEYS.has(key)) return formatSize(value)
  if (typeof value === 'number' && (DURATION_KEYS.has(key) || key.endsWith('.timeout') || key.endsWith('.breaker_cooldown'))) return formatDuration(value)
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
}

/** Rows of key / value / source; each [[upstream]] entry's fields get rows of their own. */
export function showTable(data: ShowData): string {
  const rows: [string, string, string][] = [['KEY', 'VALUE', 'SOURCE']]
  for (const [key, { value, source }] of Object.entries(data.values)) {
    if (key === 'upstream' && Array.isArray(value)) {
      if (value.length === 0) rows.push([key, '(none)', source])
      value.forEach((entry: Record<string, unknown>, i) => {
        for (const [field, v] of Object.entries(entry)) rows.push([`upstream[${i}].${field}`, human(`upstream.${field}`, v), source])
      })
      continue
    }
    rows.push([key, human(key, value), source])
  }
  const width = [0, 1].map((c) => Math.max(...rows.map((r) => (r[c] as string).length)))
  const lines = rows.map(([k, v, s]) => `${k.padEnd(width[0] ?? 0)}  ${v.padEnd(width[1] ?? 0)}  ${s}`.trimEnd())
  return [`Config file: ${data.path ?? '(none found; defaults, environment and flags only)'}`, '', ...lines].join('\n')
}
