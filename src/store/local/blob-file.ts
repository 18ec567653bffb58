import type { FileHandle } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { FabrikError } from '../../errors/registry.js'

function ioError(what: string, err: unknown): FabrikError {
  return new FabrikError('STORE_IO', `${what}: ${(err as Error).message}`, { cause: err })
}

async function writeAll(fh: FileHandle, buffers: Buffer[]): Promise<void> {
  let bufs = buffers
  // writev may write less than asked (libuv caps the iovec count); continue from where it stopped.
  while (bufs.length > 0) {
    const { bytesWritten } = await fh.writev(bufs)
    let skip = bytesWritten
    const rest: Buffer[] = []
    for (const b of bufs) {
      if (skip >= b.length) skip -= b.length
      else {
        rest.push(skip > 0 ? b.subarray(skip) : b)
        skip = 0
      }
    }
    bufs = rest
  }
}

/**
 * A sink over an open temp file whose `final` fsyncs, so `ingest()` only resolves once the bytes are durable and
 * the rename that follows can never publish a file whose contents are still in the page cache only.
 * File-system failures surface as STORE_IO, telling them apart from a client's broken body.
 */
export function tempFileSink(fh: FileHandle): Writable {
  return new Writable({
    highWaterMark: 256 * 1024,
    writev(chunks, cb) {
      writeAll(fh, chunks.map((c) => c.chunk as Buffer)).then(
        () => cb(),
        (err: unknown) => cb(ioError('writing a cache temp file failed', err)),
      )
    },
    final(cb) {
      fh.sync().then(
        () => cb(),
        (err: unknown) => cb(ioError('fsync of a cache temp file failed', err)),
      )
    },
  })
}

/** A sink that discards: used to consume the body of a duplicate content-addressed put while still verifying it. */
export function nullSink(): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb()
    },
  })
}

export { ioError }
