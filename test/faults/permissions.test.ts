import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { makeProject } from '../helpers/project.js'

/** Every file and folder under `root`, with its permission bits. */
function walk(root: string, out: { path: string; mode: number; dir: boolean }[] = []): typeof out {
  for (const name of readdirSync(root)) {
    const path = join(root, name)
    const s = statSync(path)
    out.push({ path, mode: s.mode & 0o777, dir: s.isDirectory() })
    if (s.isDirectory()) walk(path, out)
  }
  return out
}

describe('faults: permissions of everything the daemon creates', { timeout: 60_000 }, () => {
  it('state dir, cache folders, log, pid, ports.json, index.db (+ -wal, -shm), blob files and the unix socket are private to the user', async () => {
    // umask 022, as on most machines: without explicit modes everything would be world-readable.
    const previous = process.umask(0o022)
    const project = await makeProject(`[cache]\ndir = ".fabrik/cache"\n[daemon]\nsocket = ".fabrik/xcode.sock"\n`)
    try {
      const daemon = await project.startDaemon()
      // One blob big enough for a file of its own, one small enough for the index.
      for (const [key, size] of [['big0001', 200_000], ['small0001', 100]] as const) {
        const res = await fetch(`${daemon.http_url}/v1/cache/${key}`, { method: 'PUT', body: randomBytes(size) })
        assert.equal(res.status, 200)
      }
      const cacheDir = join(project.dir, '.fabrik', 'cache')
      const entries = [
        { path: daemon.state_dir, mode: statSync(daemon.state_dir).mode & 0o777, dir: true },
        ...walk(daemon.state_dir),
        { path: cacheDir, mode: statSync(cacheDir).mode & 0o777, dir: true },
        ...walk(cacheDir),
      ]
      const names = entries.map((e) => e.path)
      for (const expected of ['daemon.log', 'pid', 'ports.json', 'index.db', 'index.db-wal', 'index.db-shm']) {
        assert.ok(names.some((n) => n.endsWith(`/${expected}`)), `${expected} was not created`)
      }
      assert.ok(entries.some((e) => !e.dir && /\/blobs\/[0-9a-f]{2}\//.test(e.path)), 'no blob file was written')
      const open = entries.filter((e) => (e.mode & 0o077) !== 0).map((e) => `${e.path} ${e.mode.toString(8)}`)
      assert.deepEqual(open, [], 'readable or writable by others')
      const socket = statSync(join(project.dir, '.fabrik', 'xcode.sock'))
      assert.ok(socket.isSocket())
      assert.equal(socket.mode & 0o077, 0, `socket mode ${(socket.mode & 0o777).toString(8)}`)
    } finally {
      process.umask(previous)
      await project.cleanup()
    }
  })
})
