import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parseJson, runCli } from '../helpers/cli.js'
import type { DaemonJson } from '../helpers/project.js'

// Two daemons (two configs naming one [cache] dir) and `fabrik cas put`, all writing one store at once. Each must
// wait briefly for the others' transactions and succeed: before BEGIN IMMEDIATE about 5% of such PUTs failed
// "database is locked".

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

async function putLoop(url: string, n: number, tag: string): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < n; i++) {
    const body = randomBytes(i % 3 === 0 ? 40_000 + (i % 7) * 1000 : 500 + i)
    const path = i % 2 === 0 ? `/v1/cache/${tag}${i}` : `/cas/${sha(body)}`
    const res = await fetch(`${url}${path}`, { method: 'PUT', body, signal: AbortSignal.timeout(15_000) })
    await res.arrayBuffer()
    statuses.push(res.status)
  }
  return statuses
}

describe('faults: two daemons and the CLI writing one store', { timeout: 120_000 }, () => {
  it('every PUT to either daemon and every `fabrik cas put` succeeds', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fabrik-shared-daemons-'))
    const cacheDir = join(root, 'shared-cache')
    const env: NodeJS.ProcessEnv = { ...process.env, FABRIK_STATE_DIR: join(root, 'state'), XDG_CONFIG_HOME: join(root, 'xdg'), XDG_STATE_HOME: join(root, 'xdg-state') }
    delete env.FABRIK_CONFIG
    const projects = ['a', 'b'].map((p) => join(root, p))
    try {
      for (const [i, dir] of projects.entries()) {
        await mkdir(dir, { recursive: true })
        // Another effective config (another daemon id: here the log level), the same cache folder; a small max_size
        // so eviction runs too.
        await writeFile(join(dir, 'fabrik.toml'), `[cache]\ndir = "${cacheDir}"\nmax_size = "4MB"\n[observability]\nlog_level = "${i === 0 ? 'info' : 'warn'}"\n`)
      }
      const daemons: DaemonJson[] = []
      for (const dir of projects) {
        const r = await runCli(['daemon', 'start', '--json'], { cwd: dir, env })
        assert.equal(r.code, 0, r.stderr)
        daemons.push(parseJson<DaemonJson>(r))
      }
      assert.notEqual(daemons[0]!.pid, daemons[1]!.pid)
      const files: string[] = []
      for (let i = 0; i < 4; i++) {
        const f = join(root, `file${i}`)
        await writeFile(f, randomBytes(30_000 + i))
        files.push(f)
      }
      const cli = (async () => {
        const codes: string[] = []
        for (const f of files) {
          const r = await runCli(['cas', 'put', f], { cwd: projects[0]!, env, timeoutMs: 30_000 })
          codes.push(`${r.code}${r.code === 0 ? '' : `: ${r.stderr.trim()}`}`)
        }
        return codes
      })()
      const loads = await Promise.all(daemons.flatMap((d, i) => [0, 1, 2].map((w) => putLoop(d.http_url, 60, `d${i}w${w}k`))))
      const failed = loads.flat().filter((s) => s !== 200)
      assert.deepEqual(failed, [], 'PUTs failed')
      assert.deepEqual(await cli, ['0', '0', '0', '0'], '`fabrik cas put` failed')
    } finally {
      for (const dir of projects) await runCli(['daemon', 'stop'], { cwd: dir, env }).catch(() => undefined)
      await rm(root, { recursive: true, force: true })
    }
  })
})
