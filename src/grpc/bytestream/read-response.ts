import type * as grpc from '@grpc/grpc-js'
import { BaseServerInterceptingCall } from '@grpc/grpc-js/build/src/server-interceptors.js'
import type { ReadResponse } from '../../generated/google/bytestream/ReadResponse.js'
import { MAX_CHUNK } from '../streams.js'

// ReadResponse has one field (`bytes data = 10`), and ByteStream.Read sends hundreds of them per blob (Bazel
// downloads every output this way). Generic serialization costs two copies of every byte: protobufjs builds the
// message in a fresh buffer, then grpc-js copies it once more behind its 5-byte length prefix
// (BaseServerInterceptingCall.serializeMessage, grpc-js 1.14). Those copies and their 1 MiB allocations were the
// daemon's largest JS cost in a Bazel rebuild (bench:grpc, --cpu-prof).
//
// Two ways around them:
//  - A blob in a file is read straight into a pooled buffer behind a ready-made gRPC frame (takeFrame), and
//    grpc-js is taught to send such a frame as it is (sendFramesAsIs). The frame returns to the pool when grpc-js
//    reports the write done, which http2 does once the bytes are on the socket.
//  - Any other ReadResponse (small blobs from memory, zstd output) is written behind its tag into a reusable
//    scratch buffer; grpc-js copies it synchronously before it serializes the next message.

const TAG = (10 << 3) | 2 // field 10 (`data`), wire type 2 (length-delimited)
const GRPC_PREFIX = 5 // compressed flag + 32-bit big-endian message length
const HEADROOM = GRPC_PREFIX + 6 // + tag + a varint of up to 5 bytes (4 GiB)
const POOLED_FRAMES = 8 // two Reads' queued bytes (MAX_QUEUED_BYTES) without allocating
const FRAME_BYTES = MAX_CHUNK + HEADROOM

let scratch: Buffer | undefined // made on the first Read: a daemon that serves none never holds it
const pool: Buffer[] = []

function writeVarint(buf: Buffer, at: number, value: number): number {
  while (value > 0x7f) {
    buf[at++] = (value & 0x7f) | 0x80
    value >>>= 7
  }
  buf[at++] = value
  return at
}

/** A ReadResponse whose gRPC frame is already built around its data. */
export class FramedReadResponse implements ReadResponse {
  constructor(
    /** gRPC length prefix, protobuf tag and length, then `data`. */
    readonly frame: Buffer,
    /** Where the message's bytes go; the caller fills it before sending. */
    readonly data: Buffer,
    private readonly backing: Buffer,
  ) {}

  /** Back to the pool; only once grpc-js has written the frame (or never will). */
  release(): void {
    if (this.backing.length === FRAME_BYTES && pool.length < POOLED_FRAMES) pool.push(this.backing)
  }
}

/** A frame for a ReadResponse of `n` data bytes (1 ≤ n ≤ MAX_CHUNK), its data not yet filled in. */
export function takeFrame(n: number): FramedReadResponse {
  const backing = pool.pop() ?? Buffer.allocUnsafeSlow(FRAME_BYTES)
  backing[GRPC_PREFIX] = TAG
  const at = writeVarint(backing, GRPC_PREFIX + 1, n)
  backing[0] = 0 // not compressed: grpc-js never compresses server messages
  backing.writeUInt32BE(at - GRPC_PREFIX + n, 1)
  return new FramedReadResponse(backing.subarray(0, at + n), backing.subarray(at, at + n), backing)
}

let framesAsIs: boolean | undefined

/**
 * Makes grpc-js send a FramedReadResponse's frame without serializing and copying it. Idempotent. Returns false,
 * and changes nothing, if this grpc-js has no such method: the frames are then copied like any message
 * (serializeReadResponse), slower but the same bytes. test/unit/grpc/read-response.test.ts fails in that case, so a
 * grpc-js upgrade cannot lose the fast path unnoticed.
 */
export function sendFramesAsIs(): boolean {
  if (framesAsIs !== undefined) return framesAsIs
  const proto = BaseServerInterceptingCall?.prototype as unknown as { serializeMessage?: (value: unknown) => Buffer } | undefined
  const original = proto?.serializeMessage
  if (!proto || typeof original !== 'function') return (framesAsIs = false)
  proto.serializeMessage = function serializeMessage(this: unknown, value: unknown): Buffer {
    return value instanceof FramedReadResponse ? value.frame : original.call(this, value)
  }
  return (framesAsIs = true)
}

/** The wire bytes of `{ data }`; for a plain message a view of a shared buffer, valid until the next call. */
export function serializeReadResponse(message: ReadResponse, fallback: grpc.serialize<ReadResponse>): Buffer {
  if (message instanceof FramedReadResponse) return message.frame.subarray(GRPC_PREFIX)
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
  sendFramesAsIs()
  const fallback = read.responseSerialize
  return { ...service, Read: { ...read, responseSerialize: (m: ReadResponse) => serializeReadResponse(m, fallback) } }
}
