import type * as grpc from '@grpc/grpc-js'
import { FabrikError } from '../errors/registry.js'

/**
 * ByteStream.Read sends messages of at most this many data bytes. 64 KiB messages halved read throughput (one
 * HTTP/2 drain wait per message); 1 MiB ones (the store's file read size) cut Bazel's full-hit rebuild further
 * than 256 KiB ones did (fewer messages for grpc-java to deframe and hand to Bazel's download thread, bench:grpc),
 * and stay far below the 4 MiB inbound message limit of gRPC clients (grpc-java in Bazel, tonic in Buck2).
 */
export const MAX_CHUNK = 1024 * 1024

/** Bytes of Read messages one call may have written but grpc-js not yet sent: a slow reader holds back the store. */
export const MAX_QUEUED_BYTES = 4 * MAX_CHUNK

/** Re-slices a byte stream into pieces of at most `max` bytes without copying. */
export async function* slices(source: AsyncIterable<Buffer | string> | Iterable<Buffer>, max = MAX_CHUNK): AsyncGenerator<Buffer> {
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw
    for (let at = 0; at < chunk.length; at += max) yield chunk.subarray(at, at + max)
  }
}

const cancelled = () => new FabrikError('ABORTED', 'the client cancelled the call')

/**
 * Sends messages of one server-streaming call while at most `maxQueued` bytes wait in grpc-js and HTTP/2 for the
 * client's flow-control window. The objectMode stream grpc-js hands out counts messages, not bytes (16 before
 * write() says "full"), so with 1 MiB messages its own backpressure would let 16 MiB pile up per call; here each
 * write's completion callback gives the bytes back.
 */
export class Sender<T> {
  private queued = 0
  private wake: (() => void) | undefined

  constructor(
    private readonly call: grpc.ServerWritableStream<unknown, T>,
    private readonly maxQueued = MAX_QUEUED_BYTES,
  ) {}

  /** `written` runs once grpc-js has written the message; never if the call fails first. */
  async send(message: T, bytes: number, written?: () => void): Promise<void> {
    const call = this.call
    if (call.cancelled || call.destroyed) throw cancelled()
    this.queued += bytes
    call.write(message, () => {
      written?.()
      this.queued -= bytes
      if (this.wake && this.queued < this.maxQueued) this.wake()
    })
    if (this.queued < this.maxQueued) return
    await new Promise<void>((resolve, reject) => {
      // A cancelled call never completes its writes: 'close' ends the wait instead.
      const closed = () => {
        this.wake = undefined
        reject(cancelled())
      }
      this.wake = () => {
        this.wake = undefined
        call.off('close', closed)
        resolve()
      }
      call.once('close', closed)
    })
  }
}

/**
 * Writes one message and waits for the stream to drain when its buffer is full, so a slow reader holds back the
 * store instead of the daemon buffering the whole blob. Rejects if the client goes away meanwhile.
 */
export async function send<T>(call: grpc.ServerWritableStream<unknown, T>, message: T): Promise<void> {
  if (call.cancelled || call.destroyed) throw cancelled()
  if (call.write(message)) return
  await new Promise<void>((resolve, reject) => {
    const drained = () => {
      call.off('close', closed)
      resolve()
    }
    const closed = () => {
      call.off('drain', drained)
      reject(cancelled())
    }
    call.once('drain', drained)
    call.once('close', closed)
  })
}
