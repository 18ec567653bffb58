import { createHash } from 'node:crypto'
import { rmSync } from 'node:fs'
import { mkdir, mkdtemp, open, readdir, rm, stat, truncate, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'

// Partial ByteStream uploads, so an interrupted Write can be resumed: each upload in progress (keyed by its full
// resource name, which carries the client's uuid) has a file holding the bytes committed so far. QueryWriteStatus
// reports that count and a retry continues from it — Bazel does exactly this after a broken stream.
//
// Uploads are also keyed by the caller's scope when the server has one (fabrik server: the tenant of the verified
// token): Bazel's instance name may be empty for every tenant, so a resource name alone would let one tenant ask
// about, resume or cut short another's upload if it ever named the same uuid.
//
// Files live in a per-process folder under `parent`, removed at close. Folders of earlier processes older than
// the TTL are removed when the first upload starts; entries idle for the TTL are dropped by a sweep.
//
// These files sit outside [cache] max_size, so their total is capped: bytes are claimed before they are written,
// and a claim that does not fit drops the least recently touched idle uploads first (their clients restart from 0,
// as QueryWriteStatus then tells them). When even that leaves no room, the upload goes on but stops being spooled:
// it stays resumable from the bytes already in its file. Without the cap, clients cut off mid-upload (or a client
// that opens many uploads and abandons them) could fill the disk for up to the TTL.

const DIR_PREFIX = 'bytestream-'

/** Default total of all partial files: sixty-four 16 MiB blobs (RESUMABLE_MIN_BYTES) cut off at their last byte. */
export const PARTIAL_UPLOADS_MAX_BYTES = 1024 * 1024 * 1024

/**
 * The cap for a cache of `maxSize` bytes: a quarter of it, at most the default. A user who gave the cache 500 MB
 * did not mean another 1 GiB of half-uploaded blobs beside it; the default 5 GB cache keeps the full 1 GiB.
 */
export function partialUploadsCap(maxSize: number): number {
  return Math.min(PARTIAL_UPLOADS_MAX_BYTES, Math.floor(maxSize / 4))
}

export interface PartialUpload {
  readonly file: string
  /** Bytes written to `file` (and thus reported by QueryWriteStatus). */
  committed: number
  /** Bytes counted against the cap: `committed` plus what is claimed and being written. */
  claimed: number
  touched: number
  /** Settles when the Write call currently feeding this upload has ended. */
  busy?: Promise<void>
}

export interface PartialUploadsOptions {
  now?: () => number
  /** Total bytes all partial files may hold; default PARTIAL_UPLOADS_MAX_BYTES. */
  maxBytes?: number
  /** The scope of the request being served (called inside it); default '' for a daemon serving one user. */
  scope?: () => string
}

export class PartialUploads {
  private readonly entries = new Map<string, PartialUpload>()
  private dir?: Promise<string>
  private dirPath?: string
  private timer?: NodeJS.Timeout
  private readonly now: () => number
  private readonly maxBytes: number
  private readonly scope: () => string

  constructor(private readonly parent: string, private readonly ttlMs: number, options: PartialUploadsOptions = {}) {
    this.now = options.now ?? Date.now
    this.maxBytes = options.maxBytes ?? PARTIAL_UPLOADS_MAX_BYTES
    this.scope = options.scope ?? (() => '')
  }

  /** The key of `name` in the caller's scope, length-prefixed so no scope and name can spell another pair. */
  private key(name: string): string {
    const scope = this.scope()
    return scope === '' ? name : `${scope.length}:${scope}/${name}`
  }

  get(name: string): PartialUpload | undefined {
    const p = this.entries.get(this.key(name))
    if (p) p.touched = this.now()
    return p
  }

  async create(name: string): Promise<PartialUpload> {
    const key = this.key(name)
    const dir = await this.folder()
    const file = join(dir, createHash('sha256').update(key).digest('hex').slice(0, 40) + '.part')
    await (await open(file, 'w', 0o600)).close()
    const p: PartialUpload = { file, committed: 0, claimed: 0, touched: this.now() }
    this.entries.set(key, p)
    this.timer ??= setInterval(() => void this.sweep(), Math.min(this.ttlMs, 60_000)).unref()
    return p
  }

  async openForWrite(p: PartialUpload): Promise<FileHandle> {
    return open(p.file, 'r+')
  }

  async truncate(p: PartialUpload, size: number): Promise<void> {
    await truncate(p.file, size)
    p.committed = size
    p.claimed = size
  }

  /**
   * Claims room for `bytes` more in p's file. Drops the least recently touched idle uploads when the total would
   * pass the cap; false (nothing dropped) when p cannot grow by that much even then. Claiming is synchronous up to
   * the removal of the dropped files, so two concurrent claims never both count the same room.
   */
  async claim(p: PartialUpload, bytes: number): Promise<boolean> {
    if (p.claimed + bytes > this.maxBytes) return false
    const idle = [...this.entries].filter(([, e]) => e !== p && !e.busy).sort(([, a], [, b]) => a.touched - b.touched)
    let total = this.bytes
    let dropCount = 0
    while (total + bytes > this.maxBytes && dropCount < idle.length) total -= idle[dropCount++]![1].claimed
    if (total + bytes > this.maxBytes) return false
    const dropped = idle.slice(0, dropCount)
    for (const [name] of dropped) this.entries.delete(name)
    p.claimed += bytes
    await Promise.all(dropped.map(([, e]) => rm(e.file, { force: true })))
    return true
  }

  /** Bytes counted against the cap, over all partial uploads. */
  get bytes(): number {
    let total = 0
    for (const e of this.entries.values()) total += e.claimed
    return total
  }

  async discard(name: string): Promise<void> {
    await this.drop(this.key(name))
  }

  private async drop(key: string): Promise<void> {
    const p = this.entries.get(key)
    if (!p) return
    this.entries.delete(key)
    await rm(p.file, { force: true })
  }

  /** Drops uploads nobody has touched for the TTL (a client that never came back). */
  async sweep(): Promise<void> {
    const cutoff = this.now() - this.ttlMs
    for (const [key, p] of this.entries) {
      if (!p.busy && p.touched < cutoff) await this.drop(key)
    }
  }

  get size(): number {
    return this.entries.size
  }

  /** Synchronous so it can run inside grpc.Server.forceShutdown(). */
  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.entries.clear()
    if (this.dirPath) rmSync(this.dirPath, { recursive: true, force: true })
    this.dir = undefined
    this.dirPath = undefined
  }

  private folder(): Promise<string> {
    this.dir ??= (async () => {
      await mkdir(this.parent, { recursive: true, mode: 0o700 })
      await this.removeStale()
      const dir = await mkdtemp(join(this.parent, DIR_PREFIX))
      this.dirPath = dir
      return dir
    })()
    return this.dir
  }

  private async removeStale(): Promise<void> {
    const cutoff = this.now() - this.ttlMs
    for (const name of await readdir(this.parent)) {
      if (!name.startsWith(DIR_PREFIX)) continue
      const path = join(this.parent, name)
      const s = await stat(path).catch(() => undefined)
      if (s && s.mtimeMs < cutoff) await rm(path, { recursive: true, force: true })
    }
  }
}
