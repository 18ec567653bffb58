import { constants, openSync } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import type { EvictionPolicy } from '../../config/types.js'
import { FabrikError, isFabrikError } from '../../errors/registry.js'
import { ingest } from '../ingest.js'
import { BufferedResult } from '../result.js'
import { validateKey, validateNamespace, validateSha256 } from '../keys.js'
import type {
  EntryStat, GetOptions, GetResult, ListedEntry, LocalBlobStore, PutOptions, PutResult, StoreStats,
} from '../types.js'
import { AccessLog } from './access.js'
import { Checkpointer } from './checkpointer.js'
import { nullSink, publish, stageBody, type Staged } from './blob-file.js'
import { ioError, mapError, throwIfAborted as aborted } from './errors.js'
import { GroupCommit } from './group-commit.js'
import { startMaintenance } from './maintenance.js'
import { checkOptions, type LocalStoreOptions } from './options.js'
import { isInline, layout, newBlobName, newTempName, type StoreLayout } from './paths.js'
import { FileResult } from './file-result.js'
import { HotEntries } from './hot.js'
import { prepareDirs, recover, type RecoveryReport } from './recovery.js'
import { Space } from './space.js'
import { SqliteIndex, type Row, type RowWithData } from './sqlite-index.js'
import { UploadQueue } from './upload-queue.js'

export type { LocalStoreOptions, StoreLogger } from './options.js'

/** Memory for recently read small entries (hot.ts): a few thousand typical 1 KiB hits. */
const HOT_BYTES = 4 * 1024 * 1024

const OPEN_BLOB = constants.O_RDONLY | constants.O_NONBLOCK

const PREFIX_RE = /^[A-Za-z0-9._-]{0,256}$/

/**
 * The local content store: a SQLite index (WAL) plus one file per blob under `cache.dir`, except that blobs of at
 * most `inlineMaxBytes` live in their index row (a small GET is then one B-tree lookup instead of open/read/close
 * on the libuv threadpool). See paths.ts for the layout, recovery.ts for crash safety and eviction.ts for the
 * policies. One instance is meant to live as long as
 * the daemon and to be called concurrently; every index change is a synchronous transaction, so the JS event loop
 * serialises them and a put's "check, then commit" cannot interleave with another's.
 */
export class LocalStore implements LocalBlobStore {
  readonly layout: StoreLayout
  readonly maxSize: number
  readonly policy: EvictionPolicy
  readonly inlineMax: number
  /** What the consistency pass at open found and repaired. */
  readonly recovery: RecoveryReport
  /** The durable write-behind queue (read by the layer chain's upload workers). */
  readonly uploads: UploadQueue
  private readonly index: SqliteIndex
  private readonly access = new AccessLog()
  private readonly ttl: number
  private readonly now: () => number
  private readonly token: string
  private readonly timer: NodeJS.Timeout
  private readonly space: Space
  private readonly hot = new HotEntries(HOT_BYTES)
  private readonly group: GroupCommit
  private readonly checkpointer: Checkpointer | undefined
  private closed = false
  /** Writes are failing for lack of disk space: logged once when it starts and once when it ends. */
  private full = false

  constructor(private readonly options: LocalStoreOptions) {
    const { low, inlineMax } = checkOptions(options)
    this.inlineMax = inlineMax
    this.maxSize = options.maxSize
    this.policy = options.evictionPolicy
    this.ttl = options.defaultTtl
    this.now = options.now ?? Date.now
    this.layout = layout(options.dir)
    try {
      prepareDirs(this.layout)
      this.index = new SqliteIndex(this.layout.db, this.policy)
    } catch (err) {
      throw ioError(`cannot open the cache store in ${options.dir}`, err)
    }
    try {
      const { token, report } = recover(this.index, this.layout, options.recovery ?? 'auto')
      this.token = token
      this.recovery = report
    } catch (err) {
      this.index.close()
      throw ioError(`recovering the cache store in ${options.dir} failed`, err)
    }
    this.uploads = new UploadQueue(this.index, this.token)
    this.checkpointer = options.checkpointThread ? new Checkpointer(this.index, this.layout.db, options.logger) : undefined
    this.group = new GroupCommit(this.index, (r) => this.expired(r))
    if (this.recovery.tmpRemoved + this.recovery.rowsDropped + this.recovery.orphansRemoved > 0) {
      options.logger?.warn({ recovery: this.recovery, dir: options.dir }, 'cache store repaired after an unclean shutdown')
    }
    this.space = new Space({
      index: this.index, access: this.access, blobs: this.layout.blobs, maxSize: this.maxSize, lowWatermark: low,
      logger: options.logger, onEvict: options.onEvict,
    })
    this.timer = startMaintenance({
      index: this.index, access: this.access, space: this.space, ttl: this.policy === 'ttl' ? this.ttl : undefined,
      now: this.now, logger: options.logger, isClosed: () => this.closed,
    }, options.flushIntervalMs ?? 1000)
  }

  private ensureOpen(): void {
    if (this.closed) throw new FabrikError('STORE_IO', `the cache store in ${this.options.dir} is closed`)
  }

  private path(file: string): string {
    return join(this.layout.blobs, file)
  }

  private expired(row: Row): boolean {
    return this.policy === 'ttl' && row.created_at + this.ttl < this.now()
  }

  /** Runs index work, turning SQLite failures (busy, disk full, corrupt) into STORE_IO. */
  private sql<T>(fn: () => T): T {
    try {
      return fn()
    } catch (err) {
      throw mapError(err)
    }
  }

  /** The row for (ns, key) if present and not expired. */
  private live(ns: string, key: string, withData = false): RowWithData | undefined {
    validateNamespace(ns)
    validateKey(key)
    const row = this.sql(() => this.index.readBatch(() => (withData ? this.index.getWithData(ns, key) : this.index.get(ns, key))))
    return row && !this.expired(row) ? row : undefined
  }

  /** A small entry read recently and unchanged since (hot.ts); validates ns and key. */
  private hotEntry(ns: string, key: string): { row: Row; data: Buffer } | undefined {
    validateNamespace(ns)
    validateKey(key)
    const id = `${ns}\0${key}`
    const hot = this.hot.get(id)
    if (hot === undefined) return undefined
    if (this.sql(() => this.index.readBatch(() => this.index.fileOf(ns, key))) === hot.row.file && !this.expired(hot.row)) return hot
    this.hot.delete(id)
    return undefined
  }

  /** The entry's figures; its access time includes accesses not yet written to the index. */
  private toStat(ns: string, key: string, row: Row): EntryStat {
    return statOf(row, Math.max(row.accessed_at, this.access.peek(ns, key)?.at ?? 0))
  }

  /** Records a read of the entry now and returns its figures as of this read. */
  private accessed(ns: string, key: string, row: Row): EntryStat {
    const now = this.now()
    this.access.record(ns, key, now)
    return statOf(row, Math.max(row.accessed_at, now))
  }

  /** Presence check; counts as an access (Bazel's FindMissingBlobs must keep referenced blobs alive). */
  async has(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    this.ensureOpen()
    aborted(signal)
    if (!this.live(ns, key)) return false
    this.access.record(ns, key, this.now())
    return true
  }

  /** Metadata without touching access time (used by `cas info` and listings). */
  async stat(ns: string, key: string, signal?: AbortSignal): Promise<EntryStat | undefined> {
    this.ensureOpen()
    aborted(signal)
    const row = this.live(ns, key)
    return row ? this.toStat(ns, key, row) : undefined
  }

  async get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    this.ensureOpen()
    aborted(options.signal)
    const { offset = 0, length } = options
    if (!Number.isSafeInteger(offset) || offset < 0 || (length !== undefined && (!Number.isSafeInteger(length) || length < 0))) {
      throw new FabrikError('INVALID_REQUEST', `invalid read range offset=${offset} length=${length}`)
    }
    const hot = this.hotEntry(ns, key)
    if (hot !== undefined) {
      const start = Math.min(offset, hot.row.size)
      const end = length === undefined ? hot.row.size : Math.min(hot.row.size, start + length)
      return new BufferedResult(this.accessed(ns, key, hot.row), hot.data.subarray(start, end), options.signal)
    }
    // A concurrent overwrite or eviction may unlink the file between lookup and open; look again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      // One statement brings the row and, for an inline entry, its bytes: no file system call at all.
      const row = this.live(ns, key, true)
      if (!row) return undefined
      const start = Math.min(offset, row.size)
      const end = length === undefined ? row.size : Math.min(row.size, start + length)
      if (isInline(row.file)) {
        if (!row.data) continue
        this.hot.set(`${ns}\0${key}`, row, row.data)
        return new BufferedResult(this.accessed(ns, key, row), row.data.subarray(start, end), options.signal)
      }
      let fd
      try {
        // Opened at once, on this thread: an open of a local file costs microseconds, while a libuv threadpool
        // round trip wakes two threads (get() of a file entry after 100 ms idle: p50 0.45 → 0.35-0.41 ms on the
        // 2-core VM here, part of a peer's first byte in bench:p2p). O_NONBLOCK: a FIFO put in place of a blob
        // file from outside must fail its reads, not block the event loop in open().
        fd = openSync(this.path(row.file), OPEN_BLOB)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw mapError(err)
        if (this.sql(() => this.index.get(ns, key))?.file === row.file) {
          // Same row, no file: damage from outside (or a power cut). Heal the index; report a miss.
          this.sql(() => this.index.deleteIfFile(ns, key, row.file))
          this.options.logger?.warn({ ns, key, file: row.file }, 'cache entry had no blob file; dropped it')
          return undefined
        }
        continue
      }
      // The file is open: it stays readable even if it is evicted or overwritten from here on.
      return new FileResult(this.accessed(ns, key, row), fd, start, end, options.signal)
    }
    return undefined
  }

  async put(ns: string, key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<PutResult> {
    this.ensureOpen()
    validateNamespace(ns)
    validateKey(key)
    if (options.sha256 !== undefined) validateSha256(options.sha256)
    aborted(options.signal)
    if (options.size !== undefined) {
      if (!Number.isSafeInteger(options.size) || options.size < 0) {
        throw new FabrikError('INVALID_REQUEST', `invalid declared size ${options.size}`)
      }
      if (options.size > this.maxSize) throw this.tooLarge(options.size)
    }
    // Only these two options make an existing entry matter before the bytes are read; commitPut checks again.
    const existing = options.overwrite === false || options.sha256 !== undefined ? this.live(ns, key) : undefined
    if (existing && options.overwrite === false) throw new FabrikError('ALREADY_EXISTS', `${ns}/${key} already exists`)
    if (existing && options.sha256 !== undefined && existing.sha256 === options.sha256) {
      // Content-addressed duplicate: the bytes are already here. Consume (and still verify) the body so the
      // client's connection stays usable, refresh the entry's recency, store nothing.
      try {
        await ingest(body, nullSink(), { size: options.size, sha256: options.sha256, signal: options.signal })
      } catch (err) {
        throw mapError(err)
      }
      this.access.record(ns, key, this.now())
      return { size: existing.size, sha256: existing.sha256, created: false }
    }
    // Space is reserved as the bytes arrive (space.ts), not from the declared size before any has.
    const reservation = this.space.reservation(options.size)
    const tmp = join(this.layout.tmp, newTempName())
    // A body declared larger than the inline limit goes straight to its temp file; one of unknown size is held in
    // memory until it grows past the limit.
    const inlineMax = this.inlineMax > 0 && (options.size ?? 0) <= this.inlineMax ? this.inlineMax : -1
    try {
      const staged = await stageBody(tmp, body, {
        size: options.size, sha256: options.sha256, maxBytes: this.maxSize, signal: options.signal,
      }, inlineMax, (total) => reservation.grow(total))
      let file: string | undefined
      if (staged.data === undefined) {
        file = newBlobName(ns, key)
        await publish(tmp, this.path(file))
      }
      const result = await this.commit(ns, key, file, staged, options, reservation.held >= staged.size)
      this.noteFull(undefined)
      return result
    } catch (err) {
      // writeTemp cleans up after itself; this covers a failed rename. Temp names are unique, so it is harmless.
      await unlink(tmp).catch(() => undefined)
      if (isFabrikError(err, 'BLOB_TOO_LARGE')) throw this.tooLarge(undefined)
      throw this.noteFull(mapError(err))
    } finally {
      reservation.release()
    }
  }

  /**
   * One log line when writes start failing because the disk is full (not one stack per request: the adapters
   * answer 507 / RESOURCE_EXHAUSTED and log those at debug), and one when a write succeeds again.
   */
  private noteFull<E extends FabrikError | undefined>(err: E): E {
    const full = err?.code === 'STORE_FULL'
    if (full && !this.full) {
      this.options.logger?.warn({ dir: this.options.dir, error: err.message },
        'the cache disk is full: writes fail (HTTP 507, gRPC RESOURCE_EXHAUSTED) until space is freed; reads are still served')
    } else if (!full && err === undefined && this.full) {
      this.options.logger?.warn({ dir: this.options.dir }, 'the cache disk has room again: writes succeed')
    }
    if (full) this.full = true
    else if (err === undefined) this.full = false
    return err
  }

  private tooLarge(size: number | undefined): FabrikError {
    const what = size === undefined ? `the blob grew past ${this.maxSize} bytes` : `the blob is ${size} bytes`
    return new FabrikError('BLOB_TOO_LARGE', `${what}, more than the whole cache (max_size ${this.maxSize} bytes); nothing was stored`)
  }

  /**
   * Records a published blob (or an inline one, bytes and row in one transaction) in the index, then tidies up
   * whichever file lost. removeFile() ignores inline names, so both kinds share this path.
   */
  private async commit(
    ns: string, key: string, file: string | undefined, staged: Staged, options: PutOptions, reserved = false,
  ): Promise<PutResult> {
    const { size, sha256, data } = staged
    const now = this.now()
    const targets = options.upload === false ? undefined : this.options.uploads
    let dropped: string[] = []
    const onStored = targets && targets.layers.length > 0
      ? () => { dropped = this.uploads.enqueue(targets, ns, key, size, now).dropped }
      : undefined
    let outcome
    try {
      outcome = await this.group.commit({ ns, key, file, size, sha256, data, now, options, onStored })
    } catch (err) {
      await this.space.removeFile(file)
      throw err
    }
    if (outcome.kind !== 'stored') {
      await this.space.removeFile(file)
      if (outcome.kind === 'exists') throw new FabrikError('ALREADY_EXISTS', `${ns}/${key} already exists`)
      this.access.record(ns, key, now)
      return { size: outcome.size, sha256, created: false }
    }
    this.access.forget(ns, key)
    this.space.stored(size)
    if (dropped.length > 0) {
      this.options.logger?.warn({ ns, key, layers: dropped }, 'upload queue full: this entry is stored locally but will not be uploaded')
      this.options.onUploadDropped?.(dropped, ns, key)
    }
    if (outcome.old !== undefined) await this.space.removeFile(outcome.old)
    // A put that reserved less than it stored (a small one, held in memory): make room now, keeping the entry
    // just written. The entry is stored either way, so a failure here is logged rather than failing the put.
    if (!reserved) {
      await this.space.makeRoom({ ns, key }).catch((err: unknown) => {
        this.options.logger?.warn({ err }, 'evicting after a put failed')
      })
    }
    return { size, sha256, created: true }
  }

  async delete(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    this.ensureOpen()
    aborted(signal)
    const row = this.live(ns, key)
    // Row first, then file: when the delete cannot commit (disk full), it throws and the file stays, so index
    // and files still agree.
    const file = this.sql(() => this.index.delete(ns, key))
    this.access.forget(ns, key)
    if (file === undefined) return false
    await this.space.removeFile(file)
    return row !== undefined
  }

  list(options: { ns?: string; prefix?: string; limit?: number } = {}): ListedEntry[] {
    this.ensureOpen()
    if (options.ns !== undefined) validateNamespace(options.ns)
    if (options.prefix !== undefined && !PREFIX_RE.test(options.prefix)) {
      throw new FabrikError('INVALID_KEY', `invalid key prefix ${JSON.stringify(options.prefix.slice(0, 80))}`)
    }
    const limit = options.limit ?? -1
    return this.sql(() => this.index.list(options.ns, options.prefix, limit))
      .filter((r) => !this.expired(r))
      .map((r) => ({ ns: r.ns, key: r.key, ...this.toStat(r.ns, r.key, r) }))
  }

  stats(): StoreStats {
    this.ensureOpen()
    const byNamespace: StoreStats['byNamespace'] = {}
    let entries = 0
    let bytes = 0
    for (const r of this.sql(() => this.index.byNamespace())) {
      byNamespace[r.ns] = { entries: r.entries, bytes: r.bytes }
      entries += r.entries
      bytes += r.bytes
    }
    const evictions = this.sql(() => this.index.counter('evictions'))
    return { entries, bytes, maxBytes: this.maxSize, evictions, byNamespace }
  }

  /** Writes pending access times now (also done every flushIntervalMs and at close). */
  flushAccess(): number {
    this.ensureOpen()
    return this.sql(() => this.access.flush(this.index))
  }

  async close(): Promise<void> {
    if (this.closed) return
    clearInterval(this.timer)
    try {
      this.group.flush()
      this.access.flush(this.index)
      this.uploads.releaseClaims()
      this.index.removeOwner(this.token)
    } finally {
      this.closed = true
      this.space.closed = true
      try {
        // Its connection first: the last one to close folds the WAL into index.db.
        await this.checkpointer?.close()
      } finally {
        this.index.close()
      }
    }
  }
}

/** Opens (creating if needed) the local store in options.dir, repairing it first if a previous owner crashed. */
export function openLocalStore(options: LocalStoreOptions): LocalStore {
  return new LocalStore(options)
}

function statOf(row: Row, accessedAt: number): EntryStat {
  return {
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at,
    accessedAt,
    meta: row.meta ? (JSON.parse(row.meta) as Record<string, string>) : {},
  }
}
