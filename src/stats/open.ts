import type { FabrikConfig } from '../config/types.js'
import { StatsDb, statsPath } from './db.js'
import { StatsRecorder, type StatsLogger } from './recorder.js'
import type { ToolFigures } from './report.js'

// What the daemon needs from src/stats/, in one module it loads with the server (serve.ts).

export { writeDashboardToken } from './token.js'
export { NO_PEERS } from './types.js'

export function openRecorder(config: FabrikConfig, logger: StatsLogger): StatsRecorder {
  return new StatsRecorder({ db: new StatsDb(statsPath(config.cache.dir)), retentionMs: config.observability.stats_retention, logger })
}

/** Since local midnight: for /health and the dashboard's "time saved today". */
export function startOfToday(now = Date.now()): number {
  const d = new Date(now)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

export function todayFigures(stats: StatsRecorder): Pick<ToolFigures, 'requests' | 'hits' | 'misses' | 'errors' | 'savedMs' | 'hitRate'> {
  const t = stats.report(startOfToday()).total
  return { requests: t.requests, hits: t.hits, misses: t.misses, errors: t.errors, savedMs: t.savedMs, hitRate: t.hitRate }
}

/** A peer's running totals, as the P2P control reports them. */
export interface PeerTotals {
  name: string
  bytesIn: number
  bytesOut: number
  /** Entries the peer served us (verified). */
  hits: number
}

/**
 * Every `everyMs`, adds what each peer exchanged and served since the previous sample (the P2P stack keeps running
 * totals per peer) to the recorder's per-peer figures: "top teammates" in `fabrik stats`.
 */
export function samplePeers(stats: StatsRecorder, list: () => PeerTotals[], everyMs = 5000): { stop(): void } {
  const last = new Map<string, PeerTotals>()
  const sample = () => {
    for (const p of list()) {
      const before = last.get(p.name) ?? { name: p.name, bytesIn: 0, bytesOut: 0, hits: 0 }
      const dIn = Math.max(0, p.bytesIn - before.bytesIn)
      const dOut = Math.max(0, p.bytesOut - before.bytesOut)
      const dHits = Math.max(0, p.hits - before.hits)
      last.set(p.name, { ...p })
      if (dIn > 0 || dOut > 0 || dHits > 0) stats.peer(p.name, { bytesIn: dIn, bytesOut: dOut, hits: dHits })
    }
  }
  const timer = setInterval(sample, everyMs).unref()
  return {
    stop() {
      clearInterval(timer)
      sample()
    },
  }
}
