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

export interface Staged extends Ingested {
  /** The whole body, when it fit within the inline limit; undefined when it went to the temp file. */
  data?: Buffer
}

/**
 * Holds the body in memory while it stays within `inlineMax` bytes and spills it to a new temp file as soon as it
 * grows past (inlineMax < 0: every body, even an empty one, goes to the file). `final` fsyncs a spilled file, so
 * `ingest()` only resolves once its bytes are durable and the rename that follows can never publish a file whose
 * contents are still in the page cache only. File-system failures surface as STORE_IO, telling them apart from a
 * client's broken body.
 */
class SpillSink {
  readonly stream: Writable
  private chunks: Buffer[] = []
  private held = 0
  private fh: FileHandle | undefined
  /** The write or final in progress: a failed pipeline must wait for it before closing and removing the file. */
  private busy: Promise<void> = Promise.resolve()

  constructor(private readonly path: string, private readonly inlineMax: number) {
    this.stream = new Writable({
      highWaterMark: 256 * 1024,
      writev: (chunks, cb) => this.track(this.write(chunks.map((c) => c.chunk as Buffer)), cb),
      final: (cb) => this.track(this.finish(), cb),
    })
  }

  get data(): Buffer | undefined {
    if (this.fh) return undefined
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.held)
  }

  private track(op: Promise<void>, cb: (err?: Error | null) => void): void {
    this.busy = op.then(() => cb(), (err: unknown) => cb(err as Error))
  }

  private async write(bufs: Buffer[]): Promise<void> {
    if (this.fh) return this.append(bufs)
    for (const b of bufs) this.held += b.length
    this.chunks.push(...bufs)
    if (this.held > this.inlineMax) await this.spill()
  }

  private async spill(): Promise<void> {
    this.fh = await open(this.path, 'wx').catch((err: unknown) => {
      throw ioError('cannot create a cache temp file', err)
    })
    const held = this.chunks
    this.chunks = []
    await this.append(held)
  }

  private async append(bufs: Buffer[]): Promise<void> {
    await writeAll(this.fh!, bufs).catch((err: unknown) => {
      throw ioError('writing a cache temp file failed', err)
    })
  }

  private async finish(): Promise<void> {
    if (!this.fh && this.held > this.inlineMax) await this.spill()
    await this.fh?.sync().catch((err: unknown) => {
      throw ioError('fsync of a cache temp file failed', err)
    })
  }

  async close(): Promise<void> {
    await this.busy
    await this.fh?.close()
  }
}

/**
 * Streams `body` through ingest() (hashing, size and digest checks) into memory if it ends within `inlineMax`
 * bytes, else into a new fsynced temp file at `path`. On any failure the temp file, if one was made, is removed.
 */
export async function stageBody(
  path: string, body: Readable | Buffer, limits: IngestLimits, inlineMax: number,
): Promise<Staged> {
  const sink = new SpillSink(path, inlineMax)
  try {
    let got: Ingested
    try {
      got = await ingest(body, sink.stream, limits)
    } finally {
      await sink.close()
    }
    const data = sink.data
    return data ? { ...got, data } : got
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
    // The fan-out folder is made by the first blob that lands in it (recovery.ts prepareDirs), or was removed
    // from outside: create it and try once more.
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
