import { request } from 'node:http'
import { join } from 'node:path'
import type { LoadedConfig } from '../config/types.js'
import { probe } from '../daemon/probe.js'
import { findRunning } from '../daemon/start.js'
import { StatsDb, statsPath } from './db.js'
import { queuedUploads } from './queue.js'
import { buildReport, type StatsReport } from './report.js'
import type { QueueLine } from './text.js'

// `fabrik stats`: asks the running daemon (its figures include the last seconds still in memory), or reads
// <cache dir>/stats.db directly when no daemon runs.

export interface StatsAnswer {
  source: 'daemon' | 'file'
  report: StatsReport
  queue: QueueLine[]
}

function post(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', timeout: 3000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end()
  })
}

export async function readStats(loaded: LoadedConfig, sinceMs: number, now = Date.now()): Promise<StatsAnswer> {
  const daemon = await findRunning(loaded)
  if (daemon) {
    const port = Number(new URL(daemon.http_url).port)
    const [stats, health] = await Promise.all([probe(port, `/_fabrik/stats?since_ms=${sinceMs}`, 3000), probe(port, '/health', 3000)])
    if (stats?.status === 200 && typeof stats.body === 'object' && stats.body !== null) {
      const layers = ((health?.body as { layers?: { name: string; queue?: { entries: number; bytes: number } }[] } | undefined)?.layers ?? [])
      const queue = layers.filter((l) => l.queue).map((l) => ({ layer: l.name, entries: l.queue!.entries, bytes: l.queue!.bytes }))
      return { source: 'daemon', report: stats.body as StatsReport, queue }
    }
  }
  const db = new StatsDb(statsPath(loaded.config.cache.dir))
  try {
    return { source: 'file', report: buildReport(db.rows(sinceMs), sinceMs, now), queue: queuedUploads(join(loaded.config.cache.dir, 'index.db')) }
  } finally {
    db.close()
  }
}

/** Resets the figures: through the daemon when it runs (its memory too), else in the file. */
export async function zeroStats(loaded: LoadedConfig): Promise<void> {
  const daemon = await findRunning(loaded)
  if (daemon) {
    const status = await post(Number(new URL(daemon.http_url).port), '/_fabrik/stats/zero').catch(() => 0)
    if (status === 200) return
  }
  const db = new StatsDb(statsPath(loaded.config.cache.dir))
  try {
    db.zero()
  } finally {
    db.close()
  }
}
