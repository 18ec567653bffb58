import * as grpc from '@grpc/grpc-js'
import type { ActionResult } from '../src/generated/build/bazel/remote/execution/v2/ActionResult.js'
import type { Digest__Output } from '../src/generated/build/bazel/remote/execution/v2/Digest.js'
import type { ReadRequest__Output } from '../src/generated/google/bytestream/ReadRequest.js'
import type { ReadResponse } from '../src/generated/google/bytestream/ReadResponse.js'
import type { WriteRequest__Output } from '../src/generated/google/bytestream/WriteRequest.js'
import type { WriteResponse } from '../src/generated/google/bytestream/WriteResponse.js'
import { FramedMessage, sendFramesAsIs, takeFrame } from '../src/grpc/frames.js'
import { READ_DATA_TAG } from '../src/grpc/bytestream/read-response.js'
import { loadProtos } from '../src/grpc/protos.js'
import { widenReceiveWindow } from '../src/grpc/window.js'
import { MAX_CHUNK, Sender } from '../src/grpc/streams.js'
import { BIG_SEED, generatedChunks } from './grpc-bytestream.js'

// The gRPC benchmark's reference: a bare grpc-js REAPI cache with trivial handlers, in its own process like the
// daemon, on the same protos — the least a Node gRPC server can spend on the same calls, so the ceiling here.
// - ByteStream: Write keeps the messages' bytes in memory (no hashing, no disk, not even joined); Read copies them into ready-made gRPC frames
//   that grpc-js sends as they are (the daemon's own cheapest path, frames.ts) in MAX_CHUNK messages with the
//   daemon's backpressure. Blobs over KEEP_MAX are only counted; reading one regenerates it with the bench's
//   generator (seed = BIG_SEED).
// - Capabilities, ActionCache and the CAS calls Bazel makes (FindMissingBlobs, BatchUpdateBlobs, BatchReadBlobs):
//   maps in memory, no checks. Bazel's rebuilds against this server measure what grpc-js itself costs per build.
// It runs with the daemon's Node flags and HTTP/2 receive window: only the cache work differs.
//
//   node dist/bench/grpc-ref-server.js   → prints {"port":N} and serves until killed

const KEEP_MAX = 256 * 1024 * 1024

/** Each blob as the messages it arrived in: joining them would cost a copy the daemon does not make either. */
const blobs = new Map<string, Buffer[]>()
const results = new Map<string, ActionResult>()
const keyOfDigest = (d: Digest__Output | null) => `${d?.hash}/${d?.size_bytes}`

/** `…/blobs/{hash}/{size}` → "hash/size" (the key the Write stored it under). */
function keyOf(name: string): { key: string; size: number } {
  const m = /blobs\/([0-9a-f]{64})\/(\d+)/.exec(name)
  if (!m) throw new Error(`bad resource name ${name}`)
  return { key: `${m[1]}/${m[2]}`, size: Number(m[2]) }
}

function write(call: grpc.ServerReadableStream<WriteRequest__Output, WriteResponse>, cb: grpc.sendUnaryData<WriteResponse>): void {
  let key = ''
  let size = 0
  let received = 0
  let done = false
  const parts: Buffer[] = []
  const finish = (err: grpc.ServiceError | null, res?: WriteResponse) => {
    if (done) return
    done = true
    cb(err, res)
  }
  // 'data' events rather than an async iterator: the cheaper of the two per message, as a ceiling should be.
  call.on('data', (r: WriteRequest__Output) => {
    if (r.resource_name) ({ key, size } = keyOf(r.resource_name))
    received += r.data.length
    if (size <= KEEP_MAX) parts.push(r.data)
    if (!r.finish_write) return
    if (size <= KEEP_MAX) blobs.set(key, parts)
    finish(null, { committed_size: String(received) })
  })
  call.on('end', () => finish({ code: grpc.status.INVALID_ARGUMENT, details: 'no finish_write' } as grpc.ServiceError))
  call.on('error', () => undefined)
}

/** Pieces of any length packed into frames of up to MAX_CHUNK data bytes, copied once, as a file read fills the daemon's. */
function* framed(pieces: Iterable<Buffer>, total: number): Generator<FramedMessage> {
  let left = total
  let frame: FramedMessage | undefined
  let at = 0
  for (let piece of pieces) {
    while (piece.length > 0) {
      if (left === 0) throw new Error('blob longer than its size')
      frame ??= takeFrame(Math.min(MAX_CHUNK, left), READ_DATA_TAG)
      const n = piece.copy(frame.data, at)
      at += n
      piece = piece.subarray(n)
      if (at < frame.data.length) continue
      left -= at
      yield frame
      frame = undefined
      at = 0
    }
  }
  if (frame) throw new Error(`blob shorter than its size (${left - at} bytes missing)`)
}

const notFound = () => ({ name: 'NotFound', message: 'not found', code: grpc.status.NOT_FOUND }) as grpc.ServiceError

function read(call: grpc.ServerWritableStream<ReadRequest__Output, ReadResponse>): void {
  void (async () => {
    const { key, size } = keyOf(call.request.resource_name)
    const kept = blobs.get(key)
    const pieces = kept ?? (size > KEEP_MAX ? generatedChunks(size, BIG_SEED)() : undefined)
    if (!pieces) return call.destroy(notFound())
    const sender = new Sender(call)
    for (const frame of framed(pieces, size)) await sender.send(frame as unknown as ReadResponse, frame.data.length, () => frame.release())
    call.end()
  })().catch((err: Error) => call.destroy(err))
}

sendFramesAsIs()
const protos = loadProtos()
const v2 = protos.build.bazel.remote.execution.v2
const server = new grpc.Server()
// The daemon's receive window too: with Node's 64 KiB one, Bazel's 16 KiB upload messages cost ~30% more (window.ts).
if (!widenReceiveWindow(server)) throw new Error('this grpc-js cannot widen the receive window')
server.addService(protos.google.bytestream.ByteStream.service, {
  Read: read,
  Write: write,
  QueryWriteStatus: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.UNIMPLEMENTED }),
})
server.addService(v2.Capabilities.service, {
  GetCapabilities: (_call: unknown, cb: grpc.sendUnaryData<unknown>) =>
    cb(null, {
      cache_capabilities: {
        digest_functions: ['SHA256'],
        action_cache_update_capabilities: { update_enabled: true },
        max_batch_total_size_bytes: String(4 * 1024 * 1024),
        symlink_absolute_path_strategy: 'ALLOWED',
      },
      low_api_version: { major: 2, minor: 0, patch: 0 },
      high_api_version: { major: 2, minor: 3, patch: 0 },
    }),
})
type Unary<Req> = (call: { request: Req }, cb: grpc.sendUnaryData<unknown>) => void
const getActionResult: Unary<{ action_digest: Digest__Output | null }> = (call, cb) => {
  const got = results.get(keyOfDigest(call.request.action_digest))
  if (got) cb(null, got)
  else cb(notFound())
}
const updateActionResult: Unary<{ action_digest: Digest__Output | null; action_result: ActionResult | null }> = (call, cb) => {
  if (call.request.action_result) results.set(keyOfDigest(call.request.action_digest), call.request.action_result)
  cb(null, call.request.action_result)
}
const findMissingBlobs: Unary<{ blob_digests: Digest__Output[] }> = (call, cb) =>
  cb(null, { missing_blob_digests: call.request.blob_digests.filter((d) => !blobs.has(keyOfDigest(d))) })
const batchUpdateBlobs: Unary<{ requests: { digest: Digest__Output | null; data: Buffer }[] }> = (call, cb) => {
  for (const r of call.request.requests) blobs.set(keyOfDigest(r.digest), [r.data])
  cb(null, { responses: call.request.requests.map((r) => ({ digest: r.digest, status: { code: 0 } })) })
}
const batchReadBlobs: Unary<{ digests: Digest__Output[] }> = (call, cb) =>
  cb(null, {
    responses: call.request.digests.map((d) => {
      const parts = blobs.get(keyOfDigest(d))
      return parts ? { digest: d, data: Buffer.concat(parts), status: { code: 0 } } : { digest: d, status: { code: grpc.status.NOT_FOUND } }
    }),
  })
server.addService(v2.ActionCache.service, { GetActionResult: getActionResult, UpdateActionResult: updateActionResult })
server.addService(v2.ContentAddressableStorage.service, {
  FindMissingBlobs: findMissingBlobs,
  BatchUpdateBlobs: batchUpdateBlobs,
  BatchReadBlobs: batchReadBlobs,
  GetTree: (call: grpc.ServerWritableStream<unknown, unknown>) => call.destroy({ code: grpc.status.UNIMPLEMENTED } as grpc.ServiceError),
})
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err
  console.log(JSON.stringify({ port }))
})
