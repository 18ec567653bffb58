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
  if (Buffer.isBuffer(body)) {
    // A body already in memory (batch uploads, Xcode, the CLI, small HTTP PUTs) is checked before a byte reaches
    // the sink, then written in one piece: no pipeline, whose setup and teardown (an AbortController aborted with
    // a DOMException every time) cost more than the write of a small blob.
    let got: Ingested
    try {
      got = verifyBuffer(body, limits)
    } catch (err) {
      sink.destroy()
      throw err
    }
    sink.end(body)
    await finished(sink)
    return got
  }
  const hash = createHash('sha256')
  let size = 0
  async function* metered(chunks: AsyncIterable<Buffer | string>) {
    for await (const raw of chunks) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw
      size += chunk.length
      checkGrowth(size, limits)
      hash.update(chunk)
      yield chunk
    }
  }
  await pipeline(body, metered, sink, limits.signal ? { signal: limits.signal } : {})
  return checkEnd(size, hash.digest('hex'), limits)
}

/**
 * ingest()'s checks of a body already in memory, without a sink: the caller keeps the Buffer itself (a small put
 * held inline, store/local/blob-file.ts). Throws the same errors ingest() would.
 */
export function verifyBuffer(body: Buffer, limits: IngestLimits = {}): Ingested {
  limits.signal?.throwIfAborted()
  checkGrowth(body.length, limits)
  return checkEnd(body.length, createHash('sha256').update(body).digest('hex'), limits)
}

/** While bytes arrive: not past the declared size, nor past the limit. */
function checkGrowth(size: number, limits: IngestLimits): void {
  if (limits.size !== undefined && size > limits.size) {
    throw new FabrikError('SIZE_MISMATCH', `body is longer than the declared ${limits.size} bytes`)
  }
  if (limits.maxBytes !== undefined && size > limits.maxBytes) {
    throw new FabrikError('BLOB_TOO_LARGE', `blob exceeds the limit of ${limits.maxBytes} bytes`)
  }
}

/** At the end: exactly the declared size, and the expected digest. */
function checkEnd(size: number, sha256: string, limits: IngestLimits): Ingested {
  if (limits.size !== undefined && size !== limits.size) {
    throw new FabrikError('SIZE_MISMATCH', `body has ${size} bytes, ${limits.size} were declared`)
  }
  if (limits.sha256 !== undefined && sha256 !== limits.sha256) {
    throw new FabrikError('DIGEST_MISMATCH', `body hashes to ${sha256}, expected ${limits.sha256}`)
  }
  return { size, sha256 }
}
