import { createHash, randomBytes, randomUUID } from 'node:crypto'
import * as grpc from '@grpc/grpc-js'
import type { ByteStreamClient } from '../src/generated/google/bytestream/ByteStream.js'
import type { WriteRequest } from '../src/generated/google/bytestream/WriteRequest.js'
import { loadProtos } from '../src/grpc/protos.js'
import { writeRequests } from '../test/unit/grpc/helpers.js'

// The ByteStream side of the gRPC benchmark: a generated client built the way the gRPC tests build theirs, Writes
// chunked like Bazel's (64 KiB messages, `uploads/{uuid}/blobs/{hash}/{size}`), Reads that count and optionally
// hash what arrives, and a deterministic byte generator so a 1 GiB blob never sits whole in any process.

export const CHUNK = 64 * 1024
/** Seed of the 1 GiB blob; the reference server regenerates it from this instead of keeping it. */
export const BIG_SEED = 0x5eed

export interface Blob {
  hash: string
  size: number
  /** Yields the blob's bytes; may be called more than once and yields the same bytes every time. */
  chunks(): Iterable<Buffer>
}

export function byteStreamClient(address: string): ByteStreamClient {
  return new (loadProtos().google.bytestream.ByteStream)(address, grpc.credentials.createInsecure())
}

/** A blob held in memory (the 1 MiB and 64 MiB cases), random so it is distinct from every earlier one. */
export function randomBlob(size: number): Blob {
  const data = randomBytes(size)
  const hash = createHash('sha256').update(data).digest('hex')
  return {
    hash,
    size,
    *chunks() {
      for (let at = 0; at < size; at += CHUNK) yield data.subarray(at, Math.min(size, at + CHUNK))
    },
  }
}

/**
 * `size` bytes made from a fixed 1 MiB random block, each 64 KiB chunk stamped with its index so no two chunks are
 * equal. Every chunk is a fresh buffer: grpc-js may still hold the previous one while the next is built.
 */
export function generatedChunks(size: number, seed: number): () => Iterable<Buffer> {
  const base = Buffer.alloc(1024 * 1024)
  let x = seed >>> 0 || 1
  for (let i = 0; i < base.length; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    base.writeUInt32LE(x >>> 0, i)
  }
  const perBase = base.length / CHUNK
  return function* () {
    for (let i = 0, at = 0; at < size; i++, at += CHUNK) {
      const n = Math.min(CHUNK, size - at)
      const from = (i % perBase) * CHUNK
      const chunk = Buffer.from(base.subarray(from, from + n))
      if (n >= 8) chunk.writeBigUInt64LE(BigInt(i), 0)
      yield chunk
    }
  }
}

/** A generated blob; its digest costs one pass over the generator, done here, before anything is timed. */
export function generatedBlob(size: number, seed: number): Blob {
  const chunks = generatedChunks(size, seed)
  const h = createHash('sha256')
  for (const c of chunks()) h.update(c)
  return { hash: h.digest('hex'), size, chunks }
}

function* requestsFor(blob: Blob): Generator<WriteRequest> {
  const name = `uploads/${randomUUID()}/blobs/${blob.hash}/${blob.size}`
  let offset = 0
  let first = true
  for (const data of blob.chunks()) {
    const end = offset + data.length
    yield { resource_name: first ? name : '', write_offset: String(offset), data, finish_write: end === blob.size }
    first = false
    offset = end
  }
}

export async function writeBlob(bs: ByteStreamClient, blob: Blob): Promise<void> {
  const res = await writeRequests(bs, requestsFor(blob))
  if (Number(res.committed_size) !== blob.size) throw new Error(`Write of ${blob.hash} committed ${res.committed_size} of ${blob.size} bytes`)
}

/** Reads a whole blob; checks its size always and its SHA-256 when `verify` (hashing costs client CPU). */
export function readBlob(bs: ByteStreamClient, blob: Blob, verify = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const h = verify ? createHash('sha256') : undefined
    let n = 0
    const call = bs.Read({ resource_name: `blobs/${blob.hash}/${blob.size}`, read_offset: '0', read_limit: '0' })
    call.on('data', (m: { data: Buffer }) => {
      n += m.data.length
      h?.update(m.data)
    })
    call.on('error', reject)
    call.on('end', () => {
      if (n !== blob.size) reject(new Error(`Read of ${blob.hash} returned ${n} of ${blob.size} bytes`))
      else if (h && h.digest('hex') !== blob.hash) reject(new Error(`Read of ${blob.hash} returned other bytes`))
      else resolve()
    })
  })
}

/** MiB/s for writing (or reading) all `blobs` one after the other, as one timed pass. */
export async function throughput(blobs: Blob[], op: (b: Blob) => Promise<void>): Promise<number> {
  const t0 = performance.now()
  for (const b of blobs) await op(b)
  const seconds = (performance.now() - t0) / 1000
  const bytes = blobs.reduce((s, b) => s + b.size, 0)
  return bytes / (1024 * 1024) / seconds
}
