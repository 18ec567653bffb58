import assert from 'node:assert/strict'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Worker } from 'node:worker_threads'
import type { Database } from 'better-sqlite3'
import { SAFETY_NET_PAGES } from '../../../src/store/local/checkpointer.js'
import type { LocalStore } from '../../../src/store/local/store.js'
import { until } from '../../helpers/until.js'
import { open, tempDir } from './helpers.js'

// The daemon's store checkpoints its WAL from a thread (checkpointer.ts). What must hold: written pages reach
// index.db without a commit on the event loop doing it, nothing is lost, the WAL is folded in and removed at
// close, and a dead thread hands checkpoints back to the main connection.

/** Internals the tests look at: the index connection and the thread. */
function internals(store: LocalStore): { db: Database; threaded: boolean; worker: Worker | undefined } {
  const s = store as unknown as { index: { db: Database }; checkpointer?: { worker?: Worker } }
  return { db: s.index.db, threaded: s.checkpointer !== undefined, worker: s.checkpointer?.worker }
}

describe('local store: WAL checkpoint thread', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-ckpt-')))
  after(() => cleanup())

  it('copies committed pages into index.db from its own thread; the daemon connection only keeps a safety net', async () => {
    const dir = join(root, `s${n++}`)
    const store = open(dir, { checkpointThread: true })
    try {
      const { db, worker } = internals(store)
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), SAFETY_NET_PAGES)
      assert.equal(worker, undefined, 'no thread before the first write')
      const before = statSync(join(dir, 'index.db')).size
      // Far fewer frames than either threshold: only the thread can have copied them.
      for (let i = 0; i < 200; i++) await store.put('t', `k${i}`, Buffer.alloc(1024, i))
      assert.ok(internals(store).worker, 'the first write started the thread')
      await until('index.db grows', () => statSync(join(dir, 'index.db')).size > before + 100 * 1024)
      assert.equal((await store.get('t', 'k199'))?.data?.[0], 199)
    } finally {
      await store.close()
    }
    assert.equal(existsSync(join(dir, 'index.db-wal')), false, 'the WAL is folded in and removed at close')
    const again = open(dir)
    try {
      assert.equal(again.stats().entries, 200)
    } finally {
      await again.close()
    }
  })

  it('without the option the store checkpoints the SQLite way (no thread)', async () => {
    const store = open(join(root, `s${n++}`))
    try {
      const { db, threaded } = internals(store)
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000)
      assert.equal(threaded, false)
    } finally {
      await store.close()
    }
  })

  it('a thread that dies hands checkpoints back to the main connection, and the store keeps working', async () => {
    const warnings: string[] = []
    const store = open(join(root, `s${n++}`), { checkpointThread: true, logger: { warn: (_o, msg) => warnings.push(msg) } })
    try {
      await store.put('t', 'before', Buffer.from('starts the thread'))
      const { db, worker } = internals(store)
      assert.ok(worker)
      await worker.terminate()
      await until('the fallback is logged', () => warnings.some((w) => w.includes('checkpoint thread stopped')))
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000)
      await store.put('t', 'after', Buffer.from('still stored'))
      assert.equal((await store.get('t', 'after'))?.data?.toString(), 'still stored')
    } finally {
      await store.close()
    }
  })
})
