import { createReadStream } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type * as grpc from '@grpc/grpc-js'
import { FabrikError } from '../../errors/registry.js'
import { writeFully } from '../../io/write-fully.js'
import type { QueryWriteStatusRequest__Output } from '../../generated/google/bytestream/QueryWriteStatusRequest.js'
import type { QueryWriteStatusResponse } from '../../generated/google/bytestream/QueryWriteStatusResponse.js'
import type { WriteRequest__Output } from '../../generated/google/bytestream/WriteRequest.js'
import type { WriteResponse } from '../../generated/google/bytestream/WriteResponse.js'
import { NS, type GrpcContext } from '../context.js'
import { isEmptyBlob, parseSize } from '../digest.js'
import { clientStream, unary, type Tally } from '../observe.js'
import { zstdDecode } from '../zstd.js'
import { parseWriteResource, type UploadResource } from './resource-name.js'
import type { PartialUploads, PartialUpload } from './uploads.js'

// ByteStream.Write streams the client's chunks straight into store.put, which verifies size and SHA-256 as the
// bytes pass (wrong hash or size → INVALID_ARGUMENT, nothing stored). Bazel uploads every blob this way.
//
// Resumable (uncompressed blobs of at least `resumableMinBytes`): each chunk is also appended to the upload's
// partial file before it is handed on, so when a client is cut off the bytes it sent stay committed;
// QueryWriteStatus reports them and a retry whose first write_offset is that count continues the upload. Smaller
// blobs are cheaper to resend than to spool, so QueryWriteStatus answers 0 for them and the client restarts.
// Compressed uploads cannot be resumed mid-frame; they also restart at 0.
//
// Early completion: when the blob is already stored the call answers at once — committed_size = size for
// uncompressed uploads, -1 for compressed ones, which is what Bazel and the spec expect.

export interface WriteOptions {
  uploads: PartialUploads
  resumableMinBytes: number
}

interface Feed {
  /** Next expected write_offset. */
  expected: number
  finished: boolean
  /** The client half-closed the stream. */
  ended: boolean
}

type Requests = AsyncIterator<WriteRequest__Output>

/** The data of each request, checking offsets and names; stops at finish_write or when the client half-closes. */
async function* dataOf(name: string, first: WriteRequest__Output, rest: Requests, feed: Feed): AsyncGenerator<Buffer> {
  let r = first
  for (;;) {
    if (r.resource_name !== '' && r.resource_name !== name) {
      throw new FabrikError('INVALID_REQUEST', 'resource_name changed in the middle of a Write')
    }
    const offset = parseSize(r.write_offset, 'write_offset')
    if (offset !== feed.expected) throw new FabrikError('INVALID_REQUEST', `write_offset is ${offset}, expected ${feed.expected}`)
    if (r.data.length > 0) {
      yield r.data
      feed.expected += r.data.length
    }
    if (r.finish_write) {
      feed.finished = true
      return
    }
    const next = await rest.next()
    if (next.done) {
      feed.ended = true
      return
    }
    r = next.value
  }
}

/** Bytes of a resumable upload spooled per write: one file-system call per 16 KiB chunk (Bazel's) cost more than the copy. */
const SPOOL_BATCH_BYTES = 256 * 1024

/**
 * Appends an upload's chunks to its partial file in batches. `committed` counts only bytes already written, so a
 * resumed upload never skips bytes that are not in the file; flush() writes the rest when the call ends. Each
 * batch is claimed against the partial uploads' cap first; once a claim is refused the spooler stops, and the
 * upload stays resumable from what its file already holds.
 */
class Spooler {
  private pending: Buffer[] = []
  private bytes = 0
  private writing: Promise<void> = Promise.resolve()
  private full = false

  constructor(private readonly fh: FileHandle, private readonly upload: PartialUpload, private readonly uploads: PartialUploads) {}

  add(data: Buffer): Promise<void> {
    if (this.full) return Promise.resolve()
    this.pending.push(data)
    this.bytes += data.length
    return this.bytes >= SPOOL_BATCH_BYTES ? this.flush() : Promise.resolve()
  }

  /** Forgets the chunks not written yet. */
  drop(): void {
    this.pending = []
    this.bytes = 0
  }

  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const bufs = this.pending
      this.pending = []
      this.bytes = 0
      if (bufs.length === 0 || this.full) return
      const n = bufs.reduce((sum, b) => sum + b.length, 0)
      if (!(await this.uploads.claim(this.upload, n))) {
        this.full = true
        return
      }
      this.upload.committed += await writeFully(this.fh, bufs, this.upload.committed)
    })
    return this.writing
  }
}

/** A retry may race the server noticing that the previous stream broke; give that stream a moment to settle. */
async function waitIdle(p: PartialUpload): Promise<void> {
  if (!p.busy) return
  const settled = await Promise.race([p.busy.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1000).unref())])
  if (!settled) throw new FabrikError('ABORTED', 'another Write for this resource is still in progress')
}

async function writeIdentity(
  ctx: GrpcContext, opts: WriteOptions, call: grpc.ServerReadableStream<WriteRequest__Output, WriteResponse>,
  name: string, res: UploadResource, first: WriteRequest__Output, rest: Requests, start: number, tally: Tally,
): Promise<WriteResponse> {
  const { uploads } = opts
  let partial = uploads.get(name)
  if (partial) await waitIdle(partial)
  if (start > 0) {
    if (!partial || start > partial.committed) {
      throw new FabrikError('INVALID_REQUEST', `write_offset ${start} is beyond the ${partial?.committed ?? 0} committed bytes; ask QueryWriteStatus`)
    }
    if (start < partial.committed) await uploads.truncate(partial, start)
  } else if (partial) {
    await uploads.truncate(partial, 0)
  } else if (res.size >= opts.resumableMinBytes) {
    partial = await uploads.create(name)
  }

  const feed: Feed = { expected: start, finished: false, ended: false }
  let release = () => {}
  let fh: FileHandle | undefined
  if (partial) {
    partial.busy = new Promise<void>((resolve) => (release = resolve))
    fh = await uploads.openForWrite(partial)
  }
  const spool = partial
  const spooler = spool && fh ? new Spooler(fh, spool, uploads) : undefined
  // Every byte received goes to the partial file before anyone reads `committed` (the reply, QueryWriteStatus, a
  // retry's waitIdle). A failed write leaves `committed` at what did reach the file.
  const saveSpool = async () => {
    await spooler?.flush().catch((err: unknown) => ctx.logger.warn({ err, name }, 'could not save all of a partial upload'))
  }
  async function* body(): AsyncGenerator<Buffer> {
    if (spool && start > 0) yield* createReadStream(spool.file, { start: 0, end: start - 1 })
    for await (const data of dataOf(name, first, rest, feed)) {
      await spooler?.add(data)
      tally.bytesIn += data.length
      yield data
    }
  }

  try {
    await ctx.store.put(NS.cas, res.hash, Readable.from(body(), { objectMode: false }), { size: res.size, sha256: res.hash })
    spooler?.drop() // stored: the partial file is removed below, unwritten chunks need not reach it
  } catch (err) {
    if (call.cancelled) throw new FabrikError('ABORTED', 'the client cancelled the upload; its committed bytes are kept', { cause: err })
    // The client half-closed before the end: ByteStream answers with what is committed, the upload stays open.
    if (feed.ended && !feed.finished && feed.expected < res.size) {
      await saveSpool()
      return { committed_size: String(spool?.committed ?? 0) }
    }
    await uploads.discard(name)
    throw err
  } finally {
    await saveSpool()
    await fh?.close()
    if (spool) spool.busy = undefined
    release()
  }
  await uploads.discard(name)
  tally.outcome = 'stored'
  return { committed_size: String(res.size) }
}

async function writeZstd(
  ctx: GrpcContext, call: grpc.ServerReadableStream<WriteRequest__Output, WriteResponse>,
  name: string, res: UploadResource, first: WriteRequest__Output, rest: Requests, start: number, tally: Tally,
): Promise<WriteResponse> {
  if (start !== 0) throw new FabrikError('INVALID_REQUEST', `write_offset ${start}: compressed uploads are not kept partially; restart at 0`)
  const feed: Feed = { expected: 0, finished: false, ended: false }
  async function* body(): AsyncGenerator<Buffer> {
    for await (const data of dataOf(name, first, rest, feed)) {
      tally.bytesIn += data.length
      yield data
    }
  }
  try {
    await ctx.store.put(NS.cas, res.hash, zstdDecode(Readable.from(body(), { objectMode: false })), { size: res.size, sha256: res.hash })
  } catch (err) {
    if (call.cancelled) throw new FabrikError('ABORTED', 'the client cancelled the upload', { cause: err })
    if (feed.ended && !feed.finished) return { committed_size: '0' }
    throw err
  }
  tally.outcome = 'stored'
  // REAPI: write offsets of a compressed upload count compressed bytes; Bazel compares committed_size with the
  // compressed bytes it sent (Chunker.getOffset()).
  return { committed_size: String(feed.expected) }
}

export function write(ctx: GrpcContext, opts: WriteOptions) {
  return clientStream<WriteRequest__Output, WriteResponse>(ctx, 'bytestream', 'Write', async (call, tally) => {
    const rest = call[Symbol.asyncIterator]() as Requests
    const first = await rest.next()
    if (first.done) throw new FabrikError('INVALID_REQUEST', 'Write ended before its first request')
    const req = first.value
    const name = req.resource_name
    const res = parseWriteResource(name)
    tally.key = res.hash
    const start = parseSize(req.write_offset, 'write_offset')
    if (isEmptyBlob(res) || (await ctx.store.has(NS.cas, res.hash))) {
      await opts.uploads.discard(name)
      tally.outcome = 'hit'
      return { committed_size: res.compressor === 'zstd' ? '-1' : String(res.size) }
    }
    return res.compressor === 'zstd'
      ? writeZstd(ctx, call, name, res, req, rest, start, tally)
      : writeIdentity(ctx, opts, call, name, res, req, rest, start, tally)
  })
}

export function queryWriteStatus(ctx: GrpcContext, opts: WriteOptions) {
  return unary<QueryWriteStatusRequest__Output, QueryWriteStatusResponse>(ctx, 'bytestream', 'QueryWriteStatus', async (req) => {
    const res = parseWriteResource(req.resource_name)
    const partial = opts.uploads.get(req.resource_name)
    if (partial) return { committed_size: String(partial.committed), complete: false }
    if (isEmptyBlob(res) || (await ctx.store.has(NS.cas, res.hash))) return { committed_size: String(res.size), complete: true }
    // Unknown upload: answering 0 (rather than NOT_FOUND, which Bazel does not retry) makes the client restart.
    return { committed_size: '0', complete: false }
  })
}
