import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { procProbe, psProbe, type ProcessProbe } from '../../../src/io/process-probe.js'
import { LIVENESS_PROBES, isAlive } from '../../../src/io/process.js'

// The ps fallback of isAlive, exercised on Linux by standing in for a system without /proc (macOS): the /proc
// probe is replaced by one that cannot tell, as procProbe answers there.
const noProc: ProcessProbe = () => null

describe('isAlive where /proc is absent: ps tells a zombie from a live process', { timeout: 30_000 }, () => {
  let parent: ChildProcess
  let zombie: number

  before(async () => {
    // sh starts a sleep in the background, prints its pid and becomes another sleep, which never reaps it: once
    // killed, the background sleep stays a zombie until the parent exits.
    parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'] })
    const [line] = (await Promise.race([
      once(parent.stdout!, 'data'),
      sleep(10_000).then(() => { throw new Error('the shell never printed the child pid') }),
    ])) as [Buffer]
    zombie = Number(String(line).trim())
    assert.ok(zombie > 0, `child pid: ${String(line)}`)
    process.kill(zombie, 'SIGKILL')
    for (const end = Date.now() + 10_000; procProbe(zombie)?.state !== 'Z'; await sleep(20)) {
      if (Date.now() > end) throw new Error(`pid ${zombie} never became a zombie`)
    }
  })

  after(() => {
    parent?.kill('SIGKILL')
  })

  it('counts the unreaped child as dead, although kill -0 still reaches it', () => {
    assert.doesNotThrow(() => process.kill(zombie, 0), 'a zombie still takes signal 0')
    assert.equal(psProbe(zombie)?.state, 'Z')
    assert.equal(isAlive(zombie, [noProc, psProbe]), false)
    // Without the fallback nothing could tell: the zombie would pass for a live store owner.
    assert.equal(isAlive(zombie, [noProc]), true)
  })

  it('counts a running process as alive and a pid nobody has as gone', async () => {
    assert.equal(isAlive(parent.pid, [noProc, psProbe]), true)
    assert.match(psProbe(parent.pid!)?.state ?? '', /^[RSD]$/)
    const done = spawn('true')
    const pid = done.pid!
    await once(done, 'exit')
    assert.equal(psProbe(pid), undefined, 'ps finds no process with a reaped pid')
  })

  it('runs ps only when /proc cannot tell', () => {
    let asked = 0
    const spy: ProcessProbe = (pid) => (asked++, psProbe(pid))
    assert.equal(isAlive(zombie, [procProbe, spy]), false)
    assert.equal(isAlive(parent.pid, [procProbe, spy]), true)
    assert.equal(asked, 0)
    assert.equal(isAlive(zombie, [noProc, spy]), false)
    assert.equal(asked, 1)
    assert.deepEqual(LIVENESS_PROBES, [procProbe, psProbe], 'isAlive asks /proc, then ps')
  })
})
