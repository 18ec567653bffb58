import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { VerifyingStream } from '../../../src/p2p/verify.js'
import { sha } from '../store/helpers.js'

const tick = () => new Promise((r) => setImmediate(r))

describe('p2p verification while streaming', () => {
  const bytes = Buffer.from('abcdefghijklmnopqrstuvwxyz')

  function stream(offset?: number, length?: number) {
    const failures: string[] = []
    const v = new VerifyingStream(bytes.length, sha(bytes), (r) => failures.push(r), () => undefined, offset, length)
    const got: Buffer[] = []
    v.on('data', (c: Buffer) => got.push(c))
    v.on('error', () => undefined)
    return { v, failures, out: () => Buffer.concat(got).toString() }
  }

  it('hands on each piece at once except the one completing the range, which waits for the digest', async () => {
    const { v, out } = stream()
    v.write(bytes.subarray(0, 10))
    await tick()
    assert.equal(out(), 'abcdefghij')
    v.write(bytes.subarray(10))
    await tick()
    assert.equal(out(), 'abcdefghij', 'the completing piece is held')
    v.end()
    await new Promise((r) => v.once('end', r))
    assert.equal(out(), bytes.toString())
  })

  it('holds the end of a range until the whole entry is verified, and withholds it when the digest is wrong', async () => {
    const { v, out, failures } = stream(5, 10)
    v.write(bytes.subarray(0, 8))
    v.write(bytes.subarray(8, 20))
    await tick()
    assert.equal(out(), 'fgh', 'the range\'s end (ijklmno) waits')
    const bad = Buffer.from(bytes.subarray(20))
    bad[0]! ^= 1
    v.end(bad)
    await new Promise((r) => v.once('error', r))
    assert.equal(out(), 'fgh')
    assert.deepEqual(failures, ['digest'])
  })
})
