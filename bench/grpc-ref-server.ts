import * as grpc from '@grpc/grpc-js'
import type { ReadRequest__Output } from '../src/generated/google/bytestream/ReadRequest.js'
import type { ReadResponse } from '../src/generated/google/bytestream/ReadResponse.js'
import type { WriteRequest__Output } from '../src/generated/google/bytestream/WriteRequest.js'
import type { WriteResponse } from '../src/generated/google/bytestream/WriteResponse.js'
import { loadProtos } from '../src/grpc/protos.js'
import { MAX_CHUNK, Sender } from '../src/grpc/streams.js'
import { BIG_SEED, generatedChunks } from './grpc-bytestream.js'

// The gRPC benchmark's reference: a bare grpc-js ByteStream server with trivial handlers, in its own process like
// the daemon, on the same protos. Write keeps the bytes in memory (no hashing, no disk), Read streams them back in
// MAX_CHUNK messages with the same backpressure as the daemon — the ceiling for ByteStream in Node on this machine.
// Blobs over KEEP_MAX are only counted; reading one regenerates it with the bench's generator (seed = BIG_SEED).
//
//   node dist/bench/grpc-ref-server.js   → prints {"port":N} and serves until killed

const KEEP_MAX = 256 * 1024 * 1024

const blobs = new Map<string, Buffer>()

/** `…/blobs/{hash}/{size}` → "hash/size" (the key the Write stored it under). */
function keyOf(name: string): { key: string; size: number } {
  const m = /blobs\/([0-9a-f]{64})\/(\d+)/.exec(name)
  if (!m) throw new Error(`bad resource name ${name}`)
  return { key: `${m[1]}/${m[2]}`, size: Number(m[2]) }
}

function write(call: grpc.ServerReadableStream<WriteRequest__Output, WriteResponse>, cb: grpc.sendUnaryData<WriteResponse>): void {
  void (async () => {
    let key = ''
    let size = 0
    let received = 0
    const parts: Buffer[] = []
    for await (const r of call as AsyncIterable<WriteRequest__Output>) {
      if (r.resource_name) ({ key, size } = keyOf(r.resource_name))
      received += r.data.length
      if (size <= KEEP_MAX) parts.push(r.data)
      if (r.finish_write) break
    }
    if (size <= KEEP_MAX) blobs.set(key, Buffer.concat(parts))
    return { committed_size: String(received) }
  })().then(
    (res) => cb(null, res),
    (err: Error) => cb({ code: grpc.status.INTERNAL, details: err.message }),
  )
}

function* sliced(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += MAX_CHUNK) yield data.subarray(at, at + MAX_CHUNK)
}

function read(call: grpc.ServerWritableStream<ReadRequest__Output, ReadResponse>): void {
  void (async () => {
    const { key, size } = keyOf(call.request.resource_name)
    const kept = blobs.get(key)
    const pieces = kept ? sliced(kept) : size > KEEP_MAX ? generatedChunks(size, BIG_SEED)() : undefined
    if (!pieces) return call.destroy({ name: 'NotFound', message: 'not found', code: grpc.status.NOT_FOUND } as grpc.ServiceError)
    const sender = new Sender(call)
    for (const data of pieces) await sender.send({ data }, data.length)
    call.end()
  })().catch((err: Error) => call.destroy(err))
}

const server = new grpc.Server()
server.addService(loadProtos().google.bytestream.ByteStream.service, {
  Read: read,
  Write: write,
  QueryWriteStatus: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.UNIMPLEMENTED }),
})
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err
  console.log(JSON.stringify({ port }))
})
