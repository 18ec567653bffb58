import { isFabrikError, isRefusal } from '../errors/registry.js'
import { readResult } from '../store/result.js'
import type { BlobStore, PendingUpload, QueueDepth, UploadQueueStore } from '../store/types.js'
import { LayerOffline } from './breaker.js'
import type { GuardedLayer } from './guard.js'
import type { LayerMetrics } from './metrics.js'
import type { LayerLogger } from './types.js'

export interface UploadWorkerOptions {
  queue: UploadQueueStore
  /** Where the queued entries' bytes are read from. */
  local: BlobStore
  /** The write-through layers. */
  layers: readonly GuardedLayer[]
  metrics: LayerMetrics
  logger: LayerLogger
  /** How often the queue is looked at without a nudge (rows due again, rows queued by another process). */
  pollMs?: number
  /** Attempts before an entry is given up on (logged, counted as failed). An offline layer's waits do not count. */
  maxAttempts?: number
  /** Entries up to this size are read into memory and sent as one Buffer (S3 PutObject wants a known length). */
  bufferBytes?: number
}

export const MAX_BACKOFF_MS = 5 * 60_000

/** Exponential backoff with jitter: 1 s, 2 s, 4 s, ... up to 5 min, each scaled by a random 50-100 %. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 20))
  return Math.round(base * (0.5 + random() / 2))
}

/**
 * Drains the durable upload queue into the write-through layers, `workers` uploads per layer at a time. Claims
 * rows in queue order (blobs before the action results queued after them), reads each entry from the local store,
 * uploads it through the layer's breaker, and only then deletes the row: a crash at any point leaves the row to be
 * claimed again, so nothing acknowledged is lost. While a layer is offline its rows wait; once the cool-down is
 * over a single upload probes it.
 */
export class UploadWorkers {
  private readonly lanes: Lane[]
  private timer: NodeJS.Timeout | undefined
  private stopping = false
  private scheduled = false

  constructor(private readonly o: UploadWorkerOptions) {
    this.lanes = o.layers.map((layer) => new Lane(layer, o))
  }

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.o.pollMs ?? 1000)
    this.timer.unref()
    this.nudge()
  }

  /**
   * Something was queued (or became due): fill every lane's free workers once the current burst of puts has been
   * answered — one claim per turn of the event loop, not one per put (turbo and Bazel upload in bursts).
   */
  nudge(): void {
    if (this.stopping || this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      if (!this.stopping) for (const lane of this.lanes) lane.fill()
    })
  }

  depth(layer?: string): QueueDepth {
    return this.o.queue.depth(layer)
  }

  /** Uploads in progress right now, over all layers. */
  get active(): number {
    return this.lanes.reduce((n, l) => n + l.active, 0)
  }

  /** Stops claiming, waits up to `graceMs` for uploads in progress, then gives back every claimed row. */
  async close(graceMs = 5000): Promise<void> {
    this.stopping = true
    for (const lane of this.lanes) lane.stopping = true
    clearInterval(this.timer)
    const deadline = Date.now() + graceMs
    while (this.active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    this.o.queue.releaseClaims()
  }
}

/** One layer's workers. */
class Lane {
  active = 0
  stopping = false
  private filling = false

  constructor(private readonly layer: GuardedLayer, private readonly o: UploadWorkerOptions) {}

  fill(): void {
    if (this.filling || this.stopping) return
    this.filling = true
    try {
      const now = Date.now()
      const retryAt = this.layer.breaker.retryAt
      if (retryAt > now) return
      // Offline or probing: one upload decides whether the layer is back.
      const room = (retryAt > 0 ? 1 : this.layer.spec.workers) - this.active
      if (room <= 0) return
      let rows: PendingUpload[]
      try {
        rows = this.o.queue.claim(this.layer.spec.id, room, now)
      } catch (err) {
        this.o.logger.warn({ layer: this.layer.name, err: message(err) }, 'could not read the upload queue')
        return
      }
      for (const row of rows) {
        this.active++
        void this.upload(row).finally(() => {
          this.active--
          this.fill()
        })
      }
    } finally {
      this.filling = false
    }
  }

  private async upload(row: PendingUpload): Promise<void> {
    const { queue, metrics, logger } = this.o
    const name = this.layer.name
    try {
      const got = await this.o.local.get(row.ns, row.key)
      if (!got) {
        // Deleted or evicted since (an entry in the queue is never evicted, but `fabrik cas delete` may remove it).
        queue.finish(row)
        metrics.upload(name, 'gone')
        return
      }
      const body = got.size <= (this.o.bufferBytes ?? 8 * 1024 * 1024) ? await readResult(got) : got.stream
      await this.layer.put(row.ns, row.key, body, { size: got.size, sha256: got.sha256, meta: got.meta })
      queue.finish(row)
      metrics.upload(name, 'done')
      this.layer.countBytes('out', got.size)
    } catch (err) {
      const now = Date.now()
      if (err instanceof LayerOffline) {
        queue.postpone(row, Math.max(now + 250, this.layer.breaker.retryAt))
        return
      }
      if (isRefusal(err)) {
        // The layer refused our token (a read-only token, an expired one): every retry would be refused the same
        // way, and the queue would pin these entries against eviction for good. Dropped and counted; the guard
        // logs the refusal once and `fabrik health` shows it with its fix.
        queue.finish(row)
        metrics.upload(name, 'refused')
        return
      }
      const attempts = row.attempts + 1
      if (attempts >= (this.o.maxAttempts ?? 20) || isFabrikError(err, 'BLOB_TOO_LARGE')) {
        queue.finish(row)
        metrics.upload(name, 'failed')
        logger.error({ layer: name, ns: row.ns, key: row.key, attempts, err: message(err) }, `giving up uploading an entry to the ${name} layer`)
        return
      }
      queue.retry(row, now + backoffMs(attempts), message(err))
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
