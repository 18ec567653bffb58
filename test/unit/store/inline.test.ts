import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import Sqlite from 'better-sqlite3'
import { isFabrikError } from '../../../src/errors/registry.js'
import { EMPTY_SHA256 } from '../../../src/store/keys.js'
import type { LocalStore } from '../../../src/store/local/store.js'
import { blobFiles, collect, fileRows, inlineRows, open, random, sha, tempDir } from './helpers.js'

const code = (c: string) => (err: unknown) => isFabrikError(err) && err.code === c
const LIMIT = 1024

describe('local store: small blobs inline in the index', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-inline-')))
  after(() => cleanup())

  /** A fresh store keeping blobs of up to 1 KiB inline. */
  function fresh(over: Parameters<typeof open>[1] = {}): { store: LocalStore; dir: string } {
    const dir = join(root, `s${n++}`)
    return { store: open(dir, { inlineMaxBytes: LIMIT, ...over }), dir }
  }

  async function read(store: LocalStore, ns: string, key: string, range: { offset?: number; length?: number } = {}) {
    return collect((await store.get(ns, key, range))!.stream)
  }

  /** Index and blob folder agree, no temp file is left, and there are `inline` inline rows and `files` files. */
  async function assertKinds(dir: string, inline: number, files: number) {
    assert.deepEqual(await readdir(join(dir, 'tmp')), [])
    const onDisk = await blobFiles(join(dir, 'blobs'))
    assert.deepEqual(onDisk, fileRows(dir))
    assert.deepEqual({ inline: inlineRows(dir), files: onDisk.length }, { inline, files })
  }

  it('stores a blob within the limit in its index row, creating no file, and returns the same bytes', async () => {
    const { store, dir } = fresh()
    try {
      const data = random(LIMIT)
      assert.deepEqual(await store.put('i', 'k', data), { size: LIMIT, sha256: sha(data), created: true })
      await assertKinds(dir, 1, 0)
      const got = await store.get('i', 'k')
      assert.equal(got?.size, LIMIT)
      assert.equal(got?.sha256, sha(data))
      assert.equal(got?.stream.readableObjectMode, false)
      assert.ok((await collect(got!.stream)).equals(data))
      assert.equal((await store.stat('i', 'k'))?.size, LIMIT)
      assert.equal(await store.has('i', 'k'), true)
      assert.deepEqual(store.stats().byNamespace.i, { entries: 1, bytes: LIMIT })
      assert.deepEqual(store.list({ ns: 'i' }).map((e) => [e.key, e.size, e.sha256]), [['k', LIMIT, sha(data)]])
    } finally {
      await store.close()
    }
  })

  it('reads a range of an inline blob starting at an offset, clamped to the blob', async () => {
    const { store } = fresh()
    try {
      const data = random(900)
      await store.put('i', 'r', data)
      assert.ok((await read(store, 'i', 'r', { offset: 100, length: 50 })).equals(data.subarray(100, 150)))
      assert.ok((await read(store, 'i', 'r', { offset: 890 })).equals(data.subarray(890)))
      assert.ok((await read(store, 'i', 'r', { offset: 10, length: 10_000 })).equals(data.subarray(10)))
      assert.equal((await read(store, 'i', 'r', { offset: 5000 })).length, 0)
      assert.equal((await read(store, 'i', 'r', { offset: 3, length: 0 })).length, 0)
    } finally {
      await store.close()
    }
  })

  it('keeps a body of unknown size in memory up to the limit and spills it to a file once it grows past', async () => {
    const { store, dir } = fresh()
    try {
      const exact = random(LIMIT)
      await store.put('i', 'exact', Readable.from([exact.subarray(0, 600), exact.subarray(600)]))
      await assertKinds(dir, 1, 0)
      const over = random(3 * 600)
      await store.put('i', 'over', Readable.from([over.subarray(0, 600), over.subarray(600, 1200), over.subarray(1200)]))
      await assertKinds(dir, 1, 1)
      assert.ok((await read(store, 'i', 'exact')).equals(exact))
      assert.ok((await read(store, 'i', 'over')).equals(over))
      assert.ok((await read(store, 'i', 'over', { offset: 1000, length: 10 })).equals(over.subarray(1000, 1010)))
    } finally {
      await store.close()
    }
  })

  it('chooses by declared size: within the limit inline, above it a file, an empty blob inline', async () => {
    const { store, dir } = fresh()
    try {
      const small = random(LIMIT)
      const big = random(LIMIT + 1)
      await store.put('i', 'small', Readable.from([small]), { size: small.length })
      await store.put('i', 'big', Readable.from([big]), { size: big.length })
      await store.put('cas', EMPTY_SHA256, Buffer.alloc(0), { size: 0, sha256: EMPTY_SHA256 })
      await assertKinds(dir, 2, 1)
      assert.ok((await read(store, 'i', 'small')).equals(small))
      assert.ok((await read(store, 'i', 'big')).equals(big))
      assert.equal((await read(store, 'cas', EMPTY_SHA256)).length, 0)
    } finally {
      await store.close()
    }
  })

  it('stores every blob, even an empty one, as a file when inlineMaxBytes is 0', async () => {
    const { store, dir } = fresh({ inlineMaxBytes: 0 })
    try {
      await store.put('i', 'empty', Buffer.alloc(0))
      await store.put('i', 'tiny', Buffer.from('x'), { size: 1 })
      await assertKinds(dir, 0, 2)
      assert.equal((await read(store, 'i', 'tiny')).toString(), 'x')
    } finally {
      await store.close()
    }
  })

  it('overwrites inline with file and file with inline, leaving no orphan file or stale row', async () => {
    const { store, dir } = fresh()
    try {
      await store.put('i', 'k', Buffer.from('small one'))
      await assertKinds(dir, 1, 0)
      const big = random(5000)
      await store.put('i', 'k', big)
      await assertKinds(dir, 0, 1)
      assert.ok((await read(store, 'i', 'k')).equals(big))
      await store.put('i', 'k', Readable.from([Buffer.from('small '), Buffer.from('again')]))
      await assertKinds(dir, 1, 0)
      assert.equal((await read(store, 'i', 'k')).toString(), 'small again')
      assert.deepEqual(store.stats().byNamespace.i, { entries: 1, bytes: 11 })
      assert.equal(await store.delete('i', 'k'), true)
      await assertKinds(dir, 0, 0)
      assert.equal(store.stats().bytes, 0)
    } finally {
      await store.close()
    }
  })

  it('keeps an inline read stream readable after the entry is overwritten or deleted', async () => {
    const { store } = fresh()
    try {
      await store.put('i', 'held', Buffer.from('first'))
      const a = await store.get('i', 'held')
      await store.put('i', 'held', random(4000))
      await store.delete('i', 'held')
      assert.equal((await collect(a!.stream)).toString(), 'first')
    } finally {
      await store.close()
    }
  })

  it('counts inline bytes against max_size and evicts inline and file entries alike', async () => {
    const KB = 1000
    let t = 1
    const evicted: number[] = []
    const { store, dir } = fresh({ maxSize: 4 * KB, lowWatermark: 1, now: () => t, onEvict: (k) => evicted.push(k) })
    try {
      await store.put('e', 'inline-a', random(KB))
      t++
      await store.put('e', 'file-b', random(KB + 100))
      t++
      await store.put('e', 'inline-c', random(KB))
      t++
      await assertKinds(dir, 2, 1)
      assert.equal(store.stats().bytes, 3 * KB + 100)
      await store.put('e', 'inline-d', random(KB), { size: KB })
      t++
      await store.put('e', 'inline-e', random(KB), { size: KB })
      // lru: inline-a went for inline-d's room, file-b (and its file) for inline-e's.
      assert.deepEqual(store.list({ ns: 'e' }).map((e) => e.key), ['inline-c', 'inline-d', 'inline-e'])
      assert.equal(evicted.reduce((a, b) => a + b, 0), 2)
      assert.equal(store.stats().bytes, 3 * KB)
      await assertKinds(dir, 3, 0)
    } finally {
      await store.close()
    }
  })

  it('reads the usage total rarely while far below max_size, and keeps max_size exactly near it', async () => {
    const { store } = fresh({ maxSize: 100 * LIMIT, lowWatermark: 0.9 })
    const index = (store as unknown as { index: { usage(): { bytes: number } } }).index
    const real = index.usage.bind(index)
    let reads = 0
    index.usage = () => {
      reads++
      return real()
    }
    try {
      // Far below: one read stands for the puts that follow it (the estimate adds this process's own puts).
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.put('u', `far-${i}`, random(LIMIT))))
      assert.ok(reads <= 3, `read the total ${reads} times for 50 puts`)
      // Past 95% of max_size by the estimate, every put reads the total and evicts exactly as before.
      for (let i = 0; i < 100; i++) {
        await store.put('u', `near-${i}`, random(LIMIT))
        assert.ok(store.stats().bytes <= 100 * LIMIT, `over max_size after put ${i}: ${store.stats().bytes}`)
      }
      assert.ok(reads >= 20, `read the total only ${reads} times near max_size`)
    } finally {
      await store.close()
    }
  })

  it('refuses an inline-sized body that fails verification, storing nothing', async () => {
    const { store, dir } = fresh()
    try {
      await assert.rejects(store.put('cas', sha('other'), Buffer.from('bytes'), { sha256: sha('other') }), code('DIGEST_MISMATCH'))
      await assert.rejects(store.put('i', 'long', Buffer.alloc(11), { size: 10 }), code('SIZE_MISMATCH'))
      await assert.rejects(store.put('i', 'short', Buffer.alloc(9), { size: 10 }), code('SIZE_MISMATCH'))
      async function* broken() {
        yield random(100)
        throw new Error('client went away')
      }
      await assert.rejects(store.put('i', 'broken', Readable.from(broken())))
      const ac = new AbortController()
      async function* aborted() {
        yield random(100)
        ac.abort()
        await new Promise((r) => setTimeout(r, 10))
        yield random(100)
      }
      await assert.rejects(store.put('i', 'aborted', Readable.from(aborted()), { signal: ac.signal }), code('ABORTED'))
      // A body that spills and then fails leaves no temp file either.
      await assert.rejects(store.put('cas', sha('x'), random(3 * LIMIT), { sha256: sha('x') }), code('DIGEST_MISMATCH'))
      assert.equal(store.stats().entries, 0)
      await assertKinds(dir, 0, 0)
    } finally {
      await store.close()
    }
  })

  it('opens a store made before inline blobs (no inline_blobs table), keeps its entries and adds inline ones', async () => {
    const dir = join(root, `s${n++}`)
    const old = open(dir, { inlineMaxBytes: 0 })
    await old.put('m', 'old', Buffer.from('from before'))
    await old.close()
    const db = new Sqlite(join(dir, 'index.db'))
    db.exec('DROP TRIGGER entries_inline_delete; DROP TRIGGER entries_inline_replace; DROP TABLE inline_blobs')
    db.close()
    const store = open(dir, { inlineMaxBytes: LIMIT })
    try {
      assert.equal((await read(store, 'm', 'old')).toString(), 'from before')
      await store.put('m', 'new', Buffer.from('inline now'))
      assert.equal((await read(store, 'm', 'new')).toString(), 'inline now')
      await assertKinds(dir, 1, 1)
    } finally {
      await store.close()
    }
  })

  it('serves a repeatedly read entry as it is now after another process overwrote or deleted it, or it expired', async () => {
    const { store, dir } = fresh({ evictionPolicy: 'ttl', defaultTtl: 60_000, now: () => clock })
    let clock = 1_000_000
    // A second store on the same folder stands for `fabrik cas put` or another daemon sharing the cache dir.
    const other = open(dir, { inlineMaxBytes: LIMIT })
    try {
      await store.put('h', 'k', Buffer.from('first'))
      assert.equal((await read(store, 'h', 'k')).toString(), 'first')
      assert.equal((await read(store, 'h', 'k')).toString(), 'first') // now held in memory
      await other.put('h', 'k', Buffer.from('second, longer'))
      const got = await store.get('h', 'k')
      assert.deepEqual([got?.size, got?.sha256], [14, sha('second, longer')])
      assert.equal((await collect(got!.stream)).toString(), 'second, longer')
      assert.equal((await read(store, 'h', 'k', { offset: 8 })).toString(), 'longer')
      await other.delete('h', 'k')
      assert.equal(await store.get('h', 'k'), undefined)
      await store.put('h', 'k', Buffer.from('third'))
      assert.equal((await read(store, 'h', 'k')).toString(), 'third')
      clock += 60_001
      assert.equal(await store.get('h', 'k'), undefined, 'expired under the ttl policy')
    } finally {
      await other.close()
      await store.close()
    }
  })

  it('rejects an inline limit outside 0..1 MiB', () => {
    assert.throws(() => fresh({ inlineMaxBytes: -1 }), code('CONFIG_INVALID'))
    assert.throws(() => fresh({ inlineMaxBytes: 2 * 1024 * 1024 }), code('CONFIG_INVALID'))
  })
})
