import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { isAlive } from '../../src/io/process.js'
import { parseJson } from '../helpers/cli.js'
import { makeProject } from '../helpers/project.js'
import { open, tempDir } from '../unit/store/helpers.js'
import { waitGone } from '../helpers/process.js'

const HOLDER = fileURLToPath(new URL('../fixtures/faults/hold-store.js', import.meta.url))

/** `kill -0` alone: true for a zombie too. */
function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('faults: who is the daemon, who owns the store', { timeout: 90_000 }, () => {
  it('stop and status leave alone a live process that has taken over the pid of a daemon killed with -9', async () => {
    const project = await makeProject()
    let bystander: ChildProcess | undefined
    try {
      const daemon = await project.startDaemon()
      process.kill(daemon.pid, 'SIGKILL')
      await waitGone(daemon.pid)
      // The pid file stays behind; now its pid names an unrelated live process (pid reuse, simulated by writing
      // the bystander's pid into the file as the dead daemon left it).
      bystander = spawn('sleep', ['60'], { stdio: 'ignore' })
      const pidFile = join(daemon.state_dir, 'pid')
      const [, startLine = ''] = readFileSync(pidFile, 'utf8').split('\n')
      writeFileSync(pidFile, `${bystander.pid}\n${startLine}\n`)

      const status = await project.cli(['daemon', 'status', '--json'])
      // `daemon status` is a status: exit 0 whether or not the daemon runs (docs/cli.md).
      assert.equal(status.code, 0, status.stdout + status.stderr)
      assert.equal(parseJson<{ running: boolean }>(status).running, false)
      const stop = await project.cli(['daemon', 'stop', '--json'])
      assert.equal(stop.code, 0, stop.stderr)
      assert.deepEqual(parseJson<{ stopped: unknown[] }>(stop).stopped, [], 'stop claims to have stopped a daemon')
      await sleep(200)
      assert.ok(isAlive(bystander.pid!), 'stop signalled a process that is not the daemon')

      // An old-style pid file (pid only) naming the bystander: the process must prove it is the daemon.
      writeFileSync(pidFile, `${bystander.pid}\n`)
      writeFileSync(join(daemon.state_dir, 'ports.json'), `${JSON.stringify({ http: 1, grpc: 1, metrics: 1 })}\n`)
      const stop2 = await project.cli(['daemon', 'stop', '--json'])
      assert.deepEqual(parseJson<{ stopped: unknown[] }>(stop2).stopped, [])
      await sleep(200)
      assert.ok(isAlive(bystander.pid!), 'stop signalled a process that is not the daemon')
    } finally {
      bystander?.kill('SIGKILL')
      await project.cleanup()
    }
  })

  it('a store owner killed but not yet reaped (a zombie) counts as dead: the next opener recovers and removes its temp files', async () => {
    const { dir, cleanup } = await tempDir('fabrik-zombie-')
    // sh starts the holder in the background and becomes `sleep`, which never reaps it: once killed, the holder
    // stays a zombie until sleep exits.
    const parent = spawn('sh', ['-c', `"${process.execPath}" "${HOLDER}" "${dir}" & exec sleep 60`], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const pid = await new Promise<number>((resolve, reject) => {
        let out = ''
        const timer = setTimeout(() => reject(new Error('the holder never became ready')), 20_000)
        parent.stdout!.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /ready (\d+)/.exec(out)
          if (m) {
            clearTimeout(timer)
            resolve(Number(m[1]))
          }
        })
      })
      assert.equal(readdirSync(join(dir, 'tmp')).length, 1, 'the holder has a write in flight')
      process.kill(pid, 'SIGKILL')
      for (let i = 0; i < 200 && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'; i++) await sleep(10)
      assert.ok(signalable(pid), 'the holder is a zombie: kill -0 still succeeds')
      const store = open(dir)
      try {
        assert.equal(store.recovery.scanned, true, 'a dead owner means a crash: full scan')
        assert.equal(store.recovery.tmpRemoved, 1)
        assert.deepEqual(readdirSync(join(dir, 'tmp')), [])
      } finally {
        await store.close()
      }
    } finally {
      parent.kill('SIGKILL')
      await cleanup()
    }
  })

  it('a deleted state dir: the daemon re-creates it, start finds the running daemon instead of launching a second, stop stops it', async () => {
    const project = await makeProject()
    try {
      const daemon = await project.startDaemon()
      const { rmSync, existsSync } = await import('node:fs')
      // Right after the deletion, before the daemon has noticed: start must not launch a second daemon.
      rmSync(daemon.state_dir, { recursive: true, force: true })
      const again = await project.startDaemon()
      assert.equal(again.pid, daemon.pid, 'a second daemon was started on the same cache dir')
      assert.equal(again.started, false)

      rmSync(daemon.state_dir, { recursive: true, force: true })
      for (let i = 0; i < 150 && !existsSync(join(daemon.state_dir, 'pid')); i++) await sleep(20)
      assert.ok(existsSync(join(daemon.state_dir, 'pid')), 'the daemon did not re-create its state dir')

      rmSync(daemon.state_dir, { recursive: true, force: true })
      await sleep(1500)
      const stop = await project.cli(['daemon', 'stop', '--json'])
      assert.deepEqual(parseJson<{ stopped: { pid: number }[] }>(stop).stopped.map((s) => s.pid), [daemon.pid])
      await waitGone(daemon.pid)
    } finally {
      await project.cleanup()
    }
  })
})
