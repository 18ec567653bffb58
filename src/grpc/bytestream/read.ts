import type * as grpc from '@grpc/grpc-js'
import { Readable } from 'node:stream'
import { FabrikError } from '../../errors/registry.js'
import type { ReadRequest__Output } from '../../generated/google/bytestream/ReadRequest.js'
import type { ReadResponse } from '../../generated/google/bytestream/ReadResponse.js'
import { NS, type GrpcContext } from '../context.js'
import { isEmptyBlob, parseSize } from '../digest.js'
import { serverStream, type Tally } from '../observe.js'
import type { RangeReader } from '../../store/types.js'
import { MAX_CHUNK, Sender, send, slices } from '../streams.js'
import { zstdCompressBuffer, zstdEncode } from '../zstd.js'
import { sendReader } from '../frames.js'
import { READ_DATA_TAG } from './read-response.js'
import { parseReadResource } from './resource-name.js'

// ByteStream.Read: Bazel downloads every CAS blob this way (Pants too). The blob streams from the store in
// messages of at most MAX_CHUNK (1 MiB), waiting for the client whenever MAX_QUEUED_BYTES are not yet sent, so a
// large blob is never whole in memory. A blob in a file is read straight into ready-made gRPC frames
// (read-response.ts). read_offset/read_limit map to the store's offset/length.
//
// compressed-blobs/zstd: per REAPI, read_offset is an offset into the *uncompressed* blob and read_limit must be
// zero; the selected range is compressed on the fly.

export function read(ctx: GrpcContext) {
  return serverStream<ReadRequest__Output, ReadResponse>(ctx, 'bytestream', 'Read', async (call, tally) => {
    const req = call.request
    const res = parseReadResource(req.resource_name)
    tally.key = res.hash
    const offset = parseSize(req.read_offset, 'read_offset')
    const limit = parseSize(req.read_limit, 'read_limit')
    if (offset > res.size) {
      throw new FabrikError('OUT_OF_RANGE', `read_offset ${offset} is past the end of the ${res.size}-byte blob`)
    }
    if (res.compressor === 'zstd' && limit !== 0) {
      throw new FabrikError('INVALID_REQUEST', 'read_limit must be 0 when reading compressed-blobs')
    }

    if (isEmptyBlob(res)) {
      tally.outcome = 'hit'
      if (res.compressor === 'zstd') await send(call, { data: zstdCompressBuffer(Buffer.alloc(0)) })
      return
    }
    const got = await ctx.store.get(NS.cas, res.hash, { offset, ...(limit > 0 ? { length: limit } : {}) })
    // The size is part of the digest: a blob stored under this hash with another size is not the one asked for.
    if (!got || got.size !== res.size) {
      got?.stream.destroy()
      throw new FabrikError('NOT_FOUND', `blob ${res.hash}/${res.size} is not in the cache`)
    }
    tally.outcome = 'hit'
    // Small blobs come from the index in memory (BufferedResult): one message, no stream to build and tear down.
    if (got.data !== undefined && res.compressor === 'identity' && got.data.length <= MAX_CHUNK) {
      if (got.data.length > 0) await send(call, { data: got.data })
      tally.bytesOut += got.data.length
      return
    }
    if (res.compressor === 'identity' && got.reader) {
      await sendFile(call, got.reader, tally)
      return
    }
    const source: Readable = res.compressor === 'zstd' ? zstdEncode(got.stream) : got.stream
    const sender = new Sender(call)
    try {
      for await (const piece of slices(source)) {
        await sender.send({ data: piece }, piece.length)
        tally.bytesOut += piece.length
      }
    } finally {
      if (!source.destroyed) source.destroy()
      if (!got.stream.destroyed) got.stream.destroy()
    }
  })
}

/** Reads a stored file chunk by chunk into pooled frames that grpc-js sends as they are. */
async function sendFile(call: grpc.ServerWritableStream<ReadRequest__Output, ReadResponse>, reader: RangeReader, tally: Tally): Promise<void> {
  try {
    await sendReader(new Sender(call), reader, READ_DATA_TAG, (n) => (tally.bytesOut += n))
  } finally {
    await reader.close()
  }
}
