import assert from 'node:assert/strict'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { Worker } from 'node:worker_threads'
import { open, random, tempDir } from './helpers.js'

const MiB = 1024 * 1024
const MAX = 4 * MiB
const MIN_BLOB = 64 * 1024
const MAX_BLOB = 256 * 1024

// The sampler runs on its own thread so it measures while the store writes, not between its writes: what is
// really on disk under the given folders (blobs and temp files), in allocated blocks like du, in a tight loop.
const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const path = require('node:path')
function du(dir) {
  let total = 0
  let entries
  try { entries = fs.readdirSync(dir, { withFileTypes: true }) } catch { return 0 }
  for (const e of entries) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) total += du(p)
    else { const s = fs.statSync(p, { throwIfNoEntry: false }); if (s) total += s.blocks * 512 }
  }
  return total
}
let stop = false, peak = 0, samples = 0
parentPort.on('message', () => { stop = true })
;(function loop() {
  if (stop) return parentPort.postMessage({ peak, samples })
  peak = Math.max(peak, workerData.reduce((n, d) => n + du(d), 0))
  samples++
  setImmediate(loop)
})()
`

function startSampler(dirs: string[]): { stop(): Promise<{ peak: number; samples: number }> } {
  const worker = new Worker(SAMPLER, { eval: true, workerData: dirs })
  const result = new Promise<{ peak: number; samples: number }>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  return {
    async stop() {
      worker.postMessage('stop')
      const r = await result
      await worker.terminate()
      return r
    },
  }
}

async function* trickle(data: Buffer) {
  for (let at = 0; at < data.length; at += 32 * 1024) {
    yield data.subarray(at, at + 32 * 1024)
    await new Promise((r) => setTimeout(r, 1))
  }
}

describe('local store: disk use under eviction', () => {
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => ({ dir, cleanup } = await tempDir('fabrik-disk-')))
  after(() => cleanup())

  it('never uses more than max_size + one blob on disk while 3 × max_size is written', async () => {
    const store = open(dir, { maxSize: MAX, evictionPolicy: 'lru' })
    const sampler = startSampler([join(dir, 'blobs'), join(dir, 'tmp')])
    let written = 0
    let next = 0
    async function writer(streamed: boolean) {
      while (written < 3 * MAX) {
        const data = random(MIN_BLOB + Math.floor(Math.random() * (MAX_BLOB - MIN_BLOB)))
        written += data.length
        const key = `k${next++}`
        // Some bodies arrive in pieces over a few milliseconds, as uploads do, so temp files are caught mid-write.
        if (streamed) {
          await store.put('d', key, Readable.from(trickle(data)), { size: data.length })
        } else {
          await store.put('d', key, data, { size: data.length })
        }
      }
    }
    let sampled: { peak: number; samples: number }
    try {
      await Promise.all([writer(false), writer(true), writer(true)])
    } finally {
      sampled = await sampler.stop()
    }
    const { peak, samples } = sampled
    const stats = store.stats()
    await store.close()
    console.log(`# disk peak ${peak} bytes over ${samples} samples; limit ${MAX + MAX_BLOB}`)
    assert.ok(samples >= 20, `only ${samples} samples taken`)
    assert.ok(stats.evictions > 0, 'expected evictions')
    assert.ok(stats.bytes <= MAX)
    assert.ok(peak <= MAX + MAX_BLOB, `disk use peaked at ${peak} bytes, limit ${MAX} + ${MAX_BLOB}`)
    // And the cache was actually used, not emptied.
    assert.ok(peak > MAX / 2, `peak ${peak} suspiciously low`)
  })
})
