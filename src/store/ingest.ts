import { createHash } from 'node:crypto'
import type { Readable, Writable } from 'node:stream'
import { finished, pipeline } from 'node:stream/promises'
import { FabrikError } from '../errors/registry.js'

export interface IngestLimits {
  /** Declared length; checked as bytes arrive and at the end. */
  size?: number
  /** Expected SHA-256; checked at the end. */
  sha256?: string
  /** Refuse the body as soon as it grows past this many bytes. */
  maxBytes?: number
  signal?: AbortSignal
}

export interface Ingested {
  size: number
  sha256: string
}

/**
 * Streams `body` into `sink` while hashing and counting, enforcing the declared size, the size limit and the
 * expected digest. Throws a FabrikError on any violation; the caller then discards whatever the sink received.
 * Every store shares this so "verified before stored" means the same thing in every layer.
 */
export async function ingest(body: Readable | Buffer, sink: Writable, limits: IngestLimits = {}): Promise<Ingested> {
  const hash = createHash('sha256')
  let size = 0
  const meter = (chunk: Buffer): Buffer => {
    size += chunk.length
    if (limits.size !== undefined && size > limits.size) {
      throw new FabrikError('SIZE_MISMATCH', `body is longer than the declared ${limits.size} bytes`)
    }
    if (limits.maxBytes !== undefined && size > limits.maxBytes) {
      throw new FabrikError('BLOB_TOO_LARGE', `blob exceeds the limit of ${limits.maxBytes} bytes`)
    }
    hash.update(chunk)
    return chunk
  }
  if (Buffer.isBuffer(body)) {
    // A body already in memory (batch uploads, Xcode, the CLI) is checked before a byte reaches the sink, then
    // written in one piece: no pipeline, whose setup and teardown (an AbortController aborted with a
    // DOMException every time) cost more than the write of a small blob.
    try {
      limits.signal?.throwIfAborted()
      meter(body)
    } catch (err) {
      sink.destroy()
      throw err
    }
    sink.end(body)
    await finished(sink)
  } else {
    async function* metered(chunks: AsyncIterable<Buffer | string>) {
      for await (const raw of chunks) yield meter(typeof raw === 'string' ? Buffer.from(raw) : raw)
    }
    await pipeline(body, metered, sink, limits.signal ? { signal: limits.signal } : {})
  }
  if (limits.size !== undefined && size !== limits.size) {
    throw new FabrikError('SIZE_MISMATCH', `body has ${size} bytes, ${limits.size} were declared`)
  }
  const sha256 = hash.digest('hex')
  if (limits.sha256 !== undefined && sha256 !== limits.sha256) {
    throw new FabrikError('DIGEST_MISMATCH', `body hashes to ${sha256}, expected ${limits.sha256}`)
  }
  return { size, sha256 }
}
