import assert from 'node:assert/strict'
import fsp from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { open, random, sha, tempDir } from './helpers.js'

// A blob's bytes must be on disk before its rename publishes it (blob-file.ts): otherwise a power cut can leave a
// published file with missing bytes under a committed row. kill -9 can never show that (the page cache survives
// it), so this test watches the calls instead: an fs seam over node:fs/promises (syncBuiltinESMExports makes the
// store's named imports see the wrappers) records open, sync and rename in order.

type Event = { op: 'open' | 'sync' | 'rename'; path: string }

describe('local store: fsync before rename', () => {
  const events: Event[] = []
  const paths = new Map<number, string>()
  let restore: () => void = () => {}

  before(async () => {
    const probe = await fsp.open(import.meta.filename ?? new URL(import.meta.url).pathname, 'r')
    const proto = Object.getPrototypeOf(probe) as { sync: (this: fsp.FileHandle) => Promise<void> }
    await probe.close()
    const { open: realOpen, rename: realRename } = fsp
    const realSync = proto.sync
    const mutable = fsp as unknown as Record<string, unknown>
    mutable.open = async (path: string, ...rest: unknown[]) => {
      const fh = await (realOpen as (...a: unknown[]) => Promise<fsp.FileHandle>)(path, ...rest)
      paths.set(fh.fd, String(path))
      events.push({ op: 'open', path: String(path) })
      return fh
    }
    mutable.rename = async (from: string, to: string) => {
      events.push({ op: 'rename', path: String(from) })
      return realRename(from, to)
    }
    proto.sync = async function (this: fsp.FileHandle) {
      events.push({ op: 'sync', path: paths.get(this.fd) ?? `fd ${this.fd}` })
      return realSync.call(this)
    }
    syncBuiltinESMExports()
    restore = () => {
      mutable.open = realOpen
      mutable.rename = realRename
      proto.sync = realSync
      syncBuiltinESMExports()
    }
  })
  after(() => restore())

  it('fsyncs a blob file before renaming it into blobs/, for streamed and buffered bodies', async () => {
    const { dir, cleanup } = await tempDir('fabrik-fsync-')
    const store = open(dir, { inlineMaxBytes: 0 })
    try {
      const { Readable } = await import('node:stream')
      const data = random(600 * 1024)
      events.length = 0
      await store.put('cas', sha(data), Readable.from([data.subarray(0, 300_000), data.subarray(300_000)]), { sha256: sha(data) })
      await store.put('kv', 'buffered', random(1000))
      const renames = events.filter((e) => e.op === 'rename' && e.path.startsWith(join(dir, 'tmp')))
      // (A first rename into a fan-out folder not made yet fails ENOENT and is retried after mkdir: publish.)
      assert.equal(new Set(renames.map((r) => r.path)).size, 2, JSON.stringify(events))
      for (const r of renames) {
        const at = events.indexOf(r)
        const synced = events.findIndex((e) => e.op === 'sync' && e.path === r.path)
        assert.ok(synced >= 0 && synced < at, `${r.path} was renamed without an fsync before: ${JSON.stringify(events)}`)
      }
    } finally {
      await store.close()
      await cleanup()
    }
  })
})
