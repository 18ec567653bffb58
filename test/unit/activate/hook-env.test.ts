import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readActivation, writeActivation, type ActivationRecord } from '../../../src/activate/cache.js'
import { hookEnv } from '../../../src/activate/hook-env.js'
import { daemonId } from '../../../src/daemon/identity.js'

/** Applies bash output of hook-env to an env object, as eval would. */
function applyBash(env: NodeJS.ProcessEnv, script: string): NodeJS.ProcessEnv {
  const next = { ...env }
  for (const line of script.split('\n').filter(Boolean)) {
    const unset = /^unset (\w+)$/.exec(line)
    const exp = /^export (\w+)='([^']*)'$/.exec(line)
    if (unset) delete next[unset[1] as string]
    else if (exp) next[exp[1] as string] = exp[2] as string
    else assert.fail(`unexpected line: ${line}`)
  }
  return next
}

describe('hook-env fast path (a daemon recorded as running in its state dir)', () => {
  let root: string
  let project: string
  let record: ActivationRecord
  let base: NodeJS.ProcessEnv

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-hookenv-'))
    project = join(root, 'project')
    mkdirSync(join(project, 'src', 'deep'), { recursive: true })
    writeFileSync(join(project, 'fabrik.toml'), '[build_systems]\nenabled = ["turborepo", "bazel"]\n')
    const id = daemonId(readFileSync(join(project, 'fabrik.toml')))
    const stateDir = join(root, 'state', id)
    mkdirSync(stateDir, { recursive: true })
    // This test process stands in for the daemon: its pid is alive.
    writeFileSync(join(stateDir, 'pid'), `${process.pid}\n`)
    record = {
      id,
      pid: process.pid,
      http_url: 'http://127.0.0.1:45678',
      grpc_url: 'grpc://127.0.0.1:45679',
      state_dir: stateDir,
      enabled: ['turborepo', 'bazel'],
      config: join(project, 'fabrik.toml'),
    }
    writeActivation(stateDir, record)
    base = { PATH: '/usr/bin:/bin', FABRIK_STATE_DIR: join(root, 'state'), TURBO_TOKEN: 'users-token' }
  })
  after(async () => rm(root, { recursive: true, force: true }))

  it('a subfolder of the project exports the variables of the enabled tools, without loading the config', async () => {
    const r = await hookEnv({ shell: 'bash', env: base, cwd: join(project, 'src', 'deep') })
    assert.deepEqual(r.messages, [])
    const env = applyBash(base, r.script)
    assert.equal(env.TURBO_API, 'http://127.0.0.1:45678')
    assert.equal(env.TURBO_TEAM, 'fabrik-local')
    assert.equal(env.TURBO_TOKEN, 'users-token', "the user's token is kept")
    assert.equal(env.BAZELRC, join(record.state_dir, 'bazelrc'))
    assert.equal(env.FABRIK_DAEMON_PID, String(process.pid))
    assert.equal(env.GRADLE_BUILD_CACHE_URL, undefined, 'gradle is not enabled')
  })

  it('another folder of the same project prints nothing; leaving restores the environment exactly', async () => {
    const inside = applyBash(base, (await hookEnv({ shell: 'bash', env: base, cwd: project })).script)
    const again = await hookEnv({ shell: 'bash', env: inside, cwd: join(project, 'src') })
    assert.equal(again.script, '')
    const out = await hookEnv({ shell: 'bash', env: inside, cwd: root })
    assert.deepEqual(applyBash(inside, out.script), base)
  })

  it('fish gets set -gx / set -e', async () => {
    const r = await hookEnv({ shell: 'fish', env: base, cwd: project })
    assert.match(r.script, /^set -gx TURBO_API 'http:\/\/127\.0\.0\.1:45678'$/m)
  })

  it('ignores a record whose pid is not the live daemon pid', () => {
    assert.ok(readActivation(record.state_dir, record.id))
    writeActivation(record.state_dir, { ...record, pid: 999_999_999 })
    assert.equal(readActivation(record.state_dir, record.id), undefined)
    assert.equal(readActivation(record.state_dir, 'ffffffffffffffff'), undefined)
    writeActivation(record.state_dir, record)
  })
})
