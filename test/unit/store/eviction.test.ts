import assert from 'node:assert/strict'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import Sqlite from 'better-sqlite3'
import type { LocalStoreOptions } from '../../../src/store/local/store.js'
import { collect, open, tempDir } from './helpers.js'

const KB = 1000
const blob = (fill: number) => Buffer.alloc(KB, fill)

describe('local store: eviction', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-evict-')))
  after(() => cleanup())

  /** A store holding exactly three 1 KB blobs, evicting only what it must, on a clock the test moves. */
  function small(over: Partial<LocalStoreOptions> = {}) {
    const clock = { t: 1_000_000 }
    const evicted: number[] = []
    const store = open(join(root, `s${n++}`), {
      maxSize: 3 * KB, lowWatermark: 1, now: () => clock.t, onEvict: (k) => evicted.push(k), ...over,
    })
    const at = (t: number) => (clock.t = t)
    return { store, at, evicted }
  }

  async function keys(store: ReturnType<typeof small>['store']) {
    return store.list({ ns: 'e' }).map((e) => e.key)
  }

  it('lru evicts the entry read least recently', async () => {
    const { store, at, evicted } = small({ evictionPolicy: 'lru' })
    at(1); await store.put('e', 'a', blob(1))
    at(2); await store.put('e', 'b', blob(2))
    at(3); await store.put('e', 'c', blob(3))
    at(4); await collect((await store.get('e', 'a'))!.stream)
    at(5); await store.put('e', 'd', blob(4), { size: KB })
    assert.deepEqual(await keys(store), ['a', 'c', 'd'])
    assert.deepEqual(evicted, [1])
    assert.equal(store.stats().evictions, 1)
    await store.close()
  })

  it('lfu evicts the entry read least often, the older one on a tie', async () => {
    const { store, at } = small({ evictionPolicy: 'lfu' })
    at(1); await store.put('e', 'a', blob(1))
    at(2); await store.put('e', 'b', blob(2))
    at(3); await store.put('e', 'c', blob(3))
    at(4); await store.has('e', 'a'); await store.has('e', 'a'); await store.has('e', 'b')
    at(5); await store.has('e', 'c')
    at(6); await store.has('e', 'a')
    // counts: a=3, b=1 (at 4), c=1 (at 5) → b goes first.
    at(7); await store.put('e', 'd', blob(4), { size: KB })
    assert.deepEqual(await keys(store), ['a', 'c', 'd'])
    await store.close()
  })

  it('ttl evicts the oldest-created entry, however often it is read', async () => {
    const { store, at } = small({ evictionPolicy: 'ttl', defaultTtl: 1_000_000 })
    at(1); await store.put('e', 'a', blob(1))
    at(2); await store.put('e', 'b', blob(2))
    at(3); await store.put('e', 'c', blob(3))
    at(4); for (let i = 0; i < 5; i++) await store.has('e', 'a')
    at(5); await store.put('e', 'd', blob(4), { size: KB })
    assert.deepEqual(await keys(store), ['b', 'c', 'd'])
    await store.close()
  })

  it('ttl turns expired entries into misses and sweeps them away', async () => {
    const { store, at, evicted } = small({ evictionPolicy: 'ttl', defaultTtl: 100, flushIntervalMs: 10 })
    at(1_000); await store.put('e', 'old', blob(1))
    at(1_050); await store.put('e', 'young', blob(2))
    at(1_120)
    assert.equal(await store.has('e', 'old'), false)
    assert.equal(await store.get('e', 'old'), undefined)
    assert.equal(await store.stat('e', 'old'), undefined)
    assert.equal(await store.has('e', 'young'), true)
    // Writing over an expired entry is allowed even with overwrite:false: it is gone as far as clients know.
    assert.equal((await store.put('e', 'old', blob(3), { overwrite: false })).created, true)
    at(1_200) // young (created 1_050) has now expired too; the new 'old' (1_120) has not.
    await new Promise((r) => setTimeout(r, 60))
    assert.deepEqual(store.list({ ns: 'e' }).map((e) => e.key), ['old'])
    assert.equal(store.stats().entries, 1)
    assert.ok(evicted.length >= 1)
    await store.close()
  })

  it('evicts down to the low watermark, not just below max_size', async () => {
    const { store } = small({ maxSize: 10 * KB, lowWatermark: 0.5 })
    for (let i = 0; i < 10; i++) await store.put('e', `k${i}`, blob(i), { size: KB })
    assert.equal(store.stats().evictions, 0)
    await store.put('e', 'k10', blob(10), { size: KB })
    // 10 KB + 1 KB in flight > 10 KB → evict until used + in flight ≤ 5 KB: 6 entries go, 5 remain.
    assert.equal(store.stats().entries, 5)
    assert.equal(store.stats().evictions, 6)
    await store.close()
  })

  it('makes room after the commit for a put of unknown size, keeping the new entry', async () => {
    const { store, at } = small({ evictionPolicy: 'lfu' })
    at(1); await store.put('e', 'a', blob(1))
    at(2); await store.put('e', 'b', blob(2))
    at(3); await store.put('e', 'c', blob(3))
    at(4); await store.has('e', 'a'); await store.has('e', 'b'); await store.has('e', 'c')
    at(5); await store.put('e', 'new', Readable.from([blob(9)]))
    const left = await keys(store)
    assert.ok(left.includes('new'), `kept: ${left}`)
    assert.equal(store.stats().bytes, 3 * KB)
    await store.close()
  })

  it('batches access-time updates instead of writing on every read', async () => {
    const dir = join(root, `s${n++}`)
    let t = 10
    const store = open(dir, { now: () => t, flushIntervalMs: 60_000 })
    await store.put('e', 'k', blob(1))
    const db = new Sqlite(join(dir, 'index.db'), { readonly: true })
    const row = () => db.prepare("SELECT accessed_at, access_count FROM entries WHERE ns = 'e' AND key = 'k'").get()
    for (let i = 0; i < 50; i++) {
      t++
      await store.has('e', 'k')
    }
    assert.deepEqual(row(), { accessed_at: 10, access_count: 0 })
    assert.equal((await store.stat('e', 'k'))?.accessedAt, 60)
    assert.equal(store.flushAccess(), 1)
    assert.deepEqual(row(), { accessed_at: 60, access_count: 50 })
    db.close()
    await store.close()
  })

  it('writes batched accesses on its own timer', async () => {
    const dir = join(root, `s${n++}`)
    const store = open(dir, { flushIntervalMs: 10 })
    await store.put('e', 'k', blob(1))
    await store.has('e', 'k')
    await store.has('e', 'k')
    await new Promise((r) => setTimeout(r, 80))
    const db = new Sqlite(join(dir, 'index.db'), { readonly: true })
    assert.deepEqual(db.prepare("SELECT access_count FROM entries WHERE key = 'k'").get(), { access_count: 2 })
    db.close()
    await store.close()
  })
})
