import assert from 'node:assert/strict'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import Sqlite from 'better-sqlite3'
import { SqliteIndex } from '../../../src/store/local/sqlite-index.js'
import { open, tempDir } from './helpers.js'

// The lookups of one event-loop turn share one read transaction (SqliteIndex.readBatch): what must still hold is
// that every write commits when its call returns, and that other processes' commits are seen by the next turn.

describe('local store: lookups of one turn share a read transaction', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-read-batch-')))
  after(() => cleanup())

  const row = (key: string) => ({ ns: 'gradle', key, file: `ab/${key}`, size: 1, sha256: 'a'.repeat(64), now: 1, meta: null })

  /** An index and a second connection to its file, as another process would hold. */
  function pair(): { index: SqliteIndex; other: Sqlite.Database; path: string } {
    const path = join(root, `i${n++}.db`)
    const index = new SqliteIndex(path, 'lru')
    return { index, other: new Sqlite(path, { timeout: 1000 }), path }
  }
  const seenByOther = (other: Sqlite.Database, key: string) =>
    other.prepare('SELECT 1 FROM entries WHERE ns = ? AND key = ?').pluck().get('gradle', key) === 1

  it('takes one read transaction for the turn and ends it in the check phase', async () => {
    const { index, other } = pair()
    index.transaction(() => index.upsert(row('a')))
    assert.equal(index.readBatch(() => index.fileOf('gradle', 'a')), 'ab/a')
    assert.equal(index.db.inTransaction, true, 'the lookup left the shared read transaction open for the next one')
    assert.equal(index.readBatch(() => index.fileOf('gradle', 'missing')), undefined)
    await nextTurn()
    assert.equal(index.db.inTransaction, false, 'ended when the turn ended')
    other.close()
    index.close()
  })

  it("a write transaction made during the turn's reads commits when it returns, not when the turn ends", async () => {
    const { index, other } = pair()
    index.readBatch(() => index.fileOf('gradle', 'x'))
    index.transaction(() => index.upsert(row('w')))
    // Had it become a savepoint inside the read transaction, the other connection would not see it yet.
    assert.equal(seenByOther(other, 'w'), true)
    assert.equal(index.db.inTransaction, false)
    other.close()
    index.close()
  })

  it('a statement that writes outside transaction(), prepared by anyone on the connection, commits at once too', async () => {
    const { index, other } = pair()
    // As upload-queue.ts does: its own statements on index.db, run as autocommit writes.
    const direct = index.db.prepare('INSERT INTO counters (name, value) VALUES (?, ?)')
    index.readBatch(() => index.fileOf('gradle', 'x'))
    direct.run('direct', 7)
    assert.equal(other.prepare('SELECT value FROM counters WHERE name = ?').pluck().get('direct'), 7)
    other.close()
    index.close()
  })

  it("sees another process's commit from the next turn on, and writes after it without SQLITE_BUSY", async () => {
    const { index, other } = pair()
    assert.equal(index.readBatch(() => index.fileOf('gradle', 'late')), undefined)
    other.prepare('INSERT INTO entries (ns, key, file, size, sha256, created_at, accessed_at) VALUES (?, ?, ?, 1, ?, 1, 1)')
      .run('gradle', 'late', 'ab/late', 'a'.repeat(64))
    // Same turn: the snapshot the turn's first lookup took (the other commit landed after it).
    assert.equal(index.readBatch(() => index.fileOf('gradle', 'late')), undefined)
    // A write now must not upgrade that stale snapshot (SQLite would refuse it at once with SQLITE_BUSY).
    assert.doesNotThrow(() => index.transaction(() => index.upsert(row('after'))))
    await nextTurn()
    assert.equal(index.readBatch(() => index.fileOf('gradle', 'late')), 'ab/late')
    other.close()
    index.close()
  })

  it("the store answers a hit overwritten by another process with the new bytes on the next turn", async () => {
    const dir = join(root, `store${n++}`)
    const store = open(dir)
    const writer = open(dir)
    try {
      await store.put('gradle', 'k', Buffer.from('one'))
      const first = await store.get('gradle', 'k')
      assert.equal(first?.data?.toString(), 'one')
      await writer.put('gradle', 'k', Buffer.from('two'))
      await nextTurn()
      const second = await store.get('gradle', 'k')
      assert.equal(second?.data?.toString(), 'two', 'the copy of a recently read small entry is checked against the index')
    } finally {
      await writer.close()
      await store.close()
    }
  })
})
