import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, it } from 'node:test'
import { pino } from 'pino'
import type { ActionResult__Output } from '../../../src/generated/build/bazel/remote/execution/v2/ActionResult.js'
import { loadConfig } from '../../../src/config/load.js'
import { isFabrikError } from '../../../src/errors/registry.js'
import { createMetrics } from '../../../src/metrics/metrics.js'
import { RequestLog } from '../../../src/metrics/request-log.js'
import { digestOf, rpc, startServer } from '../grpc/helpers.js'
import { makeApp } from './helpers.js'

// `[observability] request_log`: per-request `cache request` lines at info, sampled so a burst of requests (a
// Bazel build) writes a bounded number of lines; the minute's summary still counts every request.

function capture() {
  const lines: Record<string, unknown>[] = []
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>)
      cb()
    },
  })
  return { lines, logger: pino({ level: 'info' }, sink), requests: () => lines.filter((l) => l.msg === 'cache request') }
}

describe('request log sampling', () => {
  it('sample:N writes at most N lines per second and says how many it left out', () => {
    const log = new RequestLog('sample:5')
    const written: number[] = []
    // 1,000 requests in the first second, then one more in the next.
    for (let i = 0; i < 1000; i++) {
      const skipped = log.take(i)
      if (skipped !== undefined) written.push(skipped)
    }
    assert.deepEqual(written, [0, 0, 0, 0, 0])
    assert.equal(log.take(1000), 995)
    assert.equal(new RequestLog('summary').take(0), undefined)
    const all = new RequestLog('all')
    for (let i = 0; i < 1000; i++) assert.equal(all.take(0), 0)
  })

  it('bounds the HTTP request lines of a burst at info', async (t) => {
    const c = capture()
    const { app } = await makeApp({ logger: c.logger, metrics: createMetrics({ defaultMetrics: false, requestLog: 'sample:5' }) })
    t.after(() => app.close())
    const started = performance.now()
    await Promise.all(Array.from({ length: 300 }, (_, i) => app.inject({ method: 'GET', url: `/v1/cache/missing${i}` })))
    const seconds = Math.ceil((performance.now() - started) / 1000)
    const lines = c.requests()
    assert.ok(lines.length >= 5, `expected some lines, got ${lines.length}`)
    // Each second started allows 5; a slow machine may spread the burst over more of them.
    assert.ok(lines.length <= 5 * (seconds + 1), `${lines.length} lines for 300 requests in ${seconds} s`)
    assert.ok(lines.every((l) => l.level === 30 && l.tool === 'nx' && l.outcome === 'miss'))
  })

  it('summary writes no request line at info; all writes one per request', async (t) => {
    for (const [setting, expected] of [['summary', 0], ['all', 20]] as const) {
      const c = capture()
      const { app } = await makeApp({ logger: c.logger, metrics: createMetrics({ defaultMetrics: false, requestLog: setting }) })
      t.after(() => app.close())
      for (let i = 0; i < 20; i++) await app.inject({ method: 'GET', url: `/v1/cache/k${i}` })
      assert.equal(c.requests().length, expected, setting)
    }
  })

  it('gRPC request lines carry the digest as key', async (t) => {
    const c = capture()
    const h = await startServer({ logger: c.logger, metrics: createMetrics({ defaultMetrics: false, requestLog: 'all' }) })
    t.after(() => h.close())
    const action_digest = digestOf('logged action')
    await rpc<ActionResult__Output>((cb) => h.clients.ac.UpdateActionResult({ action_digest, action_result: { exit_code: 0 } }, cb))
    await rpc<ActionResult__Output>((cb) => h.clients.ac.GetActionResult({ action_digest }, cb))
    const lines = c.requests()
    assert.deepEqual(lines.map((l) => [l.method, l.key, l.outcome]), [
      ['UpdateActionResult', action_digest.hash, 'stored'],
      ['GetActionResult', action_digest.hash, 'hit'],
    ])
  })

  it('is configured by [observability] request_log, sampled by default, and refuses anything else', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'fabrik-request-log-'))
    t.after(() => rm(dir, { recursive: true, force: true }))
    const load = async (toml: string) => {
      await writeFile(join(dir, 'fabrik.toml'), toml)
      return (await loadConfig({ cwd: dir, env: {}, flags: {} })).config
    }
    assert.equal((await load('')).observability.request_log, 'sample:5')
    assert.equal((await load('[observability]\nrequest_log = "all"\n')).observability.request_log, 'all')
    assert.equal((await load('[observability]\nrequest_log = "sample:50"\n')).observability.request_log, 'sample:50')
    for (const bad of ['"sample:0"', '"sample"', '"every"', '5']) {
      await assert.rejects(load(`[observability]\nrequest_log = ${bad}\n`), (err) => isFabrikError(err, 'CONFIG_INVALID') && /request_log/.test(err.message))
    }
  })
})
