import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as grpc from '@grpc/grpc-js'
import type { ByteStreamClient } from '../../../src/generated/google/bytestream/ByteStream.js'
import type { WriteRequest } from '../../../src/generated/google/bytestream/WriteRequest.js'
import { createMetrics, type Metrics } from '../../../src/metrics/metrics.js'
import { loadProtos } from '../../../src/grpc/protos.js'
import { bindGrpc, createGrpcServer, type GrpcDeps } from '../../../src/grpc/server.js'
import { MemoryStore } from '../../../src/store/memory.js'
import type { BlobStore } from '../../../src/store/types.js'

// Shared by the gRPC tests: a real server on a real socket, real generated clients, a MemoryStore behind it.

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex')
export const digestOf = (data: Buffer | string) => ({ hash: sha256(data), size_bytes: String(Buffer.byteLength(data)) })

export interface Harness {
  server: grpc.Server
  store: BlobStore
  metrics: Metrics
  dir: string
  address: string
  clients: ReturnType<typeof makeClients>
  close(): Promise<void>
}

export function makeClients(address: string, options: grpc.ChannelOptions = {}) {
  const p = loadProtos()
  const v2 = p.build.bazel.remote.execution.v2
  const creds = grpc.credentials.createInsecure()
  return {
    capabilities: new v2.Capabilities(address, creds, options),
    cas: new v2.ContentAddressableStorage(address, creds, options),
    ac: new v2.ActionCache(address, creds, options),
    bytestream: new p.google.bytestream.ByteStream(address, creds, options),
    kv: new p.compilation_cache_service.keyvalue.v1.KeyValueDB(address, creds, options),
    xcas: new p.compilation_cache_service.cas.v1.CASDBService(address, creds, options),
  }
}

export async function startServer(
  deps: Partial<GrpcDeps> = {},
  { unix = false }: { unix?: boolean } = {},
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'fabrik-grpc-test-'))
  const store = deps.store ?? new MemoryStore()
  const metrics = deps.metrics ?? createMetrics({ defaultMetrics: false })
  const server = createGrpcServer({ uploadDir: join(dir, 'uploads'), xcodeDir: join(dir, 'xcode-out'), ...deps, store, metrics })
  let address: string
  if (unix) {
    address = `unix:${join(dir, 'fabrik.sock')}`
    await bindGrpc(server, address)
  } else {
    const port = await bindGrpc(server, '127.0.0.1:0')
    address = `127.0.0.1:${port}`
  }
  const clients = makeClients(address)
  return {
    server, store, metrics, dir, address, clients,
    async close() {
      for (const c of Object.values(clients)) c.close()
      server.forceShutdown()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Promise form of a unary call: rpc((cb) => client.Method(request, cb)). */
export function rpc<T>(start: (cb: grpc.requestCallback<T>) => unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    start((err, value) => (err ? reject(err) : resolve(value as T)))
  })
}

/** Resolves to the gRPC status code a call failed with (throws if it succeeded). */
export async function codeOf(p: Promise<unknown>): Promise<grpc.status> {
  try {
    await p
  } catch (err) {
    return (err as grpc.ServiceError).code
  }
  throw new Error('expected the call to fail')
}

/** Streams `requests` as one Write call (respecting backpressure); resolves to the response. */
export function writeRequests(bs: ByteStreamClient, requests: Iterable<WriteRequest>): Promise<{ committed_size: string }> {
  return new Promise((resolve, reject) => {
    const call = bs.Write((err, res) => (err ? reject(err) : resolve(res as { committed_size: string })))
    void (async () => {
      for (const r of requests) {
        if (!call.write(r)) await new Promise((d) => call.once('drain', d))
      }
      call.end()
    })()
  })
}

/** The requests a Bazel-like client sends for `data` in chunks, starting at `offset`. */
export function* chunked(name: string, data: Buffer, chunk = 16 * 1024, offset = 0): Generator<WriteRequest> {
  let at = offset
  let first = true
  do {
    const end = Math.min(data.length, at + chunk)
    yield { resource_name: first ? name : '', write_offset: String(at), data: data.subarray(at, end), finish_write: end === data.length }
    first = false
    at = end
  } while (at < data.length)
}

export function readBlob(bs: ByteStreamClient, resource_name: string, read_offset = 0, read_limit = 0): Promise<{ data: Buffer; sizes: number[] }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    const call = bs.Read({ resource_name, read_offset: String(read_offset), read_limit: String(read_limit) })
    call.on('data', (m: { data: Buffer }) => parts.push(m.data))
    call.on('error', reject)
    call.on('end', () => resolve({ data: Buffer.concat(parts), sizes: parts.map((p) => p.length) }))
  })
}

export function randomBytes(n: number, seed = 1): Buffer {
  const out = Buffer.alloc(n)
  let x = seed >>> 0 || 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
