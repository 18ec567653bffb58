import type * as grpc from '@grpc/grpc-js'
import type { ReadResponse } from '../../generated/google/bytestream/ReadResponse.js'
import { MAX_CHUNK } from '../streams.js'

// ReadResponse has one field (`bytes data = 10`), and ByteStream.Read sends hundreds of them per blob (Bazel
// downloads every output this way). The generic protobufjs serializer allocated a fresh buffer per message and
// grpc-js then copies it once more into its own framed buffer: twice the blob in short-lived off-heap memory,
// and the daemon's largest JS cost in a Bazel rebuild after GC (bench:grpc, --cpu-prof). This one writes the tag
// and length into a reusable scratch buffer and copies the data behind them; grpc-js copies the result
// synchronously in serializeMessage (grpc-js 1.14, server-interceptors.js) before it calls serialize again, so
// the scratch bytes are never read after the next call.

const TAG = (10 << 3) | 2 // field 10 (`data`), wire type 2 (length-delimited)
const HEADROOM = 6 // tag + a varint of up to 5 bytes (4 GiB)
let scratch: Buffer | undefined // made on the first Read: a daemon that serves none never holds it

function writeVarint(buf: Buffer, at: number, value: number): number {
  while (value > 0x7f) {
    buf[at++] = (value & 0x7f) | 0x80
    value >>>= 7
  }
  buf[at++] = value
  return at
}

/** The wire bytes of `{ data }`; view of a shared buffer, valid until the next call. */
export function serializeReadResponse(message: ReadResponse, fallback: grpc.serialize<ReadResponse>): Buffer {
  const data = message.data
  if (typeof data === 'string' || data === undefined) return fallback(message)
  if (data.length === 0) return Buffer.alloc(0) // proto3: an empty bytes field is not written
  const out = data.length <= MAX_CHUNK ? (scratch ??= Buffer.allocUnsafeSlow(MAX_CHUNK + HEADROOM)) : Buffer.allocUnsafe(data.length + HEADROOM)
  out[0] = TAG
  const at = writeVarint(out, 1, data.length)
  out.set(data, at)
  return out.subarray(0, at + data.length)
}

/** ByteStream's service definition with Read's responses serialized by serializeReadResponse. */
export function withFastReadResponses<T extends grpc.ServiceDefinition>(service: T): T {
  const read = service.Read as grpc.MethodDefinition<unknown, ReadResponse> | undefined
  if (!read) return service
  const fallback = read.responseSerialize
  return { ...service, Read: { ...read, responseSerialize: (m: ReadResponse) => serializeReadResponse(m, fallback) } }
}
