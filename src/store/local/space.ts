import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { AccessLog } from './access.js'
import { evictDownTo } from './eviction.js'
import { isInline } from './paths.js'
import type { SqliteIndex, Victim } from './sqlite-index.js'

export interface SpaceOptions {
  index: SqliteIndex
  access: AccessLog
  blobs: string
  maxSize: number
  lowWatermark: number
  logger?: { warn(obj: object, msg: string): void }
  onEvict?: (n: number) => void
}

/** A put's reservation grows in steps of this much as its bytes arrive. */
export const RESERVE_STEP = 1024 * 1024
/** How long a usage total read from the index stands in for a fresh one (see usedEstimate). */
const USAGE_FRESH_MS = 250
/** Below this fraction of max_size by the estimate, a put does not read the total again. */
const ESTIMATE_HEADROOM = 0.95

/**
 * Keeps blob bytes within max_size. A put reserves space as its bytes arrive — in steps of RESERVE_STEP, never
 * past its declared size — and eviction frees room for each step before the bytes are written. Not the declared
 * size up front: a client declaring nearly max_size and then sending nothing made eviction empty the cache for
 * bytes that never came, and held the reservation for as long as it kept the connection open. Disk use stays
 * under max_size plus at most one step per put in flight (and small blobs, which go to the index). Used bytes come from the index (exact, trigger-maintained, shared with other processes); reservations
 * are this process's own. Eviction runs down to the low watermark so it happens in rounds, not on every put.
 */
export class Space {
  /** Bytes promised to puts in flight that declared their size. */
  reserved = 0
  closed = false
  /** The index's usage total when last read, plus what this process has stored since; at when it was read. */
  private used = 0
  private usedAt = -Infinity

  constructor(private readonly o: SpaceOptions) {}

  /**
   * Used bytes, from the index at most USAGE_FRESH_MS ago plus this process's puts since: reading the total after
   * every small put was a read transaction of its own (two shm lock calls each). Another process sharing the store
   * may have added bytes since, which can put the store over max_size by that process's small puts of the last
   * USAGE_FRESH_MS at most; it makes room for its own puts, and near max_size every check reads afresh.
   */
  private usedEstimate(now: number): number {
    if (now - this.usedAt > USAGE_FRESH_MS) this.readUsage(now)
    return this.used
  }

  private readUsage(now: number): number {
    this.used = this.o.index.usage().bytes
    this.usedAt = now
    return this.used
  }

  /** A put stored `bytes` (counted before the next read of the total). */
  stored(bytes: number): void {
    this.used += bytes
  }

  async reserve(size: number): Promise<void> {
    this.reserved += size
    try {
      await this.makeRoom()
    } catch (err) {
      this.reserved -= size
      throw err
    }
  }

  release(size: number): void {
    this.reserved -= size
  }

  /** A reservation that grows with a put's bytes (see above); release() it when the put ends, however it ends. */
  reservation(declared: number | undefined): Reservation {
    return new Reservation(this, declared)
  }

  /**
   * Evicts if used + reserved > max_size. `exclude` protects an entry a small put has just committed; those (and
   * only those: a large put's bytes may not be written before there is room) may go by the estimate.
   */
  async makeRoom(exclude?: { ns: string; key: string }): Promise<void> {
    const { index, access, maxSize, lowWatermark } = this.o
    const now = performance.now()
    if (exclude && this.usedEstimate(now) + this.reserved <= maxSize * ESTIMATE_HEADROOM) return
    if (this.readUsage(now) + this.reserved <= maxSize) return
    // Victim order depends on access times: write the pending ones first.
    access.flush(index)
    const target = Math.max(0, Math.floor(lowWatermark * maxSize) - this.reserved)
    try {
      await this.discard(index.transaction(() => evictDownTo(index, target, exclude)))
    } finally {
      this.usedAt = -Infinity
    }
  }

  /** Unlinks the files of rows already deleted, then reports them. */
  async discard(victims: Victim[]): Promise<void> {
    if (victims.length === 0) return
    for (const v of victims) this.o.access.forget(v.ns, v.key)
    // Awaited, so a put that triggered eviction only starts writing once the space is really free.
    await Promise.all(victims.map((v) => this.removeFile(v.file)))
    this.o.onEvict?.(victims.length)
  }

  /**
   * Unlinks a blob whose row is gone; nothing to do for an inline entry (its bytes went with the row). A failure
   * leaves an orphan: logged, and the next open rescans.
   */
  async removeFile(file: string | undefined): Promise<void> {
    if (file === undefined || isInline(file)) return
    try {
      await unlink(join(this.o.blobs, file))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      this.o.logger?.warn({ err, file }, 'could not remove a cache blob; it will be reclaimed at next open')
      if (!this.closed) this.o.index.setCounter('scan_needed', 1)
    }
  }
}

/** What one put holds of Space.reserved: grown as its bytes arrive, released once when it ends. */
export class Reservation {
  held = 0

  constructor(private readonly space: Space, private readonly declared: number | undefined) {}

  async grow(total: number): Promise<void> {
    if (total <= this.held) return
    // Ahead of the bytes by up to one step when the size is declared (fewer eviction checks), never past it;
    // exactly what arrived when it is not.
    const stepped = Math.ceil(total / RESERVE_STEP) * RESERVE_STEP
    const want = this.declared === undefined ? total : Math.max(total, Math.min(stepped, this.declared))
    const delta = want - this.held
    await this.space.reserve(delta)
    this.held = want
  }

  release(): void {
    this.space.release(this.held)
    this.held = 0
  }
}
