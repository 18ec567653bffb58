import { createHash } from 'node:crypto'
import { rmSync } from 'node:fs'
import { mkdir, mkdtemp, open, readdir, rm, stat, truncate, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'

// Partial ByteStream uploads, so an interrupted Write can be resumed: each upload in progress (keyed by its full
// resource name, which carries the client's uuid) has a file holding the bytes committed so far. QueryWriteStatus
// reports that count and a retry continues from it — Bazel does exactly this after a broken stream.
//
// Files live in a per-process folder under `parent`, removed at close. Folders of earlier processes older than
// the TTL are removed when the first upload starts; entries idle for the TTL are dropped by a sweep.

const DIR_PREFIX = 'bytestream-'

export interface PartialUpload {
  readonly file: string
  /** Bytes written to `file` (and thus reported by QueryWriteStatus). */
  committed: number
  touched: number
  /** Settles when the Write call currently feeding this upload has ended. */
  busy?: Promise<void>
}

export class PartialUploads {
  private readonly entries = new Map<string, PartialUpload>()
  private dir?: Promise<string>
  private dirPath?: string
  private timer?: NodeJS.Timeout

  constructor(
    private readonly parent: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(name: string): PartialUpload | undefined {
    const p = this.entries.get(name)
    if (p) p.touched = this.now()
    return p
  }

  async create(name: string): Promise<PartialUpload> {
    const dir = await this.folder()
    const file = join(dir, createHash('sha256').update(name).digest('hex').slice(0, 40) + '.part')
    await (await open(file, 'w', 0o600)).close()
    const p: PartialUpload = { file, committed: 0, touched: this.now() }
    this.entries.set(name, p)
    this.timer ??= setInterval(() => void this.sweep(), Math.min(this.ttlMs, 60_000)).unref()
    return p
  }

  async openForWrite(p: PartialUpload): Promise<FileHandle> {
    return open(p.file, 'r+')
  }

  async truncate(p: PartialUpload, size: number): Promise<void> {
    await truncate(p.file, size)
    p.committed = size
  }

  async discard(name: string): Promise<void> {
    const p = this.entries.get(name)
    if (!p) return
    this.entries.delete(name)
    await rm(p.file, { force: true })
  }

  /** Drops uploads nobody has touched for the TTL (a client that never came back). */
  async sweep(): Promise<void> {
    const cutoff = this.now() - this.ttlMs
    for (const [name, p] of this.entries) {
      if (!p.busy && p.touched < cutoff) await this.discard(name)
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
