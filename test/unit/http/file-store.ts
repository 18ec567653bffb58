import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { ingest } from '../../../src/store/ingest.js'
import { validateKey, validateNamespace } from '../../../src/store/keys.js'
import type { BlobStore, EntryStat, GetOptions, GetResult, PutOptions, PutResult } from '../../../src/store/types.js'

// A minimal file-backed BlobStore for tests that must not hold blobs in memory (MemoryStore keeps every byte
// on the heap, which would hide whether the HTTP layer buffers).

export class FileStore implements BlobStore {
  constructor(private readonly dir: string) {}

  private path(ns: string, key: string): string {
    return join(this.dir, `${validateNamespace(ns)}__${validateKey(key)}`)
  }

  async has(ns: string, key: string): Promise<boolean> {
    return (await this.stat(ns, key)) !== undefined
  }

  async stat(ns: string, key: string): Promise<EntryStat | undefined> {
    try {
      return JSON.parse(await readFile(`${this.path(ns, key)}.json`, 'utf8')) as EntryStat
    } catch {
      return undefined
    }
  }

  async get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    const s = await this.stat(ns, key)
    if (!s) return undefined
    const start = options.offset ?? 0
    const end = options.length === undefined ? s.size : Math.min(s.size, start + options.length)
    const stream: Readable = end > start ? createReadStream(this.path(ns, key), { start, end: end - 1 }) : createReadStream(this.path(ns, key), { start: 0, end: -1 })
    return { ...s, stream }
  }

  async put(ns: string, key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<PutResult> {
    const path = this.path(ns, key)
    const tmp = `${path}.${randomUUID()}.tmp`
    try {
      const { size, sha256 } = await ingest(body, createWriteStream(tmp), options)
      await rename(tmp, path)
      const now = Date.now()
      const entry: EntryStat = { size, sha256, createdAt: now, accessedAt: now, meta: options.meta ?? {} }
      await writeFile(`${path}.json`, JSON.stringify(entry))
      return { size, sha256, created: true }
    } catch (err) {
      await rm(tmp, { force: true })
      throw err
    }
  }

  async delete(ns: string, key: string): Promise<boolean> {
    const existed = await this.has(ns, key)
    await rm(this.path(ns, key), { force: true })
    await rm(`${this.path(ns, key)}.json`, { force: true })
    return existed
  }

  async close(): Promise<void> {}

  async size(ns: string, key: string): Promise<number> {
    return (await stat(this.path(ns, key))).size
  }
}
