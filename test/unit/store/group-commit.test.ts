import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { CommitArgs } from '../../../src/store/local/commit.js'
import { GroupCommit } from '../../../src/store/local/group-commit.js'
import { SqliteIndex } from '../../../src/store/local/sqlite-index.js'
import { tempDir } from './helpers.js'

describe('local store: group commit', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-group-')))
  after(() => cleanup())

  /** An index whose outermost transactions are counted, and can be made to fail at COMMIT. */
  function counted(): { index: SqliteIndex; outer: () => number; failNext: (err: Error) => void } {
    const index = new SqliteIndex(join(root, `i${n++}.db`), 'lru')
    const real = index.transaction.bind(index)
    let depth = 0
    let outer = 0
    let fail: Error | undefined
    index.transaction = <T>(fn: () => T): T => {
      if (depth === 0) outer++
      depth++
      try {
        const failing = depth === 1 ? fail : undefined
        if (failing) fail = undefined
        return real(() => {
          const value = fn()
          if (failing) throw failing
          return value
        })
      } finally {
        depth--
      }
    }
    return { index, outer: () => outer, failNext: (err) => (fail = err) }
  }

  const args = (key: string, over: Partial<CommitArgs> = {}): CommitArgs => ({
    ns: 'gradle', key, data: Buffer.from(key), size: key.length, sha256: 'a'.repeat(64), now: 1, options: {}, ...over,
  })

  it('commits the puts of one loop turn in a single transaction and answers each its own outcome', async () => {
    const { index, outer } = counted()
    const group = new GroupCommit(index, () => false)
    await group.commit(args('taken'))
    const before = outer()
    const outcomes = await Promise.all([
      ...Array.from({ length: 9 }, (_, i) => group.commit(args(`k${i}`))),
      group.commit(args('taken', { options: { overwrite: false } })),
    ])
    assert.equal(outer() - before, 1, 'ten puts staged together share one transaction')
    assert.deepEqual(outcomes.map((o) => o.kind), [...Array(9).fill('stored'), 'exists'])
    for (let i = 0; i < 9; i++) assert.ok(index.get('gradle', `k${i}`))
    index.close()
  })

  it('rolls back only the put that failed; the others in its group are stored', async () => {
    const { index } = counted()
    const group = new GroupCommit(index, () => false)
    const boom = new Error('enqueue failed')
    const results = await Promise.allSettled([
      group.commit(args('a')),
      group.commit(args('b', { onStored: () => { throw boom } })),
      group.commit(args('c')),
    ])
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled'])
    assert.equal((results[1] as PromiseRejectedResult).reason, boom)
    assert.ok(index.get('gradle', 'a'))
    assert.equal(index.get('gradle', 'b'), undefined, 'the failed put left no row')
    assert.ok(index.get('gradle', 'c'))
    index.close()
  })

  it('fails every put of a group whose COMMIT fails, and stores none of them', async () => {
    const { index, failNext } = counted()
    const group = new GroupCommit(index, () => false)
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    failNext(full)
    const results = await Promise.allSettled([group.commit(args('x')), group.commit(args('y'))])
    for (const r of results) {
      assert.equal(r.status, 'rejected')
      assert.equal((r as PromiseRejectedResult).reason, full)
    }
    assert.equal(index.get('gradle', 'x'), undefined)
    assert.equal(index.get('gradle', 'y'), undefined)
    index.close()
  })

  it('stops at a put whose error rolled back the whole transaction: none of the group is stored, none later commits alone', async () => {
    const { index } = counted()
    const group = new GroupCommit(index, () => false)
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    const results = await Promise.allSettled([
      group.commit(args('p')),
      // What SQLite does on SQLITE_FULL inside a transaction: rolls all of it back.
      group.commit(args('q', { onStored: () => { index.db.exec('ROLLBACK'); throw full } })),
      group.commit(args('r')),
    ])
    for (const r of results) assert.equal(r.status, 'rejected')
    assert.equal((results[1] as PromiseRejectedResult).reason, full)
    for (const key of ['p', 'q', 'r']) assert.equal(index.get('gradle', key), undefined, `${key} was stored`)
    index.close()
  })

  it('flush() commits what is waiting at once (close() relies on it)', async () => {
    const { index } = counted()
    const group = new GroupCommit(index, () => false)
    const pending = group.commit(args('late'))
    group.flush()
    assert.ok(index.get('gradle', 'late'), 'stored before the loop turned')
    index.close()
    assert.equal((await pending).kind, 'stored')
  })
})
