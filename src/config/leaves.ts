import { z } from 'zod'
import { closest } from '../cli/suggest.js'
import { linesPerSecond, type RequestLogSetting } from '../metrics/request-log.js'
import { DURATION_EXPECTED, SIZE_EXPECTED, parseDuration, parseSize } from './units.js'

// The value types of fabrik.toml. Each leaf says in words what it expects, so every error reads
// "<where>: <key>: expected <this>, got <that>". In 'override' mode (FABRIK_CONFIG_* and --config-*), values
// arrive as strings, so booleans and integers are also read from their spelling.

export type Mode = 'file' | 'override'

const INVALID = Symbol('invalid')
type Parse<T> = (value: unknown) => T | typeof INVALID

/** What the user wrote, for the "got ..." half of a message; secrets are described, never echoed. */
export function describe(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing'
  if (secret && typeof value === 'string') return `a ${value.length}-character value`
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (Array.isArray(value)) return `an array (${JSON.stringify(value).slice(0, 60)})`
  if (value instanceof Date) return 'a date'
  if (value !== null && typeof value === 'object') return 'a table'
  return String(value)
}

function leaf<T>(expected: string, parse: Parse<T>, secret = false) {
  return z
    .unknown()
    .transform((value, ctx) => {
      const out = parse(value)
      if (out === INVALID) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${describe(value, secret)}` })
        return z.NEVER
      }
      return out
    })
    .optional()
}

export const str = () => leaf('a string', (v) => (typeof v === 'string' ? v : INVALID))

/** `[observability] request_log`: "summary", "all" or "sample:N" (N request lines per second at most). */
export const requestLog = () =>
  leaf('"summary", "all" or "sample:N" (N from 1 to 100000 lines per second)', (v) =>
    typeof v === 'string' && linesPerSecond(v) !== undefined ? (v as RequestLogSetting) : INVALID)

export const secret = (minLength: number) =>
  leaf(
    `a secret of at least ${minLength} characters (e.g. \`openssl rand -hex 16\` makes one)`,
    (v) => (typeof v === 'string' && v.length >= minLength ? v : INVALID),
    true,
  )

export const path = () => leaf('a non-empty path', (v) => (typeof v === 'string' && v.trim() !== '' ? v : INVALID))

export const bool = (mode: Mode) =>
  leaf('true or false', (v) => {
    if (typeof v === 'boolean') return v
    if (mode === 'override' && typeof v === 'string') {
      const s = v.trim().toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(s)) return true
      if (['false', '0', 'no', 'off'].includes(s)) return false
    }
    return INVALID
  })

export const int = (mode: Mode, min: number, max: number) =>
  leaf(`an integer from ${min} to ${max}`, (v) => {
    const n = mode === 'override' && typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v
    return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : INVALID
  })

export const oneOf = <const T extends string>(values: readonly T[]) =>
  z
    .unknown()
    .transform((v, ctx) => {
      if (values.includes(v as T)) return v as T
      ctx.addIssue({ code: 'custom', message: `expected one of ${values.join(', ')}, got ${describe(v)}${didYouMean(v, values)}` })
      return z.NEVER
    })
    .optional()

/** ` (did you mean "turborepo"?)` when a wrong value is a typo or an abbreviation of a valid one. */
function didYouMean(value: unknown, values: readonly string[]): string {
  if (typeof value !== 'string') return ''
  const guess = closest(value, values)
  return guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''
}

export const listOf = <const T extends string>(values: readonly T[]) =>
  z
    .unknown()
    .transform((v, ctx) => {
      const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : v
      if (!Array.isArray(list)) {
        ctx.addIssue({ code: 'custom', message: `expected an array of ${values.join(', ')}, got ${describe(v)}` })
        return z.NEVER
      }
      const bad = list.filter((x) => !values.includes(x as T))
      if (bad.length > 0) {
        const what = bad.map((x) => `${describe(x)}${didYouMean(x, values)}`).join(', ')
        ctx.addIssue({ code: 'custom', message: `expected an array of ${values.join(', ')}, got ${what}` })
        return z.NEVER
      }
      return [...new Set(list as T[])]
    })
    .optional()

export const size = () =>
  leaf(SIZE_EXPECTED, (v) => {
    try {
      return typeof v === 'string' || typeof v === 'number' ? parseSize(v) : INVALID
    } catch {
      return INVALID
    }
  })

export const duration = () =>
  leaf(DURATION_EXPECTED, (v) => {
    try {
      return typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : INVALID
    } catch {
      return INVALID
    }
  })

/** A URL whose scheme is one of `schemes` ("https", "grpc", ...) and that has a host (or an S3 bucket). */
export const url = (schemes: readonly string[]) =>
  leaf(`a URL starting with ${schemes.map((s) => `${s}://`).join(', ')}`, (v) => {
    if (typeof v !== 'string') return INVALID
    try {
      const u = new URL(v)
      return schemes.includes(u.protocol.slice(0, -1)) && u.hostname !== '' ? v : INVALID
    } catch {
      return INVALID
    }
  })

/** "host:port" for the optional health/API listeners; IPv6 hosts in brackets. */
export const bind = () =>
  leaf('an address like "127.0.0.1:8888"', (v) => {
    if (typeof v !== 'string') return INVALID
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v)
    return m !== null && Number(m[2]) <= 65535 ? v : INVALID
  })
