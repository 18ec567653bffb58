import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { judgeFlat } from '../../../bench/flatness.js'

// The soak bench's verdict: a run whose final window sits above the warm-up window by more than the limit fails.

describe('soak flatness judgement', () => {
  const rss = { fraction: 0.1, absolute: 16 }
  it('passes a curve that wobbles around its warm-up level, and ignores one spike in the final window', () => {
    const v = judgeFlat([120, 124, 119, 122, 121, 130, 118, 125, 123, 200, 121, 122], rss)
    assert.equal(v.warm, 121)
    assert.equal(v.final, 123)
    assert.equal(v.flat, true)
  })
  it('fails a steady climb beyond max(10%, 16 MiB) and a leak of file descriptors', () => {
    const climb = Array.from({ length: 40 }, (_, i) => 200 + i * 2)
    assert.equal(judgeFlat(climb, rss).flat, false)
    assert.equal(judgeFlat([40, 41, 40, 40, 41, 50, 51, 52, 53, 54], { fraction: 0, absolute: 8 }).flat, false)
  })
  it('does not call too few samples flat', () => {
    assert.equal(judgeFlat([100], rss).flat, false)
  })
})
