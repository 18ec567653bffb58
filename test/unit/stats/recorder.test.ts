import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RequestObservation } from '../../../src/metrics/metrics.js'
import { StatsDb } from '../../../src/stats/db.js'
import { StatsRecorder } from '../../../src/stats/recorder.js'
import { statsLines } from '../../../src/stats/text.js'
import { parseSince } from '../../../src/stats/window.js'
import { until } from '../../helpers/until.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0)

function req(tool: string, outcome: RequestObservation['outcome'], extra: Partial<RequestObservation> = {}): RequestObservation {
  return { protocol: 'http', tool, method: 'GET', outcome, seconds: 0.001, ...extra }
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'fabrik-stats-'))
  const clock = { now: T0 }
  const open = () => new StatsRecorder({ db: new StatsDb(join(dir, 'stats.db')), retentionMs: 30 * DAY, now: () => clock.now })
  return { dir, clock, open, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

describe('statistics recorder', () => {
  it('counts hits, misses, errors, bytes and saved time per tool, and gRPC services under their tool', () => {
    const s = setup()
    const r = s.open()
    r.observe(req('turbo', 'miss'))
    r.observe(req('turbo', 'stored', { method: 'PUT', bytesIn: 100 }))
    r.observe(req('turbo', 'hit', { bytesOut: 100, savedMs: 1500 }))
    r.observe(req('turbo', 'hit', { bytesOut: 100, savedMs: 1500 }))
    r.observe(req('ac', 'hit', { protocol: 'grpc', method: 'GetActionResult', savedMs: 250 }))
    r.observe(req('cas', 'error', { protocol: 'grpc', method: 'BatchReadBlobs' }))
    const rep = r.report(T0 - HOUR)
    const turbo = rep.tools.find((t) => t.tool === 'turbo')!
    assert.deepEqual({ ...turbo }, { tool: 'turbo', requests: 4, hits: 2, misses: 1, errors: 0, bytesIn: 100, bytesOut: 200, savedMs: 3000, hitRate: 2 / 3 })
    const bazel = rep.tools.find((t) => t.tool === 'bazel')!
    assert.equal(bazel.requests, 2)
    assert.equal(bazel.errors, 1)
    assert.equal(bazel.savedMs, 250)
    assert.equal(rep.total.savedMs, 3250)
    r.close()
    s.cleanup()
  })

  it('keeps the figures across a restart (flushed at close, read back by a new recorder and by the file alone)', () => {
    const s = setup()
    const r = s.open()
    for (let i = 0; i < 10; i++) r.observe(req('nx', i < 7 ? 'hit' : 'miss'))
    r.close()
    const again = s.open()
    const rep = again.report(T0 - DAY)
    assert.equal(rep.tools[0]?.hits, 7)
    assert.equal(rep.tools[0]?.misses, 3)
    again.observe(req('nx', 'hit'))
    again.flush()
    const db = new StatsDb(join(s.dir, 'stats.db'))
    assert.equal(db.rows(T0 - DAY).reduce((n, row) => n + row.hits, 0), 8)
    db.close()
    again.close()
    s.cleanup()
  })

  it('puts each request in the hour it happened, so --since windows include only those hours', () => {
    const s = setup()
    const r = s.open()
    r.observe(req('gradle', 'hit')) // 12:00, day 0
    s.clock.now = T0 + 3 * HOUR
    r.observe(req('gradle', 'miss')) // 15:00
    r.flush()
    s.clock.now = T0 + 2 * DAY
    r.observe(req('gradle', 'hit'))
    r.observe(req('gradle', 'hit'))
    const now = s.clock.now
    assert.equal(r.report(now - parseSince('1h')).total.requests, 2)
    assert.equal(r.report(now - parseSince('1d')).total.requests, 2)
    assert.equal(r.report(T0 + 2 * HOUR).total.requests, 3) // from 14:00 on day 0: the 15:00 miss and today's
    assert.equal(r.report(now - parseSince('7d')).total.requests, 4)
    assert.equal(r.report(now - parseSince('7d')).total.hits, 3)
    r.close()
    s.cleanup()
  })

  it('deletes hours beyond the retention limit, and --zero forgets everything', () => {
    const s = setup()
    const r = s.open()
    r.observe(req('ccache', 'hit'))
    r.flush()
    s.clock.now = T0 + 31 * DAY
    r.observe(req('ccache', 'miss'))
    r.flush() // prunes: the first hour is 31 days old
    assert.equal(r.report(0).total.requests, 1)
    r.zero()
    assert.equal(r.report(0).total.requests, 0)
    r.close()
    assert.equal(s.open().report(0).total.requests, 0)
    s.cleanup()
  })

  it('attributes hits to the layer that had the entry; the rest were local', () => {
    const s = setup()
    const r = s.open()
    for (let i = 0; i < 5; i++) r.observe(req('turbo', 'hit'))
    // The layer answered twice with a hit (counted when served, after the chain's checks).
    r.layerRequest('s3', 'get', 'hit', 0.02)
    r.layerServed('s3')
    r.layerRequest('s3', 'get', 'hit', 0.04)
    r.layerServed('s3')
    r.layerRequest('s3', 'get', 'miss', 0.01)
    r.layerRequest('s3', 'put', 'error')
    r.layerBytes('s3', 'in', 2048)
    r.peer('alice-laptop', { hits: 1, bytesIn: 4096 })
    const rep = r.report(0)
    assert.deepEqual(rep.layers.map((l) => [l.layer, l.hits]), [['local', 3], ['s3', 2]])
    assert.equal(rep.layers[1]?.errors, 1)
    assert.equal(rep.layers[1]?.bytesIn, 2048)
    assert.deepEqual(rep.peers, [{ peer: 'alice-laptop', hits: 1, bytesIn: 4096, bytesOut: 0 }])
    assert.ok(r.layerLatency().s3! > 0)
    const text = statsLines(rep, [{ layer: 's3', entries: 3, bytes: 300 }]).join('\n')
    assert.match(text, /turbo\s+5\s+5\s+0\s+0\s+100\.0%/)
    assert.match(text, /s3\s+2\s+40\.0%/)
    assert.match(text, /upload queue s3: 3 entries/)
    assert.match(text, /alice-laptop/)
    r.close()
    s.cleanup()
  })

  it('keeps the last requests for the dashboard, newest first', () => {
    const s = setup()
    const r = s.open()
    for (let i = 0; i < 100; i++) r.observe(req('metro', 'hit', { bytesOut: i }))
    const recent = r.recent(3)
    assert.deepEqual(recent.map((x) => x.bytes), [99, 98, 97])
    r.close()
    s.cleanup()
  })

  it('rejects a malformed --since', () => {
    assert.throws(() => parseSince('yesterday'), /expected a number and a unit/)
    assert.equal(parseSince('7d'), 7 * DAY)
  })
})

describe('time saved by a Bazel action-cache hit', () => {
  it('is the worker time in the ActionResult execution_metadata, or nothing when it is absent or odd', async () => {
    const { executionMs } = await import('../../../src/grpc/reapi/saved-time.js')
    type Result = Parameters<typeof executionMs>[0]
    const ts = (s: number, ns = 0) => ({ seconds: String(s), nanos: ns })
    const result = (start: unknown, end: unknown) => ({ execution_metadata: { worker_start_timestamp: start, worker_completed_timestamp: end } }) as unknown as Result
    assert.equal(executionMs(result(ts(1_700_000_000, 250_000_000), ts(1_700_000_012, 750_000_000))), 12_500)
    assert.equal(executionMs(result(null, ts(5))), undefined)
    assert.equal(executionMs(result(ts(10), ts(5))), undefined)
    assert.equal(executionMs({ execution_metadata: null } as unknown as Result), undefined)
  })
})

describe('top teammates', () => {
  it('adds what each peer exchanged since the last sample, ranked by bytes', async () => {
    const { samplePeers } = await import('../../../src/stats/open.js')
    const r = new StatsRecorder({ retentionMs: DAY })
    const totals = [{ name: 'alice', bytesIn: 1000, bytesOut: 0, hits: 0 }, { name: 'bob', bytesIn: 10, bytesOut: 5, hits: 0 }]
    const sampler = samplePeers(r, () => totals.map((p) => ({ ...p })), 60_000)
    sampler.stop() // samples once
    totals[1]!.bytesIn = 5010
    samplePeers(r, () => totals.map((p) => ({ ...p })), 60_000).stop() // a fresh sampler counts totals from zero
    const rep = r.report(0)
    assert.deepEqual(rep.peers.map((p) => p.peer), ['bob', 'alice'])
    assert.equal(rep.peers[0]?.bytesIn, 5020)
    r.close()
  })
  it('adds the hits each peer served since the last sample, not its running total again', async () => {
    const { samplePeers } = await import('../../../src/stats/open.js')
    const r = new StatsRecorder({ retentionMs: DAY })
    const carol = { name: 'carol', bytesIn: 4000, bytesOut: 0, hits: 3 }
    const sampler = samplePeers(r, () => [{ ...carol }], 10)
    try {
      await until('the first sample', () => r.report(0).peers[0]?.hits === 3)
      carol.hits = 5
      await until('the next sample', () => r.report(0).peers[0]?.hits === 5)
    } finally {
      sampler.stop()
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(r.report(0).peers[0]?.hits, 5, 'unchanged totals add nothing')
    r.close()
  })
})
