import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { blobFiles, collect, fileRows, inlineRows, open, sha, tempDir } from './helpers.js'

const WRITER = fileURLToPath(new URL('../../fixtures/store/crash-writer.js', import.meta.url))
const ROUNDS = 8 // SIGKILLed rounds, after one complete run

/**
 * Starts the writer, waits until its store is open, SIGKILLs it `afterMs` later (never, if undefined); resolves
 * once it is reaped, with how long it ran after opening.
 */
function runAndKill(dir: string, afterMs?: number): Promise<{ killed: boolean; done: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    // Killed rounds hold the store open after their last write: a kill after a clean close would be no crash.
    const args = afterMs === undefined ? [WRITER, dir, '1000'] : [WRITER, dir, '1000', String(24 * 1024 * 1024), 'hold']
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let ready = 0
    let err = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (!out.startsWith('ready\n') || ready) return
      ready = Date.now()
      if (afterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), afterMs)
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    let timer: NodeJS.Timeout | undefined
    child.on('error', reject)
    // 'exit' fires after the child is reaped, so its pid is free again when recovery checks it.
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`writer failed (${code}): ${err}`))
      else resolve({ killed: signal === 'SIGKILL', done: out.includes('done\n'), ms: Date.now() - ready })
    })
  })
}

describe('local store: crash safety', () => {
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => ({ dir, cleanup } = await tempDir('fabrik-crash-')))
  after(() => cleanup())

  it('is consistent after the writer is SIGKILLed at random moments, round after round', async () => {
    let killedMidway = 0
    let verified = 0
    let fullRunMs = 0
    let inline = 0
    let files = 0
    // Round 0 runs to the end, measuring how long 1,000 blobs take here; later rounds are killed within that span.
    for (let round = 0; round <= ROUNDS; round++) {
      const { killed, done, ms } = await runAndKill(dir, round === 0 ? undefined : Math.floor(Math.random() * 0.9 * fullRunMs))
      if (round === 0) {
        assert.ok(done, 'the writer must complete when left alone')
        fullRunMs = ms
      }
      if (killed && !done) killedMidway++
      const store = open(dir, { maxSize: 24 * 1024 * 1024 })
      try {
        if (killed) assert.equal(store.recovery.scanned, true, 'a crash must trigger the full scan')
        assert.deepEqual(await readdir(join(dir, 'tmp')), [], `round ${round}: temp files left`)
        // The writer's blobs are 0–96 KiB: some are stored inline, the rest as files.
        const indexed = fileRows(dir)
        files += indexed.length
        inline += inlineRows(dir)
        assert.deepEqual(await blobFiles(join(dir, 'blobs')), indexed, `round ${round}: index and files disagree`)
        for (const e of store.list()) {
          const got = await store.get(e.ns, e.key)
          assert.ok(got, `round ${round}: listed ${e.ns}/${e.key} is unreadable`)
          const bytes = await collect(got.stream)
          assert.equal(bytes.length, e.size)
          assert.equal(sha(bytes), e.sha256, `round ${round}: ${e.ns}/${e.key} does not match its digest`)
          if (e.ns === 'cas') assert.equal(e.key, e.sha256)
          verified++
        }
      } finally {
        await store.close()
      }
    }
    assert.ok(killedMidway >= ROUNDS / 2, `only ${killedMidway} of ${ROUNDS} kills landed mid-write`)
    assert.ok(verified > 0)
    assert.ok(inline > 0 && files > 0, `both kinds must be exercised: ${inline} inline rows, ${files} file rows seen`)
  })
})
