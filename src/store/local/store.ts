import { open, rename, mkdir, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Readable, addAbortSignal } from 'node:stream'
import type { EvictionPolicy } from '../../config/types.js'
import { FabrikError, isFabrikError } from '../../errors/registry.js'
import { ingest } from '../ingest.js'
import { validateKey, validateNamespace, validateSha256 } from '../keys.js'
import type {
  EntryStat, GetOptions, GetResult, ListedEntry, LocalBlobStore, PutOptions, PutResult, StoreStats,
} from '../types.js'
import { AccessLog } from './access.js'
import { ioError, nullSink, tempFileSink } from './blob-file.js'
import { evictDownTo, sweepExpired } from './eviction.js'
import { layout, newBlobName, newTempName, type StoreLayout } from './paths.js'
import { prepareDirs, recover, type RecoveryMode, type RecoveryReport } from './recovery.js'
import { SqliteIndex, type Row, type Victim } from './sqlite-index.js'

export interface StoreLogger {
  warn(obj: object, msg: string): void
}

export interface LocalStoreOptions {
  /** Absolute cache folder (`cache.dir`). Created if missing. */
  dir: string
  /** Bytes of blobs kept on disk (`cache.max_size`). */
  maxSize: number
  evictionPolicy: EvictionPolicy
  /** Milliseconds an entry lives under the ttl policy (`cache.default_ttl`); ignored by lru and lfu. */
  defaultTtl: number
  /** Eviction stops once the blobs fit in this fraction of maxSize. Default 0.9. */
  lowWatermark?: number
  logger?: StoreLogger
  /** Called with the number of entries each eviction round removed (for fabrik_evictions_total). */
  onEvict?: (n: number) => void
  /** 'auto' (default): full consistency scan only after a crash. 'full': always scan at open. */
  recovery?: RecoveryMode
  /** Milliseconds between access-time flushes (and ttl sweeps). Default 1000. */
  flushIntervalMs?: number
  /** Clock for tests. */
  now?: () => number
}

const PREFIX_RE = /^[A-Za-z0-9._-]{0,256}$/
const SWEEP_BATCH = 1000
const FLUSH_CHUNK = 1000

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new FabrikError('ABORTED', 'the request was cancelled', { cause: signal.reason })
}

/** Maps anything a put or get can throw to the registry: store failures are STORE_IO, cancellations ABORTED. */
function mapError(err: unknown): FabrikError {
  if (isFabrikError(err)) return err
  const e = err as NodeJS.ErrnoException
  if (e?.name === 'AbortError' || e?.code === 'ABORT_ERR') return new FabrikError('ABORTED', 'the request was cancelled', { cause: err })
  // A body that ends before its declared end (client hung up) is a cancellation, not a disk problem.
  if (e?.code === 'ERR_STREAM_PREMATURE_CLOSE') return new FabrikError('ABORTED', 'the request body ended early', { cause: err })
  return ioError('cache store failure', err)
}

/**
 * The local content store: a SQLite index (WAL) plus one file per blob under `cache.dir`. See paths.ts for the
 * layout, recovery.ts for crash safety and eviction.ts for the policies. One instance is meant to live as long as
 * the daemon and to be called concurrently; every index change is a synchronous transaction, so the JS event loop
 * serialises them and a put's "check, then commit" cannot interleave with another's.
 */
export class LocalStore implements LocalBlobStore {
  readonly layout: StoreLayout
  readonly maxSize: number
  readonly policy: EvictionPolicy
  /** What the consistency pass at open found and repaired. */
  readonly recovery: RecoveryReport
  private readonly index: SqliteIndex
  private readonly access = new AccessLog()
  private readonly lowWatermark: number
  private readonly ttl: number
  private readonly now: () => number
  private readonly token: string
  private readonly timer: NodeJS.Timeout
  /** Bytes promised to puts in flight that declared their size. */
  private reserved = 0
  private closed = false
  private flushing = false

  constructor(private readonly options: LocalStoreOptions) {
    if (!Number.isSafeInteger(options.maxSize) || options.maxSize <= 0) {
      throw new FabrikError('CONFIG_INVALID', `cache.max_size must be a positive number of bytes, got ${options.maxSize}`)
    }
    const low = options.lowWatermark ?? 0.9
    if (!(low > 0 && low <= 1)) throw new FabrikError('CONFIG_INVALID', `low watermark must be in (0, 1], got ${low}`)
    this.lowWatermark = low
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
    if (this.recovery.tmpRemoved + this.recovery.rowsDropped + this.recovery.orphansRemoved > 0) {
      options.logger?.warn({ recovery: this.recovery, dir: options.dir }, 'cache store repaired after an unclean shutdown')
    }
    this.timer = setInterval(() => this.tick(), options.flushIntervalMs ?? 1000)
    this.timer.unref()
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

  /** The row for (ns, key) if present and not expired. */
  private live(ns: string, key: string): Row | undefined {
    const row = this.index.get(validateNamespace(ns), validateKey(key))
    return row && !this.expired(row) ? row : undefined
  }

  private toStat(ns: string, key: string, row: Row): EntryStat {
    const pending = this.access.peek(ns, key)
    return {
      size: row.size,
      sha256: row.sha256,
      createdAt: row.created_at,
      accessedAt: Math.max(row.accessed_at, pending?.at ?? 0),
      meta: row.meta ? (JSON.parse(row.meta) as Record<string, string>) : {},
    }
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
    // A concurrent overwrite or eviction may unlink the file between lookup and open; look again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = this.live(ns, key)
      if (!row) return undefined
      let fh
      try {
        fh = await open(this.path(row.file), 'r')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw mapError(err)
        if (this.index.get(ns, key)?.file === row.file) {
          // Same row, no file: damage from outside (or a power cut). Heal the index; report a miss.
          this.index.deleteIfFile(ns, key, row.file)
          this.options.logger?.warn({ ns, key, file: row.file }, 'cache entry had no blob file; dropped it')
          return undefined
        }
        continue
      }
      // The file is open: it stays readable even if it is evicted or overwritten from here on.
      this.access.record(ns, key, this.now())
      const start = Math.min(offset, row.size)
      const end = length === undefined ? row.size : Math.min(row.size, start + length)
      let stream: Readable
      if (end <= start) {
        await fh.close()
        stream = Readable.from([])
      } else {
        stream = fh.createReadStream({ start, end: end - 1, autoClose: true })
      }
      if (options.signal) addAbortSignal(options.signal, stream)
      return { ...this.toStat(ns, key, row), stream }
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
    const existing = this.live(ns, key)
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
    const reservation = options.size ?? 0
    if (reservation > 0) await this.reserve(reservation)
    const tmp = join(this.layout.tmp, newTempName())
    let tmpExists = false
    try {
      const fh = await open(tmp, 'wx').catch((err: unknown) => {
        throw ioError('cannot create a cache temp file', err)
      })
      tmpExists = true
      let ingested
      try {
        ingested = await ingest(body, tempFileSink(fh), {
          size: options.size, sha256: options.sha256, maxBytes: this.maxSize, signal: options.signal,
        })
      } finally {
        await fh.close()
      }
      const file = newBlobName(ns, key)
      await this.publish(tmp, file)
      tmpExists = false
      return await this.commit(ns, key, file, ingested.size, ingested.sha256, options)
    } catch (err) {
      if (tmpExists) await unlink(tmp).catch(() => undefined)
      if (isFabrikError(err, 'BLOB_TOO_LARGE')) throw this.tooLarge(undefined)
      throw mapError(err)
    } finally {
      this.reserved -= reservation
    }
  }

  private tooLarge(size: number | undefined): FabrikError {
    const what = size === undefined ? `the blob grew past ${this.maxSize} bytes` : `the blob is ${size} bytes`
    return new FabrikError('BLOB_TOO_LARGE', `${what}, more than the whole cache (max_size ${this.maxSize} bytes); nothing was stored`)
  }

  private async publish(tmp: string, file: string): Promise<void> {
    const dest = this.path(file)
    try {
      await rename(tmp, dest)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('cannot move a blob into the cache', err)
      // The fan-out folder was removed from outside; recreate it once.
      await mkdir(dirname(dest), { recursive: true })
      await rename(tmp, dest).catch((e: unknown) => {
        throw ioError('cannot move a blob into the cache', e)
      })
    }
  }

  /** The index half of a put, in one synchronous transaction so concurrent puts of one key cannot interleave. */
  private async commit(
    ns: string, key: string, file: string, size: number, sha256: string, options: PutOptions,
  ): Promise<PutResult> {
    const now = this.now()
    const meta = options.meta && Object.keys(options.meta).length > 0 ? JSON.stringify(options.meta) : null
    let outcome: { kind: 'stored'; old?: string } | { kind: 'exists' } | { kind: 'duplicate'; size: number }
    try {
      outcome = this.index.transaction(() => {
        const cur = this.index.get(ns, key)
        const curLive = cur && !this.expired(cur) ? cur : undefined
        if (curLive && options.overwrite === false) return { kind: 'exists' as const }
        // Content-addressed keys: the first complete writer wins; a later identical one changes nothing.
        if (curLive && options.sha256 !== undefined && curLive.sha256 === sha256) {
          return { kind: 'duplicate' as const, size: curLive.size }
        }
        this.index.upsert({ ns, key, file, size, sha256, now, meta })
        return { kind: 'stored' as const, old: cur?.file }
      })
    } catch (err) {
      await unlink(this.path(file)).catch(() => undefined)
      throw err
    }
    if (outcome.kind !== 'stored') {
      await this.removeFile(file)
      if (outcome.kind === 'exists') throw new FabrikError('ALREADY_EXISTS', `${ns}/${key} already exists`)
      this.access.record(ns, key, now)
      return { size: outcome.size, sha256, created: false }
    }
    this.access.forget(ns, key)
    if (outcome.old !== undefined) await this.removeFile(outcome.old)
    // A put of unknown size reserved nothing: make room now, keeping the entry just written.
    if (options.size === undefined) await this.makeRoom({ ns, key })
    return { size, sha256, created: true }
  }

  /** Promises `size` bytes to a put and evicts until used + reserved fits in maxSize. */
  private async reserve(size: number): Promise<void> {
    this.reserved += size
    try {
      await this.makeRoom()
    } catch (err) {
      this.reserved -= size
      throw mapError(err)
    }
  }

  private async makeRoom(exclude?: { ns: string; key: string }): Promise<void> {
    if (this.index.usage().bytes + this.reserved <= this.maxSize) return
    this.access.flush(this.index)
    const target = Math.max(0, Math.floor(this.lowWatermark * this.maxSize) - this.reserved)
    const victims = this.index.transaction(() => evictDownTo(this.index, target, exclude))
    await this.discard(victims)
  }

  private async discard(victims: Victim[]): Promise<void> {
    if (victims.length === 0) return
    for (const v of victims) this.access.forget(v.ns, v.key)
    // Awaited, so a put that triggered eviction only starts writing once the space is really free.
    await Promise.all(victims.map((v) => this.removeFile(v.file)))
    this.options.onEvict?.(victims.length)
  }

  /** Unlinks a blob whose row is gone. A failure leaves an orphan: logged, and the next open rescans. */
  private async removeFile(file: string): Promise<void> {
    try {
      await unlink(this.path(file))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      this.options.logger?.warn({ err, file }, 'could not remove a cache blob; it will be reclaimed at next open')
      if (!this.closed) this.index.setCounter('scan_needed', 1)
    }
  }

  async delete(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    this.ensureOpen()
    aborted(signal)
    const row = this.live(ns, key)
    const file = this.index.delete(ns, key)
    this.access.forget(ns, key)
    if (file === undefined) return false
    await this.removeFile(file)
    return row !== undefined
  }

  list(options: { ns?: string; prefix?: string; limit?: number } = {}): ListedEntry[] {
    this.ensureOpen()
    if (options.ns !== undefined) validateNamespace(options.ns)
    if (options.prefix !== undefined && !PREFIX_RE.test(options.prefix)) {
      throw new FabrikError('INVALID_KEY', `invalid key prefix ${JSON.stringify(options.prefix.slice(0, 80))}`)
    }
    const limit = options.limit ?? -1
    return this.index
      .list(options.ns, options.prefix, limit)
      .filter((r) => !this.expired(r))
      .map((r) => ({ ns: r.ns, key: r.key, ...this.toStat(r.ns, r.key, r) }))
  }

  stats(): StoreStats {
    this.ensureOpen()
    const byNamespace: StoreStats['byNamespace'] = {}
    let entries = 0
    let bytes = 0
    for (const r of this.index.byNamespace()) {
      byNamespace[r.ns] = { entries: r.entries, bytes: r.bytes }
      entries += r.entries
      bytes += r.bytes
    }
    return { entries, bytes, maxBytes: this.maxSize, evictions: this.index.counter('evictions'), byNamespace }
  }

  /** Writes pending access times now (also done every flushIntervalMs and at close). */
  flushAccess(): number {
    this.ensureOpen()
    return this.access.flush(this.index)
  }

  private tick(): void {
    if (this.closed) return
    this.flushInChunks()
    if (this.policy !== 'ttl') return
    try {
      const victims = this.index.transaction(() => sweepExpired(this.index, this.now() - this.ttl, SWEEP_BATCH))
      void this.discard(victims)
    } catch (err) {
      this.options.logger?.warn({ err }, 'removing expired cache entries failed')
    }
  }

  /** Writes pending accesses a chunk at a time, letting requests run between chunks. */
  private flushInChunks(): void {
    if (this.flushing) return
    this.flushing = true
    const step = (): void => {
      try {
        if (!this.closed && this.access.flush(this.index, FLUSH_CHUNK) === FLUSH_CHUNK) {
          setImmediate(step)
          return
        }
      } catch (err) {
        this.options.logger?.warn({ err }, 'writing cache access times failed')
      }
      this.flushing = false
    }
    step()
  }

  async close(): Promise<void> {
    if (this.closed) return
    clearInterval(this.timer)
    try {
      this.access.flush(this.index)
      this.index.removeOwner(this.token)
    } finally {
      this.closed = true
      this.index.close()
    }
  }
}

/** Opens (creating if needed) the local store in options.dir, repairing it first if a previous owner crashed. */
export function openLocalStore(options: LocalStoreOptions): LocalStore {
  return new LocalStore(options)
}
