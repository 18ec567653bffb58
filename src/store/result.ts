import { Readable, addAbortSignal } from 'node:stream'
import { FabrikError } from '../errors/registry.js'
import type { EntryStat, GetResult } from './types.js'

/**
 * A GetResult for bytes already in memory: `data` at once, `stream` only if someone asks for it. A class rather
 * than an object literal with a getter: one hidden class for every small hit keeps the hot path monomorphic.
 */
export class BufferedResult implements GetResult {
  readonly size: number
  readonly sha256: string
  readonly createdAt: number
  readonly accessedAt: number
  readonly meta: Record<string, string>
  private made: Readable | undefined

  constructor(stat: EntryStat, readonly data: Buffer, private readonly signal?: AbortSignal) {
    this.size = stat.size
    this.sha256 = stat.sha256
    this.createdAt = stat.createdAt
    this.accessedAt = stat.accessedAt
    this.meta = stat.meta
  }

  get stream(): Readable {
    if (this.made === undefined) {
      this.made = Readable.from([this.data], { objectMode: false })
      if (this.signal) addAbortSignal(this.signal, this.made)
    }
    return this.made
  }
}

/** The whole result as one buffer. Only for entries whose size the caller has bounded. */
export async function readResult(result: GetResult): Promise<Buffer> {
  if (result.data !== undefined) return result.data
  // A file: one read into a buffer of the right size, no stream to build and tear down.
  const reader = result.reader
  if (reader !== undefined) {
    try {
      const out = Buffer.allocUnsafe(reader.remaining)
      const got = await reader.read(out, 0, out.length)
      if (got !== out.length) throw new FabrikError('STORE_IO', `a blob file ended ${out.length - got} bytes early: the cache entry is damaged`)
      return out
    } finally {
      await reader.close()
    }
  }
  const chunks: Buffer[] = []
  for await (const chunk of result.stream as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
}
