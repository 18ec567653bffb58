import type { AccessLog } from './access.js'
import { sweepExpired } from './eviction.js'
import type { StoreLogger } from './options.js'
import type { Space } from './space.js'
import type { SqliteIndex } from './sqlite-index.js'

const FLUSH_CHUNK = 1000
const SWEEP_BATCH = 1000

export interface MaintenanceContext {
  index: SqliteIndex
  access: AccessLog
  space: Space
  /** ttl in ms when the policy is ttl, else undefined (no sweeping). */
  ttl?: number
  now: () => number
  logger?: StoreLogger
  isClosed: () => boolean
}

/**
 * The store's background work, on one unref'd timer: write batched access times (a chunk of 1,000 rows per
 * transaction, yielding to requests between chunks; see access.ts) and, under the ttl policy, drop a bounded batch
 * of expired entries so they stop taking space even when nothing is being written.
 */
export function startMaintenance(ctx: MaintenanceContext, intervalMs: number): NodeJS.Timeout {
  let flushing = false
  // A failure that persists (a full disk) is logged when it starts, not every second.
  let failing = false
  const flushStep = (): void => {
    try {
      if (!ctx.isClosed() && ctx.access.flush(ctx.index, FLUSH_CHUNK) === FLUSH_CHUNK) {
        setImmediate(flushStep)
        return
      }
      failing = false
    } catch (err) {
      if (!failing) ctx.logger?.warn({ error: (err as Error).message }, 'writing cache access times failed; will retry')
      failing = true
    }
    flushing = false
  }
  const tick = (): void => {
    if (ctx.isClosed()) return
    if (!flushing) {
      flushing = true
      flushStep()
    }
    if (ctx.ttl === undefined) return
    try {
      const ttl = ctx.ttl
      const victims = ctx.index.transaction(() => sweepExpired(ctx.index, ctx.now() - ttl, SWEEP_BATCH))
      void ctx.space.discard(victims)
    } catch (err) {
      ctx.logger?.warn({ err }, 'removing expired cache entries failed')
    }
  }
  const timer = setInterval(tick, intervalMs)
  timer.unref()
  return timer
}
