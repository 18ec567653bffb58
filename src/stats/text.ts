import type { StatsReport } from './report.js'

// `fabrik stats` as a compact table (and the lines `fabrik health` borrows).

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`
  return `${Math.floor(m / 60)}h ${m % 60}m`
}

function pct(r: number | null): string {
  return r === null ? '-' : `${(r * 100).toFixed(1)}%`
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()
  return [line(head), ...rows.map(line)]
}

export interface QueueLine {
  layer: string
  entries: number
  bytes: number
}

export function statsLines(r: StatsReport, queue: readonly QueueLine[] = []): string[] {
  const out: string[] = [`Since ${r.since.replace('T', ' ').slice(0, 16)} UTC`]
  if (r.total.requests === 0) {
    out.push('No requests recorded in this window.')
  } else {
    out.push('')
    const rows = [...r.tools, r.total].map((t) => [
      t.tool, String(t.requests), String(t.hits), String(t.misses), String(t.errors), pct(t.hitRate),
      formatBytes(t.bytesOut), formatBytes(t.bytesIn), t.savedMs > 0 ? formatDuration(t.savedMs) : '-',
    ])
    out.push(...table(['tool', 'requests', 'hits', 'misses', 'errors', 'hit rate', 'served', 'received', 'time saved'], rows))
    out.push('')
    const hits = r.layers.reduce((n, l) => n + l.hits, 0)
    out.push(...table(['hits from', 'hits', 'share', 'fetched', 'uploaded', 'errors'], r.layers.map((l) => [
      l.layer, String(l.hits), hits === 0 ? '-' : `${((l.hits / hits) * 100).toFixed(1)}%`,
      l.layer === 'local' ? '-' : formatBytes(l.bytesIn), l.layer === 'local' ? '-' : formatBytes(l.bytesOut), l.layer === 'local' ? '-' : String(l.errors),
    ])))
  }
  if (queue.length > 0) {
    out.push('')
    for (const q of queue) out.push(`upload queue ${q.layer}: ${q.entries === 0 ? 'empty' : `${q.entries} entries, ${formatBytes(q.bytes)}`}`)
  }
  if (r.peers.length > 0) {
    out.push('')
    out.push(...table(['teammate', 'hits', 'received', 'sent'], r.peers.slice(0, 5).map((p) => [
      p.peer, String(p.hits), formatBytes(p.bytesIn), formatBytes(p.bytesOut),
    ])))
  }
  return out
}
