import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readdir, truncate, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { isFabrikError } from '../../../src/errors/registry.js'
import { EMPTY_SHA256 } from '../../../src/store/keys.js'
import type { LocalStore } from '../../../src/store/local/store.js'
import { readResult } from '../../../src/store/result.js'
import { blobFiles, collect, fileRows, open, random, sha, tempDir } from './helpers.js'

const code = (c: string) => (err: unknown) => isFabrikError(err) && err.code === c

describe('local store: reads and writes', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let store: LocalStore
  before(async () => {
    ;({ dir, cleanup } = await tempDir())
    store = open(dir)
  })
  after(async () => {
    await store.close()
    await cleanup()
  })

  async function assertNothingStored(ns: string, key: string) {
    assert.equal(await store.has(ns, key), false)
    assert.deepEqual(await readdir(join(dir, 'tmp')), [])
  }

  it('returns exactly the bytes it stored, with their size and SHA-256', async () => {
    const data = random(100_000)
    const put = await store.put('t', 'round', data)
    assert.deepEqual(put, { size: data.length, sha256: sha(data), created: true })
    const got = await store.get('t', 'round')
    assert.ok(got)
    assert.equal(got.size, data.length)
    assert.equal(got.sha256, sha(data))
    assert.ok((await collect(got.stream)).equals(data))
  })

  it('stores a streamed body and keeps its metadata', async () => {
    const parts = [random(10), random(70_000), random(3)]
    await store.put('t', 'streamed', Readable.from(parts), { meta: { tag: 'x1', duration: '42' } })
    const st = await store.stat('t', 'streamed')
    assert.equal(st?.size, 70_013)
    assert.deepEqual(st?.meta, { tag: 'x1', duration: '42' })
    assert.ok((await collect((await store.get('t', 'streamed'))!.stream)).equals(Buffer.concat(parts)))
  })

  it('stores and returns an empty blob', async () => {
    const put = await store.put('cas', EMPTY_SHA256, Buffer.alloc(0), { sha256: EMPTY_SHA256, size: 0 })
    assert.deepEqual(put, { size: 0, sha256: EMPTY_SHA256, created: true })
    assert.equal((await collect((await store.get('cas', EMPTY_SHA256))!.stream)).length, 0)
  })

  it('keeps namespaces apart: a key written in one is a miss in another', async () => {
    await store.put('turbo.team', 'same-key', Buffer.from('turbo'))
    await store.put('nx', 'same-key', Buffer.from('nx'))
    assert.equal((await collect((await store.get('turbo.team', 'same-key'))!.stream)).toString(), 'turbo')
    assert.equal((await collect((await store.get('nx', 'same-key'))!.stream)).toString(), 'nx')
    assert.equal(await store.has('gradle', 'same-key'), false)
    assert.equal(await store.get('gradle', 'same-key'), undefined)
  })

  it('rejects keys and namespaces that could escape or collide', async () => {
    for (const key of ['../x', 'a/b', '', 'a\\b', 'x'.repeat(257), 'a..b', 'sp ace']) {
      await assert.rejects(store.put('t', key, Buffer.from('x')), code('INVALID_KEY'), key)
      await assert.rejects(store.get('t', key), code('INVALID_KEY'), key)
      await assert.rejects(store.has('t', key), code('INVALID_KEY'), key)
    }
    for (const ns of ['', 'a/b', '..', 'n s']) {
      await assert.rejects(store.put(ns, 'k', Buffer.from('x')), code('INVALID_NAMESPACE'), ns)
    }
    assert.throws(() => store.list({ prefix: '../' }), code('INVALID_KEY'))
  })

  it('refuses a content-addressed put whose bytes do not match the digest, storing nothing', async () => {
    const files = await blobFiles(join(dir, 'blobs'))
    await assert.rejects(store.put('cas', sha('other'), Buffer.from('bytes'), { sha256: sha('other') }), code('DIGEST_MISMATCH'))
    await assertNothingStored('cas', sha('other'))
    assert.deepEqual(await blobFiles(join(dir, 'blobs')), files)
  })

  it('refuses a body longer or shorter than its declared size, storing nothing', async () => {
    await assert.rejects(store.put('t', 'long', Buffer.alloc(11), { size: 10 }), code('SIZE_MISMATCH'))
    await assertNothingStored('t', 'long')
    await assert.rejects(store.put('t', 'short', Buffer.alloc(9), { size: 10 }), code('SIZE_MISMATCH'))
    await assertNothingStored('t', 'short')
  })

  it('reads a range starting at an offset, clamped to the blob', async () => {
    const data = random(50_000)
    await store.put('t', 'ranged', data)
    const read = async (offset?: number, length?: number) =>
      collect((await store.get('t', 'ranged', { offset, length }))!.stream)
    assert.ok((await read(1000, 500)).equals(data.subarray(1000, 1500)))
    assert.ok((await read(49_990)).equals(data.subarray(49_990)))
    assert.ok((await read(10, 1_000_000)).equals(data.subarray(10)))
    assert.equal((await read(60_000)).length, 0)
    assert.equal((await read(5, 0)).length, 0)
    await assert.rejects(store.get('t', 'ranged', { offset: -1 }), code('INVALID_REQUEST'))
  })

  it('overwrites by default, refuses with overwrite:false, and leaves one file per entry', async () => {
    await store.put('ow', 'k', Buffer.from('one'))
    const second = await store.put('ow', 'k', Buffer.from('two'))
    assert.equal(second.created, true)
    assert.equal((await collect((await store.get('ow', 'k'))!.stream)).toString(), 'two')
    await assert.rejects(store.put('ow', 'k', Buffer.from('three'), { overwrite: false }), code('ALREADY_EXISTS'))
    assert.equal((await collect((await store.get('ow', 'k'))!.stream)).toString(), 'two')
    assert.equal(store.stats().byNamespace.ow?.entries, 1)
    assert.deepEqual(await blobFiles(join(dir, 'blobs')), fileRows(dir))
  })

  it('treats a second content-addressed put of the same bytes as a no-op (created: false)', async () => {
    const data = Buffer.from('content addressed')
    const first = await store.put('cas', sha(data), data, { sha256: sha(data) })
    const before = await store.stat('cas', sha(data))
    const again = await store.put('cas', sha(data), Readable.from([data]), { sha256: sha(data), size: data.length })
    assert.equal(first.created, true)
    assert.equal(again.created, false)
    assert.equal((await store.stat('cas', sha(data)))?.createdAt, before?.createdAt)
  })

  it('lets exactly one of many concurrent identical content-addressed puts create the entry', async () => {
    const data = random(30_000)
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.put('cas', sha(data), Readable.from([data]), { sha256: sha(data) })),
    )
    assert.equal(results.filter((r) => r.created).length, 1)
    assert.deepEqual(await blobFiles(join(dir, 'blobs')), fileRows(dir))
  })

  it('keeps one complete value when concurrent puts race on one key', async () => {
    const bodies = Array.from({ length: 8 }, () => random(20_000 + Math.floor(Math.random() * 20_000)))
    await Promise.all(bodies.map((b) => store.put('race', 'k', Readable.from([b.subarray(0, 7000), b.subarray(7000)]))))
    const got = await store.get('race', 'k')
    const bytes = await collect(got!.stream)
    assert.equal(sha(bytes), got!.sha256)
    assert.ok(bodies.some((b) => b.equals(bytes)))
    assert.deepEqual(await blobFiles(join(dir, 'blobs')), fileRows(dir))
  })

  it('reads a file-backed range into the caller\'s buffers, chunk by chunk', async () => {
    const data = random(300_000)
    await store.put('t', 'into', data)
    const got = await store.get('t', 'into', { offset: 1000, length: 250_000 })
    assert.ok(got?.reader, 'a blob in a file offers a reader')
    const out = Buffer.alloc(250_010)
    let at = 5
    while (got.reader.remaining > 0) at += await got.reader.read(out, at, 100_000)
    assert.equal(at, 250_005)
    assert.ok(out.subarray(5, at).equals(data.subarray(1000, 251_000)))
    assert.equal(await got.reader.read(out, 0, 10), 0, 'nothing past the range')
    await got.reader.close()
    await got.reader.close() // idempotent
    await assert.rejects(got.reader.read(out, 0, 1), /closed/)
    assert.throws(() => got.stream, /reader/, 'one way of reading per result')
  })

  it('reports a blob file shorter than its index row by the bytes it could read', async () => {
    const data = random(300_000)
    const before = new Set(fileRows(dir))
    await store.put('t', 'short', data)
    const [file] = fileRows(dir).filter((f) => !before.has(f))
    const got = await store.get('t', 'short')
    await truncate(join(dir, 'blobs', file!), 1000)
    const out = Buffer.alloc(data.length)
    assert.equal(await got!.reader!.read(out, 0, data.length), 1000)
    await got!.reader!.close()
    await assert.rejects(readResult((await store.get('t', 'short'))!), code('STORE_IO'), 'a whole read says the entry is damaged')
  })

  it('fails a read whose blob file was replaced by a FIFO instead of blocking in open', { timeout: 10_000 }, async () => {
    // get() opens blob files synchronously on the event loop (store.ts): a plain open of a FIFO would wait there for
    // a writer, and the whole daemon with it.
    const data = random(300_000)
    const before = new Set(fileRows(dir))
    await store.put('t', 'fifo', data)
    const [file] = fileRows(dir).filter((f) => !before.has(f))
    await unlink(join(dir, 'blobs', file!))
    execFileSync('mkfifo', [join(dir, 'blobs', file!)])
    const got = await store.get('t', 'fifo')
    assert.ok(got, 'the row is still there')
    await assert.rejects(readResult(got), code('STORE_IO'))
    await unlink(join(dir, 'blobs', file!))
  })

  it('reads a whole file-backed entry into one buffer, ranges included', async () => {
    const data = random(200_000)
    await store.put('t', 'whole', data)
    assert.ok((await readResult((await store.get('t', 'whole'))!)).equals(data))
    assert.ok((await readResult((await store.get('t', 'whole', { offset: 5, length: 70_000 }))!)).equals(data.subarray(5, 70_005)))
    assert.equal((await readResult((await store.get('t', 'whole', { offset: 200_000 }))!)).length, 0)
  })

  it('keeps an open read stream readable after the entry is deleted or overwritten', async () => {
    const data = random(300_000)
    await store.put('t', 'held', data)
    const a = await store.get('t', 'held')
    await store.put('t', 'held', Buffer.from('replacement'))
    const b = await store.get('t', 'held')
    await store.delete('t', 'held')
    assert.ok((await collect(a!.stream)).equals(data))
    assert.equal((await collect(b!.stream)).toString(), 'replacement')
    assert.equal(await store.get('t', 'held'), undefined)
  })

  it('leaves nothing behind when a put is aborted mid-stream', async () => {
    const ac = new AbortController()
    async function* body() {
      yield random(64 * 1024)
      ac.abort()
      await new Promise((r) => setTimeout(r, 10))
      yield random(64 * 1024)
    }
    await assert.rejects(store.put('t', 'aborted', Readable.from(body()), { signal: ac.signal }), code('ABORTED'))
    await assertNothingStored('t', 'aborted')
  })

  it('leaves nothing behind when the body fails', async () => {
    async function* body() {
      yield random(1000)
      throw new Error('client went away')
    }
    await assert.rejects(store.put('t', 'broken', Readable.from(body())))
    await assertNothingStored('t', 'broken')
  })

  it('deletes: true when something was removed, false on a miss', async () => {
    await store.put('t', 'gone', Buffer.from('x'))
    assert.equal(await store.delete('t', 'gone'), true)
    assert.equal(await store.delete('t', 'gone'), false)
    assert.equal(await store.has('t', 'gone'), false)
  })

  it('lists by namespace and prefix, and counts entries per namespace', async () => {
    await store.put('ls', 'apple', Buffer.from('1'))
    await store.put('ls', 'apricot', Buffer.from('22'))
    await store.put('ls', 'banana', Buffer.from('333'))
    assert.deepEqual(store.list({ ns: 'ls', prefix: 'ap' }).map((e) => e.key), ['apple', 'apricot'])
    assert.deepEqual(store.list({ ns: 'ls', limit: 1 }).map((e) => e.key), ['apple'])
    assert.deepEqual(store.stats().byNamespace.ls, { entries: 3, bytes: 6 })
    const s = store.stats()
    assert.equal(s.entries, Object.values(s.byNamespace).reduce((n, x) => n + x.entries, 0))
  })
})

describe('local store: limits and lifecycle', () => {
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => ({ dir, cleanup } = await tempDir()))
  after(() => cleanup())

  it('refuses a blob larger than max_size, naming both sizes, and stores nothing', async () => {
    const store = open(dir, { maxSize: 1000 })
    try {
      await assert.rejects(store.put('t', 'big', Buffer.alloc(1001), { size: 1001 }), (err: unknown) => {
        assert.ok(isFabrikError(err, 'BLOB_TOO_LARGE'))
        assert.match(err.message, /1001 bytes/)
        assert.match(err.message, /1000 bytes/)
        return true
      })
      // Undeclared size: refused as soon as the stream grows past the limit.
      await assert.rejects(store.put('t', 'big', Readable.from([Buffer.alloc(600), Buffer.alloc(600)])), code('BLOB_TOO_LARGE'))
      assert.equal(await store.has('t', 'big'), false)
      assert.deepEqual(await readdir(join(dir, 'tmp')), [])
      assert.equal(store.stats().bytes, 0)
    } finally {
      await store.close()
    }
  })

  it('keeps entries across close and reopen', async () => {
    const a = open(dir)
    await a.put('p', 'k', Buffer.from('persisted'))
    await a.close()
    const b = open(dir)
    try {
      assert.equal((await collect((await b.get('p', 'k'))!.stream)).toString(), 'persisted')
    } finally {
      await b.close()
    }
  })

  it('fails clearly once closed', async () => {
    const s = open(dir)
    await s.close()
    await assert.rejects(s.has('p', 'k'), code('STORE_IO'))
  })
})
