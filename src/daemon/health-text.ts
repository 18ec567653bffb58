import type { TokenReport } from '../auth/describe.js'
import { formatBytes } from '../stats/text.js'
// `fabrik health` for people: the daemon's /health as short aligned lines (--json prints it as it is).

interface LayerHealth {
  name: string
  url: string
  state: string
  write_through: boolean
  read_only: boolean
  queue?: { entries: number; bytes: number; oldest_age_s: number }
  last_error?: string
  refused?: { reads?: string; writes?: string; fix: string }
}

export function healthLines(body: Record<string, unknown>): string[] {
  const lines: string[] = []
  const store = body.store as { entries: number; bytes: number; maxBytes: number; evictions: number } | undefined
  if (typeof body.uptime_s === 'number') lines.push(`  uptime:  ${body.uptime_s} s`)
  if (store) {
    lines.push(`  local:   ${store.entries} entries, ${formatBytes(store.bytes)} of ${formatBytes(store.maxBytes)}, ${store.evictions} evicted`)
  }
  const layers = body.layers as LayerHealth[] | undefined
  for (const l of layers ?? []) {
    const role = l.read_only ? 'read-only' : l.write_through ? 'read/write' : 'read'
    const queue = l.queue
      ? l.queue.entries === 0
        ? ', nothing queued'
        : `, ${l.queue.entries} queued (${formatBytes(l.queue.bytes)}, oldest ${l.queue.oldest_age_s} s)`
      : ''
    lines.push(`  ${l.name.padEnd(8)} ${l.url}: ${l.state}, ${role}${queue}`)
    if (l.last_error && l.last_error !== (l.refused?.reads ?? l.refused?.writes)) lines.push(`           last error: ${l.last_error}`)
    if (l.refused) {
      lines.push(`           refused ${l.refused.writes ? 'uploads' : 'reads'}: ${l.refused.writes ?? l.refused.reads}`)
      lines.push(`           fix: ${l.refused.fix}`)
    }
  }
  const token = body.upstream_token as TokenReport | undefined
  if (token) lines.push(`  auth:    ${tokenLine(token)}`)
  const today = body.today as { requests: number; hits: number; misses: number; errors: number; savedMs: number; hitRate: number | null } | undefined
  if (today) {
    const rate = today.hitRate === null ? 'no lookups' : `${(today.hitRate * 100).toFixed(1)}% hits`
    const saved = today.savedMs > 0 ? `, ${(today.savedMs / 1000).toFixed(1)} s saved` : ''
    lines.push(`  today:   ${today.requests} requests, ${rate} (${today.hits} hits, ${today.misses} misses, ${today.errors} errors)${saved}`)
  }
  const peers = body.peers as { id: string; name?: string; address?: string; consent: string }[] | undefined
  if (peers) {
    if (peers.length === 0) lines.push('  peers:   none')
    for (const p of peers) lines.push(`  peer     ${p.name ?? p.id}${p.address ? ` (${p.address})` : ''}: ${p.consent}`)
  }
  const shown = new Set(['status', 'uptime_s', 'pid', 'store', 'layers', 'uploads_pending', 'upstream_token', 'today', 'peers'])
  for (const [k, v] of Object.entries(body)) {
    if (!shown.has(k)) lines.push(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  }
  return lines
}

/** The token the daemon sends its regional layer: whose it is, or what is wrong with it and how to fix that. */
function tokenLine(t: TokenReport): string {
  if (t.problem) return t.problem
  const permissions = t.permissions?.length ? t.permissions.join(', ') : 'no permissions'
  return `sends the token of ${t.subject ?? '?'} (tenant ${t.tenant ?? '?'}, ${permissions}) from ${t.source}${t.expires_at ? `, valid until ${t.expires_at}` : ''}`
}
