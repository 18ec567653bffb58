import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { envKey, readProjectRecord, writeProjectRecord, type ProjectRecord } from '../../../src/activate/cache.js'
import { hookEnv } from '../../../src/activate/hook-env.js'
import { trust } from '../../../src/activate/trust.js'
import { contentHash } from '../../../src/daemon/identity.js'

/** Applies bash output of hook-env to an env object, as eval would. */
function applyBash(env: NodeJS.ProcessEnv, script: string): NodeJS.ProcessEnv {
  const next = { ...env }
  for (const line of script.split('\n').filter(Boolean)) {
    const unset = /^unset (\w+)$/.exec(line)
    const exp = /^export (\w+)='([^']*)'$/.exec(line)
    if (/^__fabrik_(stamp|present|absent)=/.test(line)) continue
    if (unset) delete next[unset[1] as string]
    else if (exp) next[exp[1] as string] = exp[2] as string
    else assert.fail(`unexpected line: ${line}`)
  }
  return next
}

describe('hook-env fast path (a daemon recorded as running in its state dir)', () => {
  let root: string
  let project: string
  let record: ProjectRecord
  let base: NodeJS.ProcessEnv

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-hookenv-'))
    project = join(root, 'project')
    mkdirSync(join(project, 'src', 'deep'), { recursive: true })
    writeFileSync(join(project, 'fabrik.toml'), '[build_systems]\nenabled = ["turborepo", "bazel"]\n')
    const bytes = readFileSync(join(project, 'fabrik.toml'))
    const id = 'abcdef0123456789'
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
      hash: contentHash(bytes),
      env: '',
    }
    base = { PATH: '/usr/bin:/bin', FABRIK_STATE_DIR: join(root, 'state'), XDG_DATA_HOME: join(root, 'data'), TURBO_TOKEN: 'users-token' }
    writeProjectRecord(record, base)
    trust(record.config, bytes, base)
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
    assert.deepEqual(again.script.split('\n').filter((l) => l && !l.startsWith('__fabrik_')), [])
    const out = await hookEnv({ shell: 'bash', env: inside, cwd: root })
    assert.deepEqual(applyBash(inside, out.script), base)
  })

  it('fish gets set -gx / set -e', async () => {
    const r = await hookEnv({ shell: 'fish', env: base, cwd: project })
    assert.match(r.script, /^set -gx TURBO_API 'http:\/\/127\.0\.0\.1:45678'$/m)
  })

  it('keys the record by the file path, the bytes and the FABRIK_CONFIG_* environment', () => {
    assert.deepEqual(readProjectRecord(record.config, base), record)
    assert.equal(readProjectRecord(join(root, 'other', 'fabrik.toml'), base), undefined)
    assert.equal(envKey({ PATH: '/bin' }), '')
    assert.notEqual(envKey({ FABRIK_CONFIG_HTTP_PORT: '1' }), envKey({ FABRIK_CONFIG_HTTP_PORT: '2' }))
  })

  it("tells the shell what to watch: the config, the pid file and (Bazel) the project's bazelrc present, with a stamp no newer than any", async () => {
    const r = await hookEnv({ shell: 'bash', env: base, cwd: project })
    assert.match(r.script, new RegExp(`^__fabrik_present=\\('${record.config}' '${record.state_dir}/pid' '${project}/.fabrik/bazelrc'\\)$`, 'm'))
    const stamp = /^__fabrik_stamp='([^']+)'$/m.exec(r.script)?.[1] as string
    const { statSync } = await import('node:fs')
    assert.ok(statSync(stamp, { bigint: true }).mtimeNs > statSync(record.config, { bigint: true }).mtimeNs)
    const outside = await hookEnv({ shell: 'bash', env: base, cwd: root })
    assert.match(outside.script, new RegExp(`^__fabrik_absent=\\('${root}/fabrik.toml' .*'/fabrik.toml'\\)$`, 'm'))
  })

  it('re-creates a deleted or stale .fabrik/bazelrc on the next run while the daemon lives (git clean -fdx)', async () => {
    const { existsSync, rmSync } = await import('node:fs')
    const bazelrc = join(project, '.fabrik', 'bazelrc')
    const first = await hookEnv({ shell: 'bash', env: base, cwd: project })
    const env = applyBash(base, first.script)
    assert.match(readFileSync(bazelrc, 'utf8'), /^build --remote_cache=grpc:\/\/127\.0\.0\.1:45679$/m)
    rmSync(join(project, '.fabrik'), { recursive: true })
    // The watched file is gone, so the shell's -e test runs `hook-env --watch`: the fast path, the same daemon.
    const again = await hookEnv({ shell: 'bash', env, cwd: project, watch: true })
    assert.deepEqual(again.messages, [])
    assert.match(readFileSync(bazelrc, 'utf8'), /^build --remote_cache=grpc:\/\/127\.0\.0\.1:45679$/m)
    assert.ok(existsSync(join(project, '.fabrik', '.gitignore')), '.fabrik/ stays out of version control')
    writeFileSync(bazelrc, 'build --remote_cache=grpc://127.0.0.1:1\n')
    await hookEnv({ shell: 'bash', env, cwd: project, watch: true })
    assert.match(readFileSync(bazelrc, 'utf8'), /^build --remote_cache=grpc:\/\/127\.0\.0\.1:45679$/m)
  })

  it('does not act on an untrusted file: one line says how to trust it, nothing is exported', async () => {
    const other = join(root, 'cloned')
    mkdirSync(other, { recursive: true })
    writeFileSync(join(other, 'fabrik.toml'), '[build_systems]\nenabled = ["turborepo"]\n')
    const r = await hookEnv({ shell: 'bash', env: base, cwd: other })
    assert.equal(r.messages.length, 1)
    assert.match(r.messages[0] as string, /is not trusted yet.*`fabrik trust`/)
    const env = applyBash(base, r.script)
    assert.equal(env.TURBO_API, undefined)
    const again = await hookEnv({ shell: 'bash', env, cwd: join(other) })
    assert.deepEqual(again.messages, [], 'said once')
  })
})
