// `fabrik daemon logs`: the daemon's pino JSON lines as aligned columns for people —
//   time  level  tool  op  key  layer  result  ms  bytes  message
// Cache requests get a "cache request" line each at debug, and at info as many as `[observability] request_log`
// allows (sampled by default); the statistics recorder adds one "requests summary" line per tool and minute, so a
// Bazel build does not fill megabytes of log.

import { formatBytes } from './figures.js'

export const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }
const NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }

type Entry = Record<string, unknown>

export function parseLine(line: string): Entry | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const v = JSON.parse(line) as unknown
    return typeof v === 'object' && v !== null ? (v as Entry) : undefined
  } catch {
    return undefined
  }
}

export function levelOf(e: Entry): number {
  return typeof e.level === 'number' ? e.level : 30
}

/** Byte counts of a summary line; none (or 0) prints nothing. */
const bytes = (n: unknown): string => (typeof n === 'number' && n !== 0 ? formatBytes(n) : '')

function keyOf(url: unknown): string {
  if (typeof url !== 'string') return ''
  const path = url.split('?')[0] ?? ''
  const last = path.split('/').filter((p) => p !== '').pop() ?? ''
  return last.length > 16 ? `${last.slice(0, 15)}…` : last
}

const SKIP = new Set(['level', 'time', 'pid', 'msg', 'component', 'tool', 'method', 'url', 'status', 'outcome', 'ms', 'bytes', 'layer', 'op', 'key', 'ns'])

function rest(e: Entry): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(e)) {
    if (SKIP.has(k) || v === undefined) continue
    parts.push(`${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  }
  return parts.join(' ')
}

/** One aligned line for a parsed log entry. */
export function formatEntry(e: Entry): string {
  const time = typeof e.time === 'string' ? e.time.slice(11, 23) : typeof e.time === 'number' ? new Date(e.time).toISOString().slice(11, 23) : ''.padEnd(12)
  const level = (NAMES[levelOf(e)] ?? String(e.level)).padEnd(5)
  const msg = typeof e.msg === 'string' ? e.msg : ''
  let tool = typeof e.tool === 'string' ? e.tool : typeof e.service === 'string' ? e.service : ''
  let op = typeof e.method === 'string' ? e.method : typeof e.op === 'string' ? e.op : ''
  const key = typeof e.key === 'string' ? (e.key.length > 16 ? `${e.key.slice(0, 15)}…` : e.key) : keyOf(e.url)
  const layer = typeof e.layer === 'string' ? e.layer : ''
  let result = typeof e.outcome === 'string' ? e.outcome : ''
  let ms = typeof e.ms === 'number' ? String(e.ms) : ''
  let size = bytes(e.bytes)
  let text = msg === 'cache request' ? '' : msg
  if (msg === 'requests summary') {
    op = 'summary'
    result = `${String(e.hits)}h/${String(e.misses)}m/${String(e.errors)}e`
    size = bytes(Number(e.bytes_out ?? 0) + Number(e.bytes_in ?? 0))
    ms = ''
    const saved = Number(e.saved_ms ?? 0)
    text = `${String(e.requests)} requests in ${String(e.period_s)} s${saved > 0 ? `, ${(saved / 1000).toFixed(1)} s saved` : ''}`
    return [time, level, tool.padEnd(8), op.padEnd(8), ''.padEnd(16), layer.padEnd(6), result.padEnd(9), ms.padStart(6), size.padStart(9), text].join(' ').trimEnd()
  }
  if (tool === '' && typeof e.component === 'string') tool = ''
  const extra = msg === 'cache request' ? '' : rest(e)
  const component = typeof e.component === 'string' && tool === '' ? `[${e.component}] ` : ''
  return [time, level, tool.padEnd(8), op.padEnd(8), key.padEnd(16), layer.padEnd(6), result.padEnd(9), ms.padStart(6), size.padStart(9), `${component}${text}${extra ? ` ${extra}` : ''}`]
    .join(' ')
    .trimEnd()
}

export const HEADER = ['time        ', 'level', 'tool    ', 'op      ', 'key             ', 'layer ', 'result   ', '    ms', '    bytes', 'message'].join(' ')

/** A raw line as shown: formatted, or as it is when it is not JSON (a crash's stack trace). */
export function showLine(line: string, minLevel: number, json: boolean): string | undefined {
  if (line === '') return undefined
  const e = parseLine(line)
  if (e === undefined) return json ? undefined : line
  if (levelOf(e) < minLevel) return undefined
  return json ? line : formatEntry(e)
}
