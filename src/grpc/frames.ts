import { BaseServerInterceptingCall } from '@grpc/grpc-js/build/src/server-interceptors.js'
import { FabrikError } from '../errors/registry.js'
import type { RangeReader } from '../store/types.js'
import { MAX_CHUNK, type Sender } from './streams.js'

// Server-streamed messages that carry nothing but one `bytes` field — ByteStream's ReadResponse (Bazel downloads
// every output this way) and P2P's GetResponse data parts — are sent hundreds per blob. Generic serialization
// costs two copies of every byte: the message is built in a fresh buffer, then grpc-js copies it once more
// behind its 5-byte length prefix (BaseServerInterceptingCall.serializeMessage, grpc-js 1.14). Those copies and
// their 1 MiB allocations were the daemon's largest JS cost in a Bazel rebuild (bench:grpc, --cpu-prof), and the
// garbage they leave made a peer's next first byte wait for a collection (bench:p2p).
//
// Instead a stored file is read straight into a pooled buffer behind a ready-made gRPC frame (takeFrame), and
// grpc-js is taught to send such a frame as it is (sendFramesAsIs). The frame returns to the pool when grpc-js
// reports the write done, which http2 does once the bytes are on the socket (TLS has encrypted them by then).

const GRPC_PREFIX = 5 // compressed flag + 32-bit big-endian message length
/** Bytes a frame needs besides its data: gRPC prefix + tag + a varint of up to 5 bytes (4 GiB). */
export const HEADROOM = GRPC_PREFIX + 6
const POOLED_FRAMES = 8 // two calls' queued bytes (MAX_QUEUED_BYTES) without allocating
const FRAME_BYTES = MAX_CHUNK + HEADROOM

const pool: Buffer[] = []

/** The tag of a length-delimited field. */
export const bytesTag = (field: number): number => (field << 3) | 2

export function writeVarint(buf: Buffer, at: number, value: number): number {
  while (value > 0x7f) {
    buf[at++] = (value & 0x7f) | 0x80
    value >>>= 7
  }
  buf[at++] = value
  return at
}

/** A message whose gRPC frame is already built around its one bytes field, `data`. */
export class FramedMessage {
  constructor(
    /** gRPC length prefix, protobuf tag and length, then `data`. */
    readonly frame: Buffer,
    /** Where the message's bytes go; the caller fills it before sending. */
    readonly data: Buffer,
    private readonly backing: Buffer,
  ) {}

  /** The message without its gRPC prefix: what a serializer returns when grpc-js frames it. */
  get message(): Buffer {
    return this.frame.subarray(GRPC_PREFIX)
  }

  /** Back to the pool; only once grpc-js has written the frame (or never will). */
  release(): void {
    if (this.backing.length === FRAME_BYTES && pool.length < POOLED_FRAMES) pool.push(this.backing)
  }
}

/** A frame for a message of `n` data bytes (1 ≤ n ≤ MAX_CHUNK) in the field with `tag`, data not yet filled in. */
export function takeFrame(n: number, tag: number): FramedMessage {
  const backing = pool.pop() ?? Buffer.allocUnsafeSlow(FRAME_BYTES)
  backing[GRPC_PREFIX] = tag
  const at = writeVarint(backing, GRPC_PREFIX + 1, n)
  backing[0] = 0 // not compressed: grpc-js never compresses server messages
  backing.writeUInt32BE(at - GRPC_PREFIX + n, 1)
  return new FramedMessage(backing.subarray(0, at + n), backing.subarray(at, at + n), backing)
}

let framesAsIs: boolean | undefined

/**
 * Makes grpc-js send a FramedMessage's frame without serializing and copying it. Idempotent. Returns false, and
 * changes nothing, if this grpc-js has no such method: the frames then go through the method's serializer
 * (which must return `message`), slower but the same bytes. test/unit/grpc/read-response.test.ts fails in that
 * case, so a grpc-js upgrade cannot lose the fast path unnoticed.
 */
export function sendFramesAsIs(): boolean {
  if (framesAsIs !== undefined) return framesAsIs
  const proto = BaseServerInterceptingCall?.prototype as unknown as { serializeMessage?: (value: unknown) => Buffer } | undefined
  const original = proto?.serializeMessage
  if (!proto || typeof original !== 'function') return (framesAsIs = false)
  proto.serializeMessage = function serializeMessage(this: unknown, value: unknown): Buffer {
    return value instanceof FramedMessage ? value.frame : original.call(this, value)
  }
  return (framesAsIs = true)
}

/**
 * Reads the next `n` bytes (1 ≤ n ≤ MAX_CHUNK) of a stored file into a pooled frame of the field with `tag`.
 * Started before an earlier message is written, the read overlaps that write.
 */
export async function readFrame(reader: RangeReader, n: number, tag: number): Promise<FramedMessage> {
  const message = takeFrame(n, tag)
  return filled(message, n, reader, await reader.read(message.data, 0, n).catch((err: unknown) => {
    message.release()
    throw err
  }))
}

/** readFrame done at once on this thread (RangeReader.readNow), or undefined if the reader cannot. */
export function readFrameNow(reader: RangeReader, n: number, tag: number): FramedMessage | undefined {
  if (!reader.readNow) return undefined
  const message = takeFrame(n, tag)
  let read: number
  try {
    read = reader.readNow(message.data, 0, n)
  } catch (err) {
    message.release()
    throw err
  }
  return filled(message, n, reader, read)
}

function filled(message: FramedMessage, n: number, reader: RangeReader, read: number): FramedMessage {
  if (read === n) return message
  message.release()
  throw new FabrikError('STORE_IO', `a blob file ended ${reader.remaining} bytes early: the cache entry is damaged`)
}

/**
 * Sends what is left of a stored file as messages of the field with `tag`: `first` if given (a frame read
 * already), or else a first message of at most `first` bytes (a reader waiting for its first byte gets it
 * sooner), then MAX_CHUNK each, telling `sent` about each one handed to grpc-js. The caller closes the reader.
 */
export async function sendReader(sender: Sender<unknown>, reader: RangeReader, tag: number, sent: (bytes: number) => void, first: number | FramedMessage = MAX_CHUNK): Promise<void> {
  let size = MAX_CHUNK
  if (first instanceof FramedMessage) await sendFrame(sender, first, sent)
  else size = first
  for (; reader.remaining > 0; size = MAX_CHUNK) await sendFrame(sender, await readFrame(reader, Math.min(size, reader.remaining), tag), sent)
}

async function sendFrame(sender: Sender<unknown>, message: FramedMessage, sent: (bytes: number) => void): Promise<void> {
  const n = message.data.length
  await sender.send(message, n, () => message.release())
  sent(n)
}
