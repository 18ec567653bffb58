import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ActionResult, ActionResult__Output } from '../../../src/generated/build/bazel/remote/execution/v2/ActionResult.js'
import { MESSAGES, encodeMessage } from '../../../src/grpc/codec.js'
import { createMetrics } from '../../../src/metrics/metrics.js'
import { StatsRecorder } from '../../../src/stats/recorder.js'
import { makeApp, sha256 } from '../http/helpers.js'
import { digestOf, rpc, startServer } from '../grpc/helpers.js'

// Bazel's saved time is the worker time in an ActionResult's execution_metadata, over HTTP (/ac/) and gRPC
// (GetActionResult) alike, recorded through the statistics recorder's tap as the daemon wires it.

/** 12.5 s of worker time. */
const RESULT: ActionResult = {
  exit_code: 0,
  execution_metadata: {
    worker: 'ci-7',
    worker_start_timestamp: { seconds: '1700000000', nanos: 250_000_000 },
    worker_completed_timestamp: { seconds: '1700000012', nanos: 750_000_000 },
  },
}
const SAVED = 12_500

function recorded() {
  const stats = new StatsRecorder({ retentionMs: 86_400_000 })
  const metrics = createMetrics({ defaultMetrics: false, tap: (o) => stats.observe(o) })
  const bazel = () => stats.report(0).tools.find((t) => t.tool === 'bazel')
  return { stats, metrics, bazel }
}

describe('time saved by Bazel action-cache hits', () => {
  it('HTTP: an /ac/ hit reports the worker time of the ActionResult that was uploaded', async (t) => {
    const r = recorded()
    const { app } = await makeApp({ metrics: r.metrics })
    t.after(() => app.close())
    const key = sha256('action over http')
    const body = encodeMessage(MESSAGES.actionResult, RESULT)
    assert.equal((await app.inject({ method: 'PUT', url: `/ac/${key}`, payload: body })).statusCode, 200)
    assert.equal(r.bazel()?.savedMs, 0, 'an upload saves nothing')
    const get = await app.inject({ method: 'GET', url: `/ac/${key}` })
    assert.equal(get.statusCode, 200)
    assert.ok(get.rawPayload.equals(body), 'the stored bytes are served unchanged')
    await app.inject({ method: 'GET', url: `/ac/${key}` })
    assert.equal(r.bazel()?.hits, 2)
    assert.equal(r.bazel()?.savedMs, 2 * SAVED)
  })

  it('HTTP: an /ac/ body that is no ActionResult is still stored and served, saving nothing', async (t) => {
    const r = recorded()
    const { app } = await makeApp({ metrics: r.metrics })
    t.after(() => app.close())
    const key = sha256('not a proto')
    const body = Buffer.from([0xff, 0xff, 0xff])
    assert.equal((await app.inject({ method: 'PUT', url: `/ac/${key}`, payload: body })).statusCode, 200)
    assert.ok((await app.inject({ method: 'GET', url: `/ac/${key}` })).rawPayload.equals(body))
    assert.equal(r.bazel()?.hits, 1)
    assert.equal(r.bazel()?.savedMs, 0)
  })

  it('gRPC: GetActionResult after UpdateActionResult reports worker completed minus worker start', async (t) => {
    const r = recorded()
    const h = await startServer({ metrics: r.metrics })
    t.after(() => h.close())
    const action_digest = digestOf('action over grpc')
    await rpc<ActionResult__Output>((cb) => h.clients.ac.UpdateActionResult({ action_digest, action_result: RESULT }, cb))
    assert.equal(r.bazel()?.savedMs, 0, 'an upload saves nothing')
    const got = await rpc<ActionResult__Output>((cb) => h.clients.ac.GetActionResult({ action_digest }, cb))
    assert.equal(got.execution_metadata?.worker, 'ci-7')
    assert.equal(r.bazel()?.hits, 1)
    assert.equal(r.bazel()?.savedMs, SAVED)
  })
})
