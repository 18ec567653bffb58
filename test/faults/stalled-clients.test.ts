import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import * as grpc from '@grpc/grpc-js'
import type { FastifyInstance } from 'fastify'
import { createHttpApp } from '../../src/http/app.js'
import { createMetrics } from '../../src/metrics/metrics.js'
import type { LocalStore } from '../../src/store/local/store.js'
import { listen } from '../unit/http/helpers.js'
import { digestOf, makeClients, rpc, sha256 } from '../unit/grpc/helpers.js'
import { FIND_MISSING, partialFrame, rawSession, rawUnary } from '../unit/grpc/raw-unary.js'
import { bindGrpc, createGrpcServer } from '../../src/grpc/server.js'
import { isFabrikError } from '../../src/errors/registry.js'
import { open, random, tempDir } from '../unit/store/helpers.js'
import { closedWithin } from '../helpers/socket.js'

// Clients that stall or dribble, against an HTTP app and a gRPC server over one local store with short
// [runtime] timeouts. Each must be cut off within its timeout, and — however long it held on — must not have
// emptied the cache by reserving space for bytes it never sent.

const MiB = 1024 * 1024
const TIMEOUTS = { header: 600, idle: 800, request: 2500, keepAlive: 700 }
const ENTRIES = 100
const ENTRY = 64 * 1024

function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s))
    s.once('error', reject)
  })
}

describe('faults: stalled and dribbling clients', { timeout: 60_000 }, () => {
  let dir: string
  let cleanup: () => Promise<void>
  let store: LocalStore
  let app: FastifyInstance
  let port: number
  let grpcServer: grpc.Server
  let grpcPort: number

  before(async () => {
    ;({ dir, cleanup } = await tempDir('fabrik-stall-'))
    store = open(dir, { maxSize: 8 * MiB })
    for (let i = 0; i < ENTRIES; i++) await store.put('nx', `entry${i}`, random(ENTRY))
    app = await createHttpApp({ store, metrics: createMetrics({ defaultMetrics: false }), logger: false, maxBlobBytes: 8 * MiB, timeouts: TIMEOUTS })
    port = await listen(app)
    grpcServer = createGrpcServer({ store, metrics: createMetrics({ defaultMetrics: false }), uploadDir: `${dir}/uploads`, timeouts: { idleMs: TIMEOUTS.idle, keepAliveMs: TIMEOUTS.keepAlive, requestMs: TIMEOUTS.request } })
    grpcPort = await bindGrpc(grpcServer, '127.0.0.1:0')
  })
  after(async () => {
    grpcServer?.forceShutdown()
    await app?.close()
    await store?.close()
    await cleanup?.()
  })

  const entriesLeft = () => store.list({ ns: 'nx' }).length

  it('an HTTP client sending its headers one byte at a time is disconnected after header_timeout', async () => {
    const s = await tcp(port)
    const head = Buffer.from(`PUT /v1/cache/dribble HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\nX-Filler: ${'a'.repeat(200)}\r\n\r\n`)
    const closed = closedWithin(s, TIMEOUTS.header + 3000)
    void (async () => {
      for (let i = 0; i < head.length && !s.destroyed; i++) {
        s.write(head.subarray(i, i + 1))
        await sleep(150)
      }
    })()
    await closed
  })

  it('a PUT declaring nearly max_size and then sending nothing evicts nothing and is cut off after idle_timeout', async () => {
    const s = await tcp(port)
    const closed = closedWithin(s, TIMEOUTS.idle + 3000)
    s.write(`PUT /v1/cache/stalled HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${8 * MiB - 1}\r\n\r\n`)
    s.write(randomBytes(1000))
    await sleep(300)
    assert.equal(entriesLeft(), ENTRIES, 'a stalled upload evicted entries for bytes it never sent')
    // Meanwhile other writes succeed and are kept.
    const ok = await app.inject({ method: 'PUT', url: '/v1/cache/meanwhile', payload: random(ENTRY) })
    assert.equal(ok.statusCode, 200)
    await closed
    assert.equal(entriesLeft(), ENTRIES + 1)
  })

  it('an HTTP body dribbled a byte at a time is cut off after request_timeout', async () => {
    const s = await tcp(port)
    const closed = closedWithin(s, TIMEOUTS.request + 3000)
    s.write(`PUT /v1/cache/dribbled HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n`)
    void (async () => {
      while (!s.destroyed) {
        s.write('x')
        await sleep(200)
      }
    })()
    const ms = await closed
    assert.ok(ms >= TIMEOUTS.request - 200, `closed after ${ms} ms, before request_timeout`)
    assert.equal(entriesLeft(), ENTRIES + 1)
  })

  it('an idle keep-alive connection and a silent one are closed', async () => {
    const idle = await tcp(port)
    const idleClosed = closedWithin(idle, TIMEOUTS.keepAlive + 3000)
    idle.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await idleClosed
    const silent = await tcp(port)
    await closedWithin(silent, TIMEOUTS.idle + 3000)
  })

  it('a ByteStream Write declaring nearly max_size that stalls evicts nothing and fails DEADLINE_EXCEEDED after idle_timeout', async () => {
    const clients = makeClients(`127.0.0.1:${grpcPort}`)
    try {
      const data = random(64 * 1024)
      const name = `uploads/${randomBytes(8).toString('hex')}/blobs/${sha256(data)}/${8 * MiB - 1}`
      const status = new Promise<grpc.status>((resolve) => {
        const call = clients.bytestream.Write((err) => resolve(err ? err.code : grpc.status.OK))
        call.write({ resource_name: name, write_offset: 0, data: data.subarray(0, 1000) })
      })
      await sleep(300)
      assert.equal(entriesLeft(), ENTRIES + 1, 'a stalled ByteStream write evicted entries')
      const started = Date.now()
      assert.equal(await status, grpc.status.DEADLINE_EXCEEDED)
      assert.ok(Date.now() - started < TIMEOUTS.idle + 2000)
      assert.equal(entriesLeft(), ENTRIES + 1)
    } finally {
      for (const c of Object.values(clients)) c.close()
    }
  })

  it('a ByteStream Write dribbling a small chunk at a time fails DEADLINE_EXCEEDED after request_timeout', async () => {
    const clients = makeClients(`127.0.0.1:${grpcPort}`)
    try {
      const data = random(64 * 1024)
      const name = `uploads/${randomBytes(8).toString('hex')}/blobs/${sha256(data)}/${data.length}`
      const started = Date.now()
      let stop = false
      const status = new Promise<grpc.status>((resolve) => {
        const call = clients.bytestream.Write((err) => {
          stop = true
          resolve(err ? err.code : grpc.status.OK)
        })
        void (async () => {
          for (let at = 0; !stop && at < data.length; at += 10) {
            call.write({ resource_name: name, write_offset: at, data: data.subarray(at, at + 10) })
            await sleep(200)
          }
        })()
      })
      assert.equal(await status, grpc.status.DEADLINE_EXCEEDED)
      const ms = Date.now() - started
      assert.ok(ms >= TIMEOUTS.request - 200 && ms < TIMEOUTS.request + 2000, `ended after ${ms} ms`)
    } finally {
      for (const c of Object.values(clients)) c.close()
    }
  })

  it('a unary call whose request message stalls half-sent is ended DEADLINE_EXCEEDED after idle_timeout while others are served', async () => {
    const session = rawSession(grpcPort)
    const clients = makeClients(`127.0.0.1:${grpcPort}`)
    try {
      // A FindMissingBlobs that announces a 64 KiB message and sends 1 KiB of it: grpc-js buffers it while it waits.
      const stalled = rawUnary(session, FIND_MISSING, partialFrame(64 * 1024, 1024), TIMEOUTS.idle + 3000)
      await sleep(200)
      const known = random(100)
      const answer = await rpc<{ missing_blob_digests: unknown[] }>((cb) => clients.cas.FindMissingBlobs({ blob_digests: [digestOf(known)] }, cb))
      assert.equal(answer.missing_blob_digests.length, 1, 'another client was not served while one call stalled')
      const { status, ms } = await stalled.ended
      assert.equal(status, String(grpc.status.DEADLINE_EXCEEDED))
      assert.ok(ms >= TIMEOUTS.idle - 100, `ended after ${ms} ms, before idle_timeout`)
    } finally {
      session.destroy()
      for (const c of Object.values(clients)) c.close()
    }
  })

  it('a unary call dribbling its request message is ended DEADLINE_EXCEEDED after request_timeout', async () => {
    const session = rawSession(grpcPort)
    try {
      const call = rawUnary(session, FIND_MISSING, partialFrame(64 * 1024, 10), TIMEOUTS.request + 3000)
      let stop = false
      void call.ended.finally(() => (stop = true)).catch(() => undefined)
      void (async () => {
        // A byte every 200 ms: never silent for idle_timeout, never done.
        while (!stop && !call.stream.destroyed) {
          call.stream.write(randomBytes(1))
          await sleep(200)
        }
      })()
      const { status, ms } = await call.ended
      assert.equal(status, String(grpc.status.DEADLINE_EXCEEDED))
      assert.ok(ms >= TIMEOUTS.request - 200 && ms < TIMEOUTS.request + 2000, `ended after ${ms} ms`)
    } finally {
      session.destroy()
    }
  })

  it('a connection to the gRPC port that never speaks is closed', async () => {
    const s = await tcp(grpcPort)
    await closedWithin(s, TIMEOUTS.keepAlive + 5000)
  })

  it('a store put whose body never arrives holds no reservation for the bytes it declared', async () => {
    const { PassThrough } = await import('node:stream')
    const body = new PassThrough()
    const ac = new AbortController()
    const put = store.put('nx', 'never', body, { size: 8 * MiB - 1, signal: ac.signal }).catch((e: unknown) => e)
    body.write(random(300 * 1024))
    await sleep(200)
    assert.equal(entriesLeft(), ENTRIES + 1)
    ac.abort()
    body.destroy()
    assert.ok(isFabrikError(await put, 'ABORTED'))
    assert.equal(entriesLeft(), ENTRIES + 1)
  })
})
