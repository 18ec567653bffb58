import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createMetrics } from '../../../src/metrics/metrics.js'
import { StatsRecorder } from '../../../src/stats/recorder.js'
import { makeApp } from '../http/helpers.js'

// turbo posts a cache event per task to /v8/artifacts/events (turborepo-analytics, batched in the background):
// source LOCAL (its own .turbo cache) or REMOTE (this daemon), HIT or MISS, and the task's duration — what a hit
// saved. A REMOTE hit was already credited when its GET was served (x-artifact-duration), so only LOCAL hits add.

describe('time saved reported by turbo cache events', () => {
  it('adds LOCAL hits\' durations to turbo\'s saved time, and never counts a REMOTE hit twice', async (t) => {
    const stats = new StatsRecorder({ retentionMs: 86_400_000 })
    const { app } = await makeApp({ metrics: createMetrics({ defaultMetrics: false, tap: (o) => stats.observe(o) }) })
    t.after(() => app.close())
    const turbo = () => stats.report(0).tools.find((x) => x.tool === 'turbo')
    const url = '/v8/artifacts/abc123?slug=acme'
    const put = await app.inject({ method: 'PUT', url, headers: { 'content-type': 'application/octet-stream', 'x-artifact-duration': '1500' }, payload: Buffer.from('tar') })
    assert.equal(put.statusCode, 200)
    assert.equal((await app.inject({ method: 'GET', url })).statusCode, 200)
    assert.equal(turbo()?.savedMs, 1500, 'the GET hit carries the uploaded duration')
    const events = [
      { sessionId: 's1', source: 'REMOTE', event: 'HIT', hash: 'abc123', duration: 1500 },
      { sessionId: 's1', source: 'LOCAL', event: 'HIT', hash: 'def456', duration: 700 },
      { sessionId: 's1', source: 'LOCAL', event: 'HIT', hash: 'fed654', duration: 300 },
      { sessionId: 's1', source: 'LOCAL', event: 'MISS', hash: 'aaa111', duration: 9000 },
      { sessionId: 's1', source: 'REMOTE', event: 'MISS', hash: 'aaa111', duration: 0 },
      // Nonsense durations save nothing.
      { sessionId: 's1', source: 'LOCAL', event: 'HIT', hash: 'bad', duration: -5 },
      { sessionId: 's1', source: 'LOCAL', event: 'HIT', hash: 'bad', duration: 'soon' },
    ]
    const res = await app.inject({ method: 'POST', url: '/v8/artifacts/events?slug=acme', headers: { 'content-type': 'application/json' }, payload: events })
    assert.equal(res.statusCode, 200)
    assert.equal(turbo()?.savedMs, 1500 + 700 + 300)
    assert.equal(turbo()?.hits, 1, 'events add saved time, not hits of this cache')
  })
})
