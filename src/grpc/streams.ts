import type * as grpc from '@grpc/grpc-js'
import { FabrikError } from '../errors/registry.js'

/**
 * ByteStream.Read and GetTree send messages of at most this many data bytes. 64 KiB messages halved read
 * throughput (one HTTP/2 drain wait per message, bench:grpc); 256 KiB stays far below the 4 MiB inbound message
 * limit of gRPC clients (grpc-java in Bazel, tonic in Buck2).
 */
export const MAX_CHUNK = 256 * 1024

/** Re-slices a byte stream into pieces of at most `max` bytes without copying. */
export async function* slices(source: AsyncIterable<Buffer | string>, max = MAX_CHUNK): AsyncGenerator<Buffer> {
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw
    for (let at = 0; at < chunk.length; at += max) yield chunk.subarray(at, at + max)
  }
}

/**
 * Writes one message and waits for the stream to drain when its buffer is full, so a slow reader holds back the
 * store instead of the daemon buffering the whole blob. Rejects if the client goes away meanwhile.
 */
export async function send<T>(call: grpc.ServerWritableStream<unknown, T>, message: T): Promise<void> {
  if (call.cancelled || call.destroyed) throw new FabrikError('ABORTED', 'the client cancelled the call')
  if (call.write(message)) return
  await new Promise<void>((resolve, reject) => {
    const drained = () => {
      call.off('close', closed)
      resolve()
    }
    const closed = () => {
      call.off('drain', drained)
      reject(new FabrikError('ABORTED', 'the client cancelled the call'))
    }
    call.once('drain', drained)
    call.once('close', closed)
  })
}
