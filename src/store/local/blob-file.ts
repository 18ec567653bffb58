import type { FileHandle } from 'node:fs/promises'
import { mkdir, open, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Writable, type Readable } from 'node:stream'
import { writeFully } from '../../io/write-fully.js'
import { ingest, verifyBuffer, type IngestLimits, type Ingested } from '../ingest.js'
import { ioError } from './errors.js'
import { DIR_MODE, FILE_MODE } from './paths.js'

export interface Staged extends Ingested {
  /** The whole body, when it fit within the inline limit; undefined when it went to the temp file. */
  data?: Buffer
}

/**
 * A spilled body is written in batches of at least this many bytes. Clients send small messages (Bazel's
 * ByteStream uploads are 16 KiB chunks); one file-system call per chunk meant a libuv threadpool hand-off and two
 * thread wake-ups per 16 KiB, which on two busy cores cost more than the copy itself.
 */
const WRITE_BATCH_BYTES = 256 * 1024

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
  /** Bytes handed to the file so far. */
  private written = 0
  /** The write or final in progress: a failed pipeline must wait for it before closing and removing the file. */
  private busy: Promise<void> = Promise.resolve()

  constructor(
    private readonly path: string,
    private readonly inlineMax: number,
    /** Called with the total a write is about to bring the file to, before it is written (space reservation). */
    private readonly reserve?: (total: number) => Promise<void>,
  ) {
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
    for (const b of bufs) this.held += b.length
    this.chunks.push(...bufs)
    if (this.fh) {
      if (this.held >= WRITE_BATCH_BYTES) await this.flush()
    } else if (this.held > this.inlineMax) {
      await this.spill()
    }
  }

  private async spill(): Promise<void> {
    this.fh = await open(this.path, 'wx', FILE_MODE).catch((err: unknown) => {
      throw ioError('cannot create a cache temp file', err)
    })
    await this.flush()
  }

  /** Writes what is held to the file in one writev. */
  private async flush(): Promise<void> {
    const held = this.chunks
    const bytes = this.held
    this.chunks = []
    this.held = 0
    if (held.length === 0) return
    this.written += bytes
    await this.reserve?.(this.written)
    await this.append(held)
  }

  private async append(bufs: Buffer[]): Promise<void> {
    await writeFully(this.fh!, bufs).catch((err: unknown) => {
      throw ioError('writing a cache temp file failed', err)
    })
  }

  private async finish(): Promise<void> {
    if (!this.fh && this.held > this.inlineMax) await this.spill()
    if (this.fh) await this.flush()
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
  path: string, body: Readable | Buffer, limits: IngestLimits, inlineMax: number, reserve?: (total: number) => Promise<void>,
): Promise<Staged> {
  // A small body already in memory stays the Buffer it is: the sink's Writable, its callbacks and finished() cost
  // more than hashing 1 KiB (bench:http PUT 1 KiB, --cpu-prof).
  if (Buffer.isBuffer(body) && body.length <= inlineMax) return { ...verifyBuffer(body, limits), data: body }
  const sink = new SpillSink(path, inlineMax, reserve)
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
    await mkdir(dirname(dest), { recursive: true, mode: DIR_MODE })
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
