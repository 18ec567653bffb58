import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, it } from 'node:test'
import { Verifier, implausible } from '../../../src/layers/verify.js'
import { sha } from '../store/helpers.js'

/** Runs `chunks` through a Verifier expecting `bytes`; returns what came out before the end or the error. */
async function through(chunks: Buffer[], bytes: Buffer, idleMs = 1000): Promise<{ out: Buffer; error?: Error }> {
  const v = new Verifier({ size: bytes.length, sha256: sha(bytes) }, { idleMs })
  const got: Buffer[] = []
  try {
    await pipeline(Readable.from(chunks), v, async (source: AsyncIterable<Buffer>) => {
      for await (const c of source) got.push(c)
    })
    return { out: Buffer.concat(got) }
  } catch (error) {
    return { out: Buffer.concat(got), error: error as Error }
  }
}

describe('layer verification', () => {
  const bytes = Buffer.from('abcdefghijklmnopqrstuvwxyz')
  const parts = (b: Buffer) => [b.subarray(0, 10), b.subarray(10, 20), b.subarray(20)]

  it('passes a body that matches its recorded size and digest', async () => {
    const { out, error } = await through(parts(bytes), bytes)
    assert.equal(error, undefined)
    assert.ok(out.equals(bytes))
  })

  it('holds back the last chunk of a wrong body, so a reader never receives it whole', async () => {
    const bad = Buffer.from(bytes)
    bad[25] = 0x21
    const { out, error } = await through(parts(bad), bytes)
    assert.match(String(error), /hash/)
    assert.ok(out.length < bytes.length, `${out.length} bytes got through`)
  })

  it('passes every chunk but the one that completes the body at once (a large entry\'s first byte does not wait)', async () => {
    const v = new Verifier({ size: bytes.length, sha256: sha(bytes) }, { idleMs: 1000 })
    const got: Buffer[] = []
    v.on('data', (c: Buffer) => got.push(c))
    const [a, b, c] = parts(bytes) as [Buffer, Buffer, Buffer]
    v.write(a)
    await new Promise((r) => setImmediate(r))
    assert.deepEqual(Buffer.concat(got).toString(), 'abcdefghij', 'the first chunk is out before the second arrives')
    v.write(b)
    v.write(c)
    await new Promise((r) => setImmediate(r))
    assert.equal(Buffer.concat(got).length, 20, 'the completing chunk waits for the end')
    v.end()
    await new Promise((r) => v.once('end', r))
    assert.ok(Buffer.concat(got).equals(bytes))
  })

  it('fails a short body and a long one', async () => {
    assert.match(String((await through([bytes.subarray(0, 20)], bytes)).error), /sent 20 of the 26 bytes recorded/)
    assert.match(String((await through([bytes, Buffer.from('!')], bytes)).error), /more than the 26 bytes recorded/)
  })

  it('fails a body that falls silent for longer than the idle limit', async () => {
    const v = new Verifier({ size: 10, sha256: sha('0123456789') }, { idleMs: 50 })
    const src = new Readable({ read() {} })
    src.push(Buffer.from('01234'))
    await assert.rejects(pipeline(src, v, async (s: AsyncIterable<Buffer>) => { for await (const _ of s) void _ }), /sent nothing for 50 ms/)
  })

  it('refuses what a layer claims before reading it: no digest, a bad size, a content-addressed key that is not the digest', () => {
    assert.match(implausible('nx', 'k', { size: 3, sha256: '' })!, /no SHA-256/)
    assert.match(implausible('nx', 'k', { size: -1, sha256: sha('x') })!, /size/)
    assert.match(implausible('cas', sha('a'), { size: 1, sha256: sha('b') })!, /not the key/)
    assert.equal(implausible('cas', sha('a'), { size: 1, sha256: sha('a') }), undefined)
  })

  it('with digestChecked (the sender hashed already) checks sizes only: no second hash of every byte', async () => {
    const other = Buffer.alloc(bytes.length, 0x21)
    const pass = async (chunks: Buffer[]) => {
      const v = new Verifier({ size: bytes.length, sha256: sha(bytes) }, { digestChecked: true })
      const got: Buffer[] = []
      await pipeline(Readable.from(chunks), v, async (source: AsyncIterable<Buffer>) => {
        for await (const c of source) got.push(c)
      })
      return Buffer.concat(got)
    }
    assert.ok((await pass([other])).equals(other), 'bytes of the right size go through unhashed')
    await assert.rejects(pass([other.subarray(0, 20)]), /sent 20 of the 26 bytes recorded/)
    await assert.rejects(pass([other, Buffer.from('!')]), /more than the 26 bytes recorded/)
  })

  describe('a range of the entry (the P2P layer fetches whole entries and serves the part asked for)', () => {
    const tick = () => new Promise((r) => setImmediate(r))

    function ranged(offset?: number, length?: number) {
      const failures: string[] = []
      const verified: number[] = []
      const v = new Verifier({ size: bytes.length, sha256: sha(bytes) }, {
        from: 'a peer', offset, length, onFailure: (r) => failures.push(r), onVerified: (n) => verified.push(n),
      })
      const got: Buffer[] = []
      v.on('data', (c: Buffer) => got.push(c))
      v.on('error', () => undefined)
      return { v, failures, verified, out: () => Buffer.concat(got).toString() }
    }

    it('hands on each piece at once except the one completing the range, which waits for the digest', async () => {
      const { v, out, verified } = ranged()
      v.write(bytes.subarray(0, 10))
      await tick()
      assert.equal(out(), 'abcdefghij')
      v.write(bytes.subarray(10))
      await tick()
      assert.equal(out(), 'abcdefghij', 'the completing piece is held')
      v.end()
      await new Promise((r) => v.once('end', r))
      assert.equal(out(), bytes.toString())
      assert.deepEqual(verified, [26])
    })

    it('holds the end of a range until the whole entry is verified, and withholds it when the digest is wrong', async () => {
      const { v, out, failures, verified } = ranged(5, 10)
      v.write(bytes.subarray(0, 8))
      v.write(bytes.subarray(8, 20))
      await tick()
      assert.equal(out(), 'fgh', 'the range\'s end (ijklmno) waits')
      const bad = Buffer.from(bytes.subarray(20))
      bad[0]! ^= 1
      v.end(bad)
      const err = await new Promise<Error>((r) => v.once('error', r))
      assert.match(err.message, /bytes from a peer do not match the SHA-256 recorded/)
      assert.equal(out(), 'fgh')
      assert.deepEqual(failures, ['digest'])
      assert.deepEqual(verified, [])
    })

    it('reports too many bytes as a size failure at once', async () => {
      const { v, failures } = ranged(0, 5)
      v.write(Buffer.concat([bytes, Buffer.from('!')]))
      const err = await new Promise<Error>((r) => v.once('error', r))
      assert.match(err.message, /a peer sent more than the 26 bytes recorded/)
      assert.deepEqual(failures, ['size'])
    })
  })
})
