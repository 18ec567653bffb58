import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { splitExecArgv, withBazelrc } from '../../../src/exec/argv.js'
import { exitStatus } from '../../../src/exec/run.js'

describe('fabrik exec argument handling', () => {
  it('puts --bazelrc before the Bazel command, as a startup option must be', () => {
    assert.deepEqual(withBazelrc(['bazel', 'build', '//...'], '/s/bazelrc'), ['bazel', '--bazelrc=/s/bazelrc', 'build', '//...'])
    assert.deepEqual(withBazelrc(['/usr/local/bin/bazelisk', '--batch', 'test', '//a'], '/s/rc'), ['/usr/local/bin/bazelisk', '--bazelrc=/s/rc', '--batch', 'test', '//a'])
  })

  it('leaves every other command alone', () => {
    assert.deepEqual(withBazelrc(['npx', 'turbo', 'run', 'build'], '/s/rc'), ['npx', 'turbo', 'run', 'build'])
    assert.deepEqual(withBazelrc(['bazel-wrapper', 'build'], '/s/rc'), ['bazel-wrapper', 'build'])
  })

  it("separates exec's own flags from the command, with or without --", () => {
    assert.deepEqual(splitExecArgv(['--', 'sh', '-c', 'exit 7']), { own: [], command: ['sh', '-c', 'exit 7'] })
    assert.deepEqual(splitExecArgv(['make', '-j4']), { own: [], command: ['make', '-j4'] })
    assert.deepEqual(splitExecArgv(['--config', 'ci.toml', '--config-log-level=debug', '--', 'make', '--', 'x']), {
      own: ['--config', 'ci.toml', '--config-log-level=debug'],
      command: ['make', '--', 'x'],
    })
    assert.deepEqual(splitExecArgv(['--help']), { own: ['--help'], command: [] })
  })

  it('exits with the code, or 128 + the signal number when killed', () => {
    assert.equal(exitStatus(7, null), 7)
    assert.equal(exitStatus(0, null), 0)
    assert.equal(exitStatus(null, 'SIGTERM'), 143)
    assert.equal(exitStatus(null, 'SIGINT'), 130)
    assert.equal(exitStatus(null, 'SIGKILL'), 137)
  })
})
