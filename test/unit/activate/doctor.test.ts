import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { runDoctor } from '../../../src/doctor/run.js'
import type { Check } from '../../../src/doctor/types.js'

describe('doctor runner', () => {
  it('with --fix applies a fixable failure and reports the state after it', async () => {
    let fixed = false
    const checks: Check[] = [
      { name: 'a', run: () => ({ name: 'a', ok: true, message: 'fine', fixable: false }) },
      {
        name: 'b',
        run: () => ({ name: 'b', ok: fixed, message: fixed ? 'now fine' : 'broken', fix: 'do it', fixable: true }),
        apply: () => {
          fixed = true
          return 'did it'
        },
      },
    ]
    const dry = await runDoctor(checks, { fix: false })
    assert.equal(dry.ok, false)
    assert.equal(fixed, false, 'nothing is changed without --fix')
    const report = await runDoctor(checks, { fix: true })
    assert.equal(report.ok, true)
    assert.equal(report.checks[1]?.fixed, 'did it')
    assert.equal(report.checks[1]?.message, 'now fine')
  })

  it('a failure that cannot be fixed keeps the report failing, and a failing fix is reported', async () => {
    const report = await runDoctor(
      [
        { name: 'x', run: () => ({ name: 'x', ok: false, message: 'no', fix: 'manual', fixable: false }), apply: () => 'never' },
        { name: 'y', run: () => ({ name: 'y', ok: false, message: 'no', fixable: true }), apply: () => { throw new Error('disk full') } },
      ],
      { fix: true },
    )
    assert.equal(report.ok, false)
    assert.equal(report.checks[0]?.fixed, undefined)
    assert.equal(report.checks[1]?.fixError, 'disk full')
  })
})
