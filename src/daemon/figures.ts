import { probe } from './probe.js'

// What `daemon list` and `daemon status` show beside the URLs: uptime and cache size, asked of the daemon's
// /health (it knows its store; the CLI does not open it).

export interface Figures {
  uptime_s?: number
  cache_bytes?: number
  cache_max_bytes?: number
  cache_entries?: number
}

export async function figures(httpUrl: string): Promise<Figures> {
  const r = await probe(Number(new URL(httpUrl).port), '/health', 2000)
  const body = (r?.status === 200 ? r.body : undefined) as { uptime_s?: number; store?: { bytes?: number; maxBytes?: number; entries?: number } } | undefined
  if (!body) return {}
  return {
    ...(typeof body.uptime_s === 'number' ? { uptime_s: body.uptime_s } : {}),
    ...(typeof body.store?.bytes === 'number' ? { cache_bytes: body.store.bytes } : {}),
    ...(typeof body.store?.maxBytes === 'number' ? { cache_max_bytes: body.store.maxBytes } : {}),
    ...(typeof body.store?.entries === 'number' ? { cache_entries: body.store.entries } : {}),
  }
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '?'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`
}

export function formatUptime(s: number | undefined): string {
  if (s === undefined) return '?'
  if (s < 60) return `${Math.floor(s)}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`
}

/** Rows as aligned columns, the first row being the header. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? []
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd())
}
