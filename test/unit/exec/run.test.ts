import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { exitStatus, runCommand } from '../../../src/exec/run.js'

// `fabrik exec` runs the build as a transparent child: its exit status is ours, and the signals a CI runner
// sends to fabrik reach the build. (test/e2e/exec.test.ts drives the whole command; this needs no daemon.)

describe('exec: exit status and signal forwarding', { timeout: 30_000 }, () => {
  it("exits with the command's own code", async () => {
    assert.equal((await runCommand(['sh', '-c', 'exit 0'], process.env)).status, 0)
    assert.equal((await runCommand(['sh', '-c', 'exit 3'], process.env)).status, 3)
  })

  it('exits 128 + the signal number when a signal killed the command', async () => {
    assert.equal((await runCommand(['sh', '-c', 'kill -TERM $$'], process.env)).status, 143)
    assert.equal((await runCommand(['sh', '-c', 'kill -KILL $$'], process.env)).status, 137)
    assert.equal(exitStatus(null, 'SIGINT'), 130)
  })

  it('exits 127 for a command that does not exist, 64 for none', async () => {
    const missing = await runCommand(['fabrik-no-such-command-xyz'], process.env)
    assert.equal(missing.status, 127)
    assert.equal(missing.spawnError?.code, 'ENOENT')
    assert.equal((await runCommand([], process.env)).status, 64)
  })

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`forwards ${signal} to the command and stops listening once it is done`, async () => {
      const before = process.listenerCount(signal)
      // The command turns the forwarded signal into exit code 42; without forwarding it would run 20 s.
      const run = runCommand(['sh', '-c', `trap 'exit 42' ${signal.slice(3)}; i=0; while [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; exit 9`], process.env)
      await sleep(300)
      assert.equal(process.listenerCount(signal), before + 1)
      process.emit(signal, signal)
      assert.equal((await run).status, 42)
      assert.equal(process.listenerCount(signal), before, 'the forwarding listener was left behind')
    })
  }
})
