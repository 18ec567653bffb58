import { close, createReadStream, read, readSync } from 'node:fs'
import { promisify } from 'node:util'
import { Readable, addAbortSignal } from 'node:stream'
import type { EntryStat, GetResult, RangeReader } from '../types.js'
import { mapError } from './errors.js'

/** Read size of `stream`: with the 64 KiB default, ByteStream.Read of large blobs ran at half speed (bench:grpc). */
const STREAM_READ_BYTES = 1024 * 1024

const readAt = promisify(read)

/**
 * Bytes [position, end) of an open blob file, read in order into the caller's buffers. A plain descriptor, not a
 * FileHandle: the store opens blob files synchronously (store.ts get), and a FileHandle can only come from the
 * asynchronous open. Whoever ends up holding it (this reader, or the stream made from it) closes it.
 */
class FileRangeReader implements RangeReader {
  /** Set once the descriptor is closed or handed to a stream: no more reads through here. */
  done = false

  constructor(readonly fd: number, public position: number, readonly end: number, private readonly signal?: AbortSignal) {}

  get remaining(): number {
    return this.end - this.position
  }

  async read(into: Buffer, at: number, length: number): Promise<number> {
    const want = this.want(length)
    let got = 0
    try {
      while (got < want) {
        const { bytesRead } = await readAt(this.fd, into, at + got, want - got, this.position)
        if (bytesRead === 0) break // the file is shorter than its entry: the caller sees the short count
        got += bytesRead
        this.position += bytesRead
      }
    } catch (err) {
      throw mapError(err)
    }
    return got
  }

  /** One read at once: a regular file reads short only at its end, which the caller sees as a short count. */
  readNow(into: Buffer, at: number, length: number): number {
    const want = this.want(length)
    try {
      const got = readSync(this.fd, into, at, want, this.position)
      this.position += got
      return got
    } catch (err) {
      throw mapError(err)
    }
  }

  /** How much of `length` a read may take; throws once the handle is gone or the caller gave up. */
  private want(length: number): number {
    if (this.done) throw new Error('FileResult: read after the result was closed or streamed')
    try {
      this.signal?.throwIfAborted()
    } catch (err) {
      throw mapError(err)
    }
    return Math.min(length, this.remaining)
  }

  async close(): Promise<void> {
    if (this.done) return
    this.done = true
    await new Promise<void>((resolve) => close(this.fd, () => resolve()))
  }
}

/**
 * A hit whose bytes are in a blob file, already open: an eviction or overwrite from here on cannot take them
 * away. Nothing is read until the caller picks a way to read: `stream` (HTTP replies, zstd) or `reader`
 * (ByteStream.Read, which frames every chunk itself).
 */
export class FileResult implements GetResult {
  readonly size: number
  readonly sha256: string
  readonly createdAt: number
  readonly accessedAt: number
  readonly meta: Record<string, string>
  readonly reader: FileRangeReader
  private made: Readable | undefined

  constructor(stat: EntryStat, fd: number, start: number, end: number, private readonly signal?: AbortSignal) {
    this.size = stat.size
    this.sha256 = stat.sha256
    this.createdAt = stat.createdAt
    this.accessedAt = stat.accessedAt
    this.meta = stat.meta
    this.reader = new FileRangeReader(fd, start, end, signal)
  }

  get stream(): Readable {
    if (this.made === undefined) {
      const r = this.reader
      if (r.done) throw new Error('FileResult: stream requested after the reader was used')
      if (r.remaining <= 0) {
        void r.close()
        this.made = Readable.from([], { objectMode: false })
      } else {
        r.done = true // the stream owns the descriptor from here and closes it (autoClose)
        this.made = createReadStream('', { fd: r.fd, start: r.position, end: r.end - 1, autoClose: true, highWaterMark: STREAM_READ_BYTES })
      }
      if (this.signal) addAbortSignal(this.signal, this.made)
    }
    return this.made
  }
}
