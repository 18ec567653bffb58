import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdir, readdir, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Sqlite from 'better-sqlite3'
import { blobFiles, collect, fileRows, open, tempDir } from './helpers.js'

const ORPHAN = `ab/${'ab'.repeat(32)}.000000000000`

/** A blob file with no row, in a fan-out folder no put has made yet (folders are made on first write). */
async function plantOrphan(dir: string, text: string): Promise<void> {
  await mkdir(join(dir, 'blobs', 'ab'), { recursive: true })
  await writeFile(join(dir, 'blobs', ORPHAN), text)
}

/** A pid that surely belongs to no running process: a child that has already exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0'])
  assert.ok(r.pid)
  return r.pid
}

describe('local store: recovery at open', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-recover-')))
  after(() => cleanup())

  /**
   * A store with two file entries and one inline entry, closed, then damaged: a temp file, an orphan blob, a row
   * whose file is gone.
   */
  async function damaged(): Promise<string> {
    const dir = join(root, `d${n++}`)
    const s = open(dir, { inlineMaxBytes: 0 })
    await s.put('r', 'kept', Buffer.from('kept'))
    await s.put('r', 'lost', Buffer.from('lost'))
    await s.close()
    const i = open(dir, { inlineMaxBytes: 1024 })
    await i.put('r', 'inline', Buffer.from('inline'))
    await i.close()
    const db = new Sqlite(join(dir, 'index.db'), { readonly: true })
    const { file } = db.prepare("SELECT file FROM entries WHERE key = 'lost'").get() as { file: string }
    db.close()
    await unlink(join(dir, 'blobs', file))
    await writeFile(join(dir, 'tmp', `${deadPid()}.0123456789abcdef`), 'partial')
    await plantOrphan(dir, 'orphan')
    return dir
  }

  async function assertConsistent(dir: string) {
    assert.deepEqual(await readdir(join(dir, 'tmp')), [])
    assert.deepEqual(await blobFiles(join(dir, 'blobs')), fileRows(dir))
  }

  it('removes temp files, drops rows without files and reclaims orphan files (full scan)', async () => {
    const dir = await damaged()
    const s = open(dir, { recovery: 'full' })
    try {
      assert.deepEqual(
        { tmp: s.recovery.tmpRemoved, rows: s.recovery.rowsDropped, orphans: s.recovery.orphansRemoved },
        { tmp: 1, rows: 1, orphans: 1 },
      )
      await assertConsistent(dir)
      assert.equal(await s.has('r', 'lost'), false)
      assert.equal((await collect((await s.get('r', 'kept'))!.stream)).toString(), 'kept')
      assert.equal((await collect((await s.get('r', 'inline'))!.stream)).toString(), 'inline')
      assert.equal(s.stats().entries, 2)
    } finally {
      await s.close()
    }
  })

  it('rebuilds a file index from before it left inline entries out, and the full scan still finds every file row', async () => {
    const dir = await damaged()
    // The index as stores made before the partial one have it.
    const db = new Sqlite(join(dir, 'index.db'))
    db.exec('DROP INDEX entries_file; CREATE UNIQUE INDEX entries_file ON entries(file)')
    db.close()
    const s = open(dir, { recovery: 'full' })
    try {
      const check = new Sqlite(join(dir, 'index.db'), { readonly: true })
      const sql = check.prepare("SELECT sql FROM sqlite_master WHERE name = 'entries_file'").pluck().get() as string
      const plan = check.prepare("EXPLAIN QUERY PLAN SELECT ns, key, file FROM entries WHERE file >= ? AND file < ? AND file NOT GLOB 'inline/*'")
        .all('ab/', 'ab0') as { detail: string }[]
      check.close()
      assert.match(sql, /WHERE file NOT GLOB 'inline\/\*'$/)
      assert.match(plan[0]!.detail, /USING COVERING INDEX entries_file/)
      assert.deepEqual({ rows: s.recovery.rowsDropped, orphans: s.recovery.orphansRemoved }, { rows: 1, orphans: 1 })
      await assertConsistent(dir)
      assert.equal((await collect((await s.get('r', 'kept'))!.stream)).toString(), 'kept')
      assert.equal((await collect((await s.get('r', 'inline'))!.stream)).toString(), 'inline')
    } finally {
      await s.close()
    }
  })

  it('runs the full scan on its own after a crash (an owner that died without closing)', async () => {
    const dir = await damaged()
    const db = new Sqlite(join(dir, 'index.db'))
    db.prepare('INSERT INTO owners (token, pid, opened_at) VALUES (?, ?, ?)').run('crashed', deadPid(), 1)
    db.close()
    const s = open(dir)
    try {
      assert.equal(s.recovery.scanned, true)
      await assertConsistent(dir)
    } finally {
      await s.close()
    }
  })

  it('treats an owner registered before the last boot as crashed, even if its pid is in use again', async () => {
    const dir = await damaged()
    const db = new Sqlite(join(dir, 'index.db'))
    db.prepare('INSERT INTO owners (token, pid, opened_at) VALUES (?, ?, ?)').run('before-boot', process.pid, 1)
    db.close()
    const s = open(dir)
    try {
      assert.equal(s.recovery.scanned, true)
      await assertConsistent(dir)
    } finally {
      await s.close()
    }
  })

  it('skips the full scan after a clean close, but still clears temp files', async () => {
    const dir = await damaged()
    const s = open(dir)
    try {
      assert.equal(s.recovery.scanned, false)
      assert.equal(s.recovery.tmpRemoved, 1)
    } finally {
      await s.close()
    }
  })

  it('heals a row whose file vanished when it is read', async () => {
    const dir = await damaged()
    const s = open(dir)
    try {
      assert.equal(await s.get('r', 'lost'), undefined)
      assert.equal(s.stats().entries, 2)
    } finally {
      await s.close()
    }
  })

  it("leaves a live owner's temp files and young orphans alone, and keeps the scan due", async () => {
    const dir = join(root, `d${n++}`)
    const live = open(dir)
    const tmp = `${process.pid}.fedcba9876543210`
    await writeFile(join(dir, 'tmp', tmp), 'in flight')
    await plantOrphan(dir, 'renamed, not yet indexed')
    const second = open(dir, { recovery: 'full' })
    try {
      assert.deepEqual(await readdir(join(dir, 'tmp')), [tmp])
      assert.equal(second.recovery.orphansSpared, 1)
      assert.deepEqual(await blobFiles(join(dir, 'blobs')), [ORPHAN])
    } finally {
      await second.close()
      await live.close()
    }
    // Nobody else is open now: the next open finishes the job.
    const third = open(dir)
    try {
      assert.equal(third.recovery.scanned, true)
      await assertConsistent(dir)
    } finally {
      await third.close()
    }
  })
})
