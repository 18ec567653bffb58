import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { isAlive } from '../../src/io/process.js'
import { makeProject } from '../helpers/project.js'
import { blobFiles, collect, fileRows, open } from '../unit/store/helpers.js'

// The daemon killed with -9 while clients write and eviction runs (max_size far below what they send), then an
// offline integrity check of the store before the next start: no temp file left, index and files agree, and every
// entry reads back whole and matching its digest.

const ROUNDS = 3
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

async function load(url: string, stop: { now: boolean }, tag: string): Promise<void> {
  for (let i = 0; !stop.now; i++) {
    const body = randomBytes(i % 2 === 0 ? 20_000 + ((i * 7919) % 180_000) : 300 + (i % 900))
    const path = i % 3 === 0 ? `/cas/${sha(body)}` : `/v1/cache/${tag}${i % 40}`
    try {
      const res = await fetch(`${url}${path}`, { method: 'PUT', body, signal: AbortSignal.timeout(10_000) })
      await res.arrayBuffer()
    } catch {
      return // the daemon is gone
    }
  }
}

describe('faults: kill -9 during writes and eviction', { timeout: 120_000 }, () => {
  it(`the store is intact after each of ${ROUNDS} kills (offline check), and the daemon starts again on it`, async () => {
    const project = await makeProject('[cache]\ndir = ".fabrik/cache"\nmax_size = "2MB"\n')
    const cacheDir = join(project.dir, '.fabrik', 'cache')
    try {
      let checked = 0
      for (let round = 0; round < ROUNDS; round++) {
        const daemon = await project.startDaemon()
        assert.equal(daemon.started, true)
        const stop = { now: false }
        const clients = [0, 1, 2, 3].map((w) => load(daemon.http_url, stop, `r${round}w${w}k`))
        await sleep(400 + Math.floor(Math.random() * 800))
        process.kill(daemon.pid, 'SIGKILL')
        stop.now = true
        await Promise.all(clients)
        for (let i = 0; i < 400 && isAlive(daemon.pid); i++) await sleep(10)

        const store = open(cacheDir, { maxSize: 2 * 1024 * 1024 })
        try {
          assert.equal(store.recovery.scanned, true, `round ${round}: a kill must trigger the full scan`)
          assert.deepEqual(await readdir(join(cacheDir, 'tmp')), [], `round ${round}: temp files left`)
          assert.deepEqual(await blobFiles(join(cacheDir, 'blobs')), fileRows(cacheDir), `round ${round}: index and files disagree`)
          for (const e of store.list()) {
            const got = await store.get(e.ns, e.key)
            assert.ok(got, `round ${round}: ${e.ns}/${e.key} listed but unreadable`)
            const bytes = await collect(got.stream)
            assert.equal(sha(bytes), e.sha256, `round ${round}: ${e.ns}/${e.key} is corrupt`)
            if (e.ns === 'cas') assert.equal(e.key, e.sha256)
            checked++
          }
        } finally {
          await store.close()
        }
      }
      assert.ok(checked > 0, 'nothing was stored before the kills')
    } finally {
      await project.cleanup()
    }
  })
})
