import { type Readable, Writable } from 'node:stream'
import { FabrikError } from '../errors/registry.js'
import { ingest } from './ingest.js'
import { validateKey, validateNamespace } from './keys.js'
import { BufferedResult } from './result.js'
import type { BlobStore, EntryStat, GetOptions, GetResult, PutOptions, PutResult } from './types.js'

interface Entry extends EntryStat {
  data: Buffer
}

/**
 * An in-process BlobStore. It is the reference implementation of the contract (same validation, same
 * verification path via ingest()), used by adapter unit tests and by benchmarks as a ceiling.
 */
export class MemoryStore implements BlobStore {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly maxBlobBytes = Number.MAX_SAFE_INTEGER) {}

  private id(ns: string, key: string): string {
    return `${validateNamespace(ns)}\0${validateKey(key)}`
  }

  async has(ns: string, key: string): Promise<boolean> {
    return this.entries.has(this.id(ns, key))
  }

  async stat(ns: string, key: string): Promise<EntryStat | undefined> {
    const e = this.entries.get(this.id(ns, key))
    if (!e) return undefined
    const { data: _data, ...stat } = e
    return stat
  }

  async get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    const e = this.entries.get(this.id(ns, key))
    if (!e) return undefined
    e.accessedAt = Date.now()
    const start = Math.min(options.offset ?? 0, e.size)
    const end = options.length === undefined ? e.size : Math.min(e.size, start + options.length)
    return new BufferedResult(e, e.data.subarray(start, end), options.signal)
  }

  async put(ns: string, key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<PutResult> {
    const id = this.id(ns, key)
    const existing = this.entries.get(id)
    if (existing && options.overwrite === false) {
      throw new FabrikError('ALREADY_EXISTS', `${ns}/${key} already exists`)
    }
    const chunks: Buffer[] = []
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk)
        cb()
      },
    })
    const { size, sha256 } = await ingest(body, sink, { ...options, maxBytes: this.maxBlobBytes })
    const now = Date.now()
    this.entries.set(id, { data: Buffer.concat(chunks), size, sha256, createdAt: now, accessedAt: now, meta: options.meta ?? {} })
    return { size, sha256, created: true }
  }

  async delete(ns: string, key: string): Promise<boolean> {
    return this.entries.delete(this.id(ns, key))
  }

  async close(): Promise<void> {
    this.entries.clear()
  }
}
