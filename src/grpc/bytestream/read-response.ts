import type * as grpc from '@grpc/grpc-js'
import type { ReadResponse } from '../../generated/google/bytestream/ReadResponse.js'
import { FramedMessage, HEADROOM, bytesTag, sendFramesAsIs, writeVarint } from '../frames.js'
import { MAX_CHUNK } from '../streams.js'

// ReadResponse has one field (`bytes data = 10`), and ByteStream.Read sends hundreds of them per blob. A blob in
// a file goes out in ready-made frames (../frames.ts). Any other ReadResponse (small blobs from memory, zstd
// output) is written behind its tag into a reusable scratch buffer, skipping protobufjs; grpc-js copies it
// synchronously before it serializes the next message.

/** ReadResponse.data: field 10, length-delimited. */
export const READ_DATA_TAG = bytesTag(10)

let scratch: Buffer | undefined // made on the first Read: a daemon that serves none never holds it

/** The wire bytes of `{ data }`; for a plain message a view of a shared buffer, valid until the next call. */
export function serializeReadResponse(message: ReadResponse, fallback: grpc.serialize<ReadResponse>): Buffer {
  if (message instanceof FramedMessage) return message.message
  const data = message.data
  if (typeof data === 'string' || data === undefined) return fallback(message)
  if (data.length === 0) return Buffer.alloc(0) // proto3: an empty bytes field is not written
  const out = data.length <= MAX_CHUNK ? (scratch ??= Buffer.allocUnsafeSlow(MAX_CHUNK + HEADROOM)) : Buffer.allocUnsafe(data.length + HEADROOM)
  out[0] = READ_DATA_TAG
  const at = writeVarint(out, 1, data.length)
  out.set(data, at)
  return out.subarray(0, at + data.length)
}

/** ByteStream's service definition with Read's responses serialized by serializeReadResponse. */
export function withFastReadResponses<T extends grpc.ServiceDefinition>(service: T): T {
  const read = service.Read as grpc.MethodDefinition<unknown, ReadResponse> | undefined
  if (!read) return service
  sendFramesAsIs()
  const fallback = read.responseSerialize
  return { ...service, Read: { ...read, responseSerialize: (m: ReadResponse) => serializeReadResponse(m, fallback) } }
}
