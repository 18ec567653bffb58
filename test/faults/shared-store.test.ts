import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const WORKER = fileURLToPath(new URL('../fixtures/faults/store-worker.js', import.meta.url))

interface WorkerReport {
  ops: number
  errors: Record<string, number>
  samples: string[]
}

function runWorker(dir: string, count: number): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, dir, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code !== 0) reject(new Error(`worker exited ${code}: ${err}`))
      else resolve(JSON.parse(out) as WorkerReport)
    })
  })
}

describe('faults: several processes writing one cache dir', { timeout: 120_000 }, () => {
  it('three processes putting, overwriting, deleting and evicting in one store all succeed (no "database is locked")', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fabrik-shared-'))
    try {
      const reports = await Promise.all([runWorker(dir, 700), runWorker(dir, 700), runWorker(dir, 700)])
      for (const r of reports) {
        assert.deepEqual(r.errors, {}, `a process failed: ${JSON.stringify(r)}`)
        assert.equal(r.ops, 700)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
