import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { formatDuration, formatSize, parseDuration, parseSize } from '../../../src/config/units.js'

describe('parseSize', () => {
  it('reads every unit as a power of 1024, like upstream Fabrik', () => {
    assert.equal(parseSize('5GB'), 5 * 1024 ** 3)
    assert.equal(parseSize('1TB'), 1024 ** 4)
    assert.equal(parseSize('100MB'), 100 * 1024 ** 2)
    assert.equal(parseSize('2KB'), 2048)
  })

  it('accepts plain bytes, lower case, short and binary spellings, spaces and decimals', () => {
    assert.equal(parseSize('1024'), 1024)
    assert.equal(parseSize(4096), 4096)
    assert.equal(parseSize('512B'), 512)
    assert.equal(parseSize('5gb'), 5 * 1024 ** 3)
    assert.equal(parseSize('5G'), 5 * 1024 ** 3)
    assert.equal(parseSize('5GiB'), 5 * 1024 ** 3)
    assert.equal(parseSize(' 1.5 MB '), 1.5 * 1024 ** 2)
  })

  it('refuses anything else with a message saying what a size looks like', () => {
    for (const bad of ['', 'GB', '5 XB', '-1GB', 'five', '5GB5', '1e3']) {
      assert.throws(() => parseSize(bad), /expected a size like "5GB"/, bad)
    }
    assert.throws(() => parseSize(-1), RangeError)
    assert.throws(() => parseSize(1.5), RangeError)
  })
})

describe('parseDuration', () => {
  it('reads d, h, m, s and ms into milliseconds', () => {
    assert.equal(parseDuration('30s'), 30_000)
    assert.equal(parseDuration('7d'), 7 * 86_400_000)
    assert.equal(parseDuration('5m'), 300_000)
    assert.equal(parseDuration('2h'), 7_200_000)
    assert.equal(parseDuration('250ms'), 250)
  })

  it('adds up compound durations and decimals', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000)
    assert.equal(parseDuration('1m30s500ms'), 90_500)
    assert.equal(parseDuration('1.5s'), 1500)
  })

  it('accepts zero without a unit but refuses other bare numbers and unknown units', () => {
    assert.equal(parseDuration('0'), 0)
    assert.equal(parseDuration(0), 0)
    for (const bad of ['30', '', 's', '5 minutes', '3w', '1h 30m', '-5s']) {
      assert.throws(() => parseDuration(bad), /expected a duration like "30s"/, bad)
    }
    assert.throws(() => parseDuration(30), RangeError)
  })
})

describe('formatting', () => {
  it('prints sizes in the largest unit reached', () => {
    assert.equal(formatSize(5 * 1024 ** 3), '5GB')
    assert.equal(formatSize(1536), '1.5KB')
    assert.equal(formatSize(100), '100B')
  })

  it('prints durations that parse back to the same value', () => {
    for (const ms of [0, 250, 30_000, 5_400_000, 7 * 86_400_000, 90_500]) {
      assert.equal(parseDuration(formatDuration(ms)), ms)
    }
    assert.equal(formatDuration(5_400_000), '1h30m')
  })
})
