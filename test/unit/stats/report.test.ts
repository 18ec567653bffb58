import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { buildReport } from '../../../src/stats/report.js'
import { statsLines } from '../../../src/stats/text.js'
import { zeroCounts } from '../../../src/stats/types.js'

const HOUR = 3_600_000

describe('stats report window', () => {
  it('starts at the top of the first hour it includes, not at the instant asked for', () => {
    // Figures are per hour: asking for "since 12:40" includes the whole 12:00 hour's row.
    const top = Date.UTC(2026, 0, 10, 12, 0, 0)
    const sinceMs = top + 40 * 60_000 + 7_000
    const rows = [{ hour: top / HOUR, tool: 'nx', layer: '', peer: '', ...zeroCounts(), requests: 1, hits: 1 }]
    const rep = buildReport(rows, sinceMs, top + 2 * HOUR)
    assert.equal(rep.since, '2026-01-10T12:00:00.000Z')
    assert.match(statsLines(rep).join('\n'), /Since 2026-01-10 12:00 UTC/)
  })
})
