import type { FileHandle } from 'node:fs/promises'
import { mkdir, open, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Writable, type Readable } from 'node:stream'
import { ingest, type IngestLimits, type Ingested } from '../ingest.js'
import { ioError } from './errors.js'

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
function tempFileSink(fh: FileHandle): Writable {
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

/** Streams `body` into a new temp file at `path`, verified by ingest() and fsynced; on any failure removes it. */
export async function writeTemp(path: string, body: Readable | Buffer, limits: IngestLimits): Promise<Ingested> {
  const fh = await open(path, 'wx').catch((err: unknown) => {
    throw ioError('cannot create a cache temp file', err)
  })
  try {
    try {
      return await ingest(body, tempFileSink(fh), limits)
    } finally {
      await fh.close()
    }
  } catch (err) {
    await unlink(path).catch(() => undefined)
    throw err
  }
}

/** Atomically moves a complete temp file to its place under blobs/. */
export async function publish(tmp: string, dest: string): Promise<void> {
  try {
    await rename(tmp, dest)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('cannot move a blob into the cache', err)
    // The fan-out folder was removed from outside; recreate it once.
    await mkdir(dirname(dest), { recursive: true })
    await rename(tmp, dest).catch((e: unknown) => {
      throw ioError('cannot move a blob into the cache', e)
    })
  }
}

/** A sink that discards: used to consume the body of a duplicate content-addressed put while still verifying it. */
export function nullSink(): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb()
    },
  })
}
