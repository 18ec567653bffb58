import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { FabrikError } from '../../errors/registry.js'

// How Xcode CAS objects are stored and named. The service chooses the IDs (LLVM RemoteCachingService leaves that
// to the server; the client learns their length from Save("")). Fabrik stores each object as one entry:
//
//   u32be(number of references) · for each reference: u32be(length) · reference id bytes · the blob's data
//
// and its ID is the SHA-256 of exactly those bytes (32 bytes). So the ID is a hash of the serialized object —
// blob and references — equal objects get equal IDs, Save(x) and Put({blob: x, references: []}) agree, and the
// store verifies every write against the ID like any content-addressed blob (key = hex ID).

export const ID_BYTES = 32

export function header(references: Buffer[]): Buffer {
  const parts = [u32(references.length)]
  for (const r of references) parts.push(u32(r.length), r)
  return Buffer.concat(parts)
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}

/** SHA-256 of header + data, where data is bytes in memory or a file read once for hashing. */
export async function objectId(head: Buffer, data: Buffer | { path: string }): Promise<{ id: Buffer; dataSize: number }> {
  const hash = createHash('sha256').update(head)
  if (Buffer.isBuffer(data)) {
    hash.update(data)
    return { id: hash.digest(), dataSize: data.length }
  }
  let dataSize = 0
  for await (const chunk of createReadStream(data.path)) {
    dataSize += (chunk as Buffer).length
    hash.update(chunk as Buffer)
  }
  return { id: hash.digest(), dataSize }
}

export function validateId(id: Buffer): string {
  if (id.length !== ID_BYTES) throw new FabrikError('INVALID_REQUEST', `a CAS id has ${ID_BYTES} bytes, this one has ${id.length}`)
  return id.toString('hex')
}

export interface StoredObject {
  references: Buffer[]
  /** The blob's data: what is left of the stored entry after the header. */
  data: AsyncGenerator<Buffer>
}

/** Splits a stored entry back into its references and a stream of its data, reading only the header ahead. */
export async function parseObject(stream: Readable): Promise<StoredObject> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  let buf = Buffer.alloc(0)
  async function need(n: number): Promise<void> {
    while (buf.length < n) {
      const next = await it.next()
      if (next.done) throw new FabrikError('INVALID_REQUEST', 'stored CAS object is truncated')
      buf = Buffer.concat([buf, next.value])
    }
  }
  await need(4)
  const count = buf.readUInt32BE(0)
  let at = 4
  const references: Buffer[] = []
  for (let i = 0; i < count; i++) {
    await need(at + 4)
    const len = buf.readUInt32BE(at)
    await need(at + 4 + len)
    references.push(Buffer.from(buf.subarray(at + 4, at + 4 + len)))
    at += 4 + len
  }
  const leftover = buf.subarray(at)
  async function* data(): AsyncGenerator<Buffer> {
    try {
      if (leftover.length > 0) yield leftover
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value
    } finally {
      stream.destroy()
    }
  }
  return { references, data: data() }
}
