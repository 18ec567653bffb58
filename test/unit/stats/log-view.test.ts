import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { LEVELS, showLine } from '../../../src/daemon/log-view.js'

describe('fabrik daemon logs formatting', () => {
  const request = JSON.stringify({ level: 20, time: '2026-12-01T10:00:01.250Z', pid: 1, component: 'http', tool: 'turbo', method: 'GET', url: '/v8/artifacts/0123456789abcdef0123?slug=t', status: 200, outcome: 'hit', ms: 3, bytes: 2048, msg: 'cache request' })
  const summary = JSON.stringify({ level: 30, time: '2026-12-01T10:01:00.000Z', pid: 1, component: 'stats', tool: 'bazel', requests: 5000, hits: 4000, misses: 10, errors: 0, bytes_in: 0, bytes_out: 1048576, saved_ms: 90_000, period_s: 60, msg: 'requests summary' })
  const grpc = JSON.stringify({ level: 20, time: '2026-12-01T10:00:02.000Z', pid: 1, tool: 'bazel', service: 'ac', method: 'GetActionResult', outcome: 'miss', ms: 1, bytes: 0, msg: 'cache request' })

  it('prints a request as aligned columns: time, level, tool, op, key, layer, result, ms, bytes', () => {
    const line = showLine(request, 0, false)!
    assert.match(line, /^10:00:01\.250 DEBUG turbo {4}GET {6}0123456789abcde… {8}hit {12}3 {3}2\.0 KiB$/)
    assert.match(showLine(grpc, 0, false)!, /DEBUG bazel {4}GetActionResult .* miss/)
  })

  it('prints the per-tool summary line with hits/misses/errors, bytes and saved time', () => {
    assert.match(showLine(summary, 0, false)!, /INFO {2}bazel {4}summary .*4000h\/10m\/0e .*1\.0 MiB 5000 requests in 60 s, 90\.0 s saved/)
  })

  it('filters by level, passes raw JSON with --json and keeps non-JSON lines (a crash) in text mode', () => {
    assert.equal(showLine(request, LEVELS.info!, false), undefined)
    assert.equal(showLine(summary, LEVELS.info!, true), summary)
    assert.equal(showLine('Error: boom', 0, false), 'Error: boom')
    assert.equal(showLine('Error: boom', 0, true), undefined)
  })
})
