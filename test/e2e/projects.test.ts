import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bazel, genruleWorkspace, remoteCacheHits } from '../helpers/bazel.js'
import { runCli } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { http } from '../helpers/http.js'

// Issue 12, as a new user met it: `fabrik init` writes the same bytes in every project, and the daemon id used
// to be the hash of those bytes — four projects shared the first one's daemon, store and .fabrik/bazelrc. The id
// now follows the effective configuration (paths resolved), and each activation writes its project's wiring.

/** Applies `hook-env --shell bash` output (exports and unsets) to an env object, as eval would. */
function apply(env: NodeJS.ProcessEnv, script: string): NodeJS.ProcessEnv {
  const next = { ...env }
  for (const line of script.split('\n')) {
    const exp = /^export (\w+)='([^']*)'$/.exec(line)
    const unset = /^unset (\w+)$/.exec(line)
    if (exp) next[exp[1] as string] = exp[2] as string
    else if (unset) delete next[unset[1] as string]
  }
  return next
}

describe('separate projects get separate daemons, stores and wiring', () => {
  let root: string
  let env: NodeJS.ProcessEnv
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-projects-'))
    env = {
      ...process.env,
      HOME: join(root, 'home'),
      FABRIK_STATE_DIR: join(root, 'state'),
      XDG_CONFIG_HOME: join(root, 'xdg-config'),
      XDG_DATA_HOME: join(root, 'xdg-data'),
      XDG_CACHE_HOME: join(root, 'xdg-cache'),
      GRADLE_USER_HOME: join(root, 'gradle-home'),
    }
    for (const v of ['FABRIK_CONFIG', '__FABRIK_SAVED', 'BAZELRC']) delete env[v]
    mkdirSync(join(root, 'home'), { recursive: true })
  })
  after(async () => {
    await runCli(['daemon', 'stop', '--all'], { cwd: root, env })
    await rm(root, { recursive: true, force: true })
  })

  async function activate(dir: string): Promise<NodeJS.ProcessEnv> {
    const r = await runCli(['hook-env', '--shell', 'bash'], { cwd: dir, env })
    assert.equal(r.code, 0, r.stderr)
    return apply(env, r.stdout)
  }

  it('four projects initialised one after another (turbo, nx, ccache, Bazel) get four daemons and stores; a plain `bazel build` gets remote hits after `bazel clean`', async (t) => {
    const names = ['turbo', 'nx', 'ccache', 'bazel']
    const shells: NodeJS.ProcessEnv[] = []
    for (const name of names) {
      const dir = join(root, name)
      mkdirSync(dir, { recursive: true })
      if (name === 'bazel') genruleWorkspace(dir, 2)
      const init = await runCli(['init'], { cwd: dir, env })
      assert.equal(init.code, 0, init.stderr)
      shells.push(await activate(dir))
    }
    const ids = shells.map((s) => s.FABRIK_CONFIG_HASH)
    const pids = shells.map((s) => s.FABRIK_DAEMON_PID)
    assert.equal(new Set(ids).size, 4, `four daemon ids: ${ids.join(' ')}`)
    assert.equal(new Set(pids).size, 4)
    for (const [i, name] of names.entries()) {
      const dir = join(root, name)
      // Each daemon serves its own project's store.
      const status = await runCli(['daemon', 'status', '--json'], { cwd: dir, env })
      assert.equal(status.code, 0, status.stderr)
      assert.equal((JSON.parse(status.stdout) as { daemon: { pid: number } }).daemon.pid, Number(pids[i]))
      assert.ok(existsSync(join(dir, '.fabrik', 'cache')), `${name}: its own store`)
      // Each project's own wiring: its .fabrik/bazelrc names its own daemon.
      assert.equal(readFileSync(join(dir, '.fabrik', 'bazelrc'), 'utf8').match(/--remote_cache=(\S+)/)?.[1], shells[i]?.FABRIK_GRPC_URL, name)
      assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /^\.fabrik\/$/m)
    }
    // A blob written through one project's daemon is not in another's.
    const put = await http('PUT', `${shells[0]?.TURBO_API}/v8/artifacts/abc123?teamId=x`, 'turbo-only', { authorization: 'Bearer t', 'content-type': 'application/octet-stream' })
    assert.ok(put.status < 300, String(put.status))
    assert.equal((await http('GET', `${shells[0]?.TURBO_API}/v8/artifacts/abc123?teamId=x`, undefined, { authorization: 'Bearer t' })).status, 200)
    assert.equal((await http('GET', `${shells[1]?.TURBO_API}/v8/artifacts/abc123?teamId=x`, undefined, { authorization: 'Bearer t' })).status, 404)

    // doctor checks what is true in the Bazel project: the import is there and the file names the running daemon.
    const bazelDir = join(root, 'bazel')
    const doctor = await runCli(['doctor', '--json'], { cwd: bazelDir, env: shells[3] })
    const checks = (JSON.parse(doctor.stdout) as { checks: { name: string; ok: boolean; message: string }[] }).checks
    const rc = checks.find((c) => c.name === 'bazel .bazelrc import')
    assert.ok(rc?.ok, JSON.stringify(rc))
    assert.match(rc?.message ?? '', new RegExp(`names daemon ${ids[3]}`))

    const bin = requireClient(t, 'bazel')
    if (!bin) return
    // Plain bazel, no BAZELRC (Bazel 4 reads none), no --bazelrc: only the workspace .bazelrc's try-import.
    const plain = { ...env }
    const b = bazel(bin, bazelDir, join(root, 'bazel-out'), plain)
    try {
      const first = await b.run(['build', '//:combined'])
      assert.equal(first.code, 0, first.stderr)
      assert.equal((await b.run(['clean'])).code, 0)
      const second = await b.run(['build', '//:combined'])
      assert.equal(second.code, 0, second.stderr)
      assert.ok(remoteCacheHits(second.stderr) >= 2, second.stderr)
    } finally {
      await b.shutdown()
    }
  })

  it('two projects that point at the user cache dir share one daemon, and each gets its own wiring and works', async () => {
    const toml = (enabled: string) => `[cache]\ndir = "~/.cache/fabrik"\n\n[build_systems]\nenabled = [${enabled}]\n`
    const a = join(root, 'shared-a')
    const b = join(root, 'shared-b')
    for (const [dir, enabled] of [[a, '"turborepo"'], [b, '"bazel", "turborepo"']] as const) {
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'fabrik.toml'), toml(enabled))
      assert.equal((await runCli(['trust'], { cwd: dir, env })).code, 0)
    }
    const inA = await activate(a)
    const inB = await activate(b)
    assert.equal(inA.FABRIK_CONFIG_HASH, inB.FABRIK_CONFIG_HASH)
    assert.equal(inA.FABRIK_DAEMON_PID, inB.FABRIK_DAEMON_PID)
    assert.equal(inA.BAZELRC, undefined)
    // B enabled bazel: its own .fabrik/bazelrc is written although A's activation started the daemon.
    assert.match(readFileSync(join(b, '.fabrik', 'bazelrc'), 'utf8'), new RegExp(`--remote_cache=${inB.FABRIK_GRPC_URL}`))
    assert.ok(existsSync(join(root, 'home', '.cache', 'fabrik')), 'the store is in the user cache dir')
    const put = await http('PUT', `${inA.TURBO_API}/v8/artifacts/shared1?teamId=x`, 'from-a', { authorization: 'Bearer t', 'content-type': 'application/octet-stream' })
    assert.ok(put.status < 300)
    const got = await http('GET', `${inB.TURBO_API}/v8/artifacts/shared1?teamId=x`, undefined, { authorization: 'Bearer t' })
    assert.equal(got.status, 200)
    assert.equal(got.body.toString(), 'from-a')
  })
})
