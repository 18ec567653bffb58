import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import * as grpc from '@grpc/grpc-js'
import { defaultConfig } from '../../../src/config/defaults.js'
import { createMetrics } from '../../../src/metrics/metrics.js'
import { createGrpcServer, DEFAULT_GRPC_TIMEOUTS } from '../../../src/grpc/server.js'
import { MemoryStore } from '../../../src/store/memory.js'
import { digestOf, rpc, startServer, type Harness } from './helpers.js'
import { FIND_MISSING, partialFrame, rawSession, rawUnary } from './raw-unary.js'

// The limit on a unary call's request (src/grpc/request-deadline.ts). The fault suite shows a stalled and a
// dribbling request ended; this shows the idle limit counts bytes (through the grpc-js internal it relies on), that
// a request complete but never half-closed is limited too, and that a handler's own time is never counted.

const IDLE_MS = 300
const REQUEST_MS = 5000

/** A store whose existence checks take `ms`: a slow layer behind FindMissingBlobs. */
class SlowStore extends MemoryStore {
  constructor(private readonly ms: number) {
    super()
  }

  override async has(ns: string, key: string): Promise<boolean> {
    await sleep(this.ms)
    return super.has(ns, key)
  }
}

describe('gRPC unary request deadline', () => {
  let h: Harness
  let port: number
  before(async () => {
    h = await startServer({ store: new SlowStore(3 * IDLE_MS), timeouts: { idleMs: IDLE_MS, keepAliveMs: 10_000, requestMs: REQUEST_MS } })
    port = Number(h.address.split(':')[1])
  })
  after(() => h.close())

  it('ends a request whose bytes stop arriving after idle_timeout, long before request_timeout', async () => {
    const session = rawSession(port)
    try {
      const { status, ms } = await rawUnary(session, FIND_MISSING, partialFrame(4096, 100), REQUEST_MS).ended
      assert.equal(status, String(grpc.status.DEADLINE_EXCEEDED))
      assert.ok(ms >= IDLE_MS - 50 && ms < REQUEST_MS / 2, `ended after ${ms} ms`)
    } finally {
      session.destroy()
    }
  })

  it('ends a request whose message arrived whole but which is never half-closed', async () => {
    const session = rawSession(port)
    try {
      // An empty FindMissingBlobsRequest is a complete message of length 0.
      const { status } = await rawUnary(session, FIND_MISSING, partialFrame(0, 0), REQUEST_MS).ended
      assert.equal(status, String(grpc.status.DEADLINE_EXCEEDED))
    } finally {
      session.destroy()
    }
  })

  it('does not count the time the handler takes once the request has arrived', async () => {
    const started = Date.now()
    const answer = await rpc<{ missing_blob_digests: unknown[] }>((cb) => h.clients.cas.FindMissingBlobs({ blob_digests: [digestOf('absent')] }, cb))
    assert.equal(answer.missing_blob_digests.length, 1)
    assert.ok(Date.now() - started >= 3 * IDLE_MS, 'the slow store did not slow the call: nothing was shown')
  })

  it('applies the [runtime] defaults when a caller passes no timeouts', () => {
    const runtime = defaultConfig().runtime
    assert.deepEqual(DEFAULT_GRPC_TIMEOUTS, { idleMs: runtime.idle_timeout, keepAliveMs: runtime.keep_alive_timeout, requestMs: runtime.request_timeout })
    const server = createGrpcServer({ store: new MemoryStore(), metrics: createMetrics({ defaultMetrics: false }) })
    // grpc-js keeps its options on the server (1.14); the interceptor is what limits requests.
    const options = (server as unknown as { options: grpc.ServerOptions }).options
    assert.equal(options['grpc.keepalive_time_ms'], runtime.keep_alive_timeout)
    assert.equal(options['grpc.max_connection_idle_ms'], runtime.keep_alive_timeout)
    assert.equal(options.interceptors?.length, 1)
    server.forceShutdown()
  })
})
