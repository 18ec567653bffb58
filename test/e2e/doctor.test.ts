import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RUN_JS } from '../helpers/cli.js'
import { makeProject, type TestProject } from '../helpers/project.js'

interface Report {
  ok: boolean
  checks: { name: string; ok: boolean; skipped?: boolean; message: string; fix?: string; fixable: boolean; fixed?: string }[]
}

describe('fabrik doctor', () => {
  let project: TestProject
  let env: NodeJS.ProcessEnv
  let home: string
  before(async () => {
    project = await makeProject('[build_systems]\nenabled = ["gradle", "bazel", "turborepo"]\n')
    writeFileSync(join(project.dir, 'WORKSPACE'), '')
    const root = join(project.dir, '..')
    home = join(root, 'home')
    const bin = join(root, 'bin')
    mkdirSync(home, { recursive: true })
    mkdirSync(bin, { recursive: true })
    writeFileSync(join(bin, 'fabrik'), `#!/bin/sh\nexec '${process.execPath}' '${RUN_JS}' "$@"\n`)
    chmodSync(join(bin, 'fabrik'), 0o755)
    env = { HOME: home, SHELL: '/bin/bash', GRADLE_USER_HOME: join(root, 'gradle-home'), PATH: `${bin}:${process.env.PATH}` }
    for (const v of ['__FABRIK_SAVED', 'TURBO_API', 'TURBO_TEAM', 'ZDOTDIR']) delete project.env[v]
  })
  after(async () => project.cleanup())

  const doctor = async (args: string[], extra: NodeJS.ProcessEnv = {}) => project.cli(['doctor', ...args], { env: { ...env, ...extra } })

  it('reports each failing check with its fix and exits 75', async () => {
    const r = await doctor(['--json'])
    assert.equal(r.code, 75, r.stderr)
    const report = JSON.parse(r.stdout) as Report
    assert.equal(report.ok, false)
    const failing = report.checks.filter((c) => !c.ok).map((c) => c.name)
    assert.deepEqual(failing, ['daemon', 'bash hook', 'gradle init script', 'bazel .bazelrc import'])
    for (const c of report.checks.filter((x) => !x.ok)) assert.ok(c.fix && c.fixable, `${c.name} has a fix`)
    assert.equal(report.checks.find((c) => c.name === 'shell variables')?.skipped, true)

    const text = await doctor([])
    assert.equal(text.code, 75)
    assert.match(text.stdout, /✗ gradle init script: .*missing/)
    assert.match(text.stdout, /fix: Add this line to .*\.bashrc: eval "\$\(fabrik activate bash\)"/)
    assert.match(text.stderr, /DOCTOR_FAILED/)
  })

  it('--fix applies every fix it can, and running it again changes nothing', async () => {
    const r = await doctor(['--fix', '--json'])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const report = JSON.parse(r.stdout) as Report
    assert.equal(report.ok, true)
    assert.deepEqual(report.checks.filter((c) => c.fixed).map((c) => c.name), ['daemon', 'bash hook', 'gradle init script', 'bazel .bazelrc import'])
    assert.match(readFileSync(join(home, '.bashrc'), 'utf8'), /^eval "\$\(fabrik activate bash\)"$/m)
    assert.match(readFileSync(join(env.GRADLE_USER_HOME as string, 'init.d', 'fabrik.gradle'), 'utf8'), /GRADLE_BUILD_CACHE_URL/)
    assert.match(readFileSync(join(project.dir, '.bazelrc'), 'utf8'), /^try-import %workspace%\/\.fabrik\/bazelrc$/m)
    // The daemon it started keeps the imported file current.
    assert.match(readFileSync(join(project.dir, '.fabrik', 'bazelrc'), 'utf8'), /--remote_cache=grpc:\/\/127\.0\.0\.1:\d+/)

    const files = [join(home, '.bashrc'), join(project.dir, '.bazelrc'), join(env.GRADLE_USER_HOME as string, 'init.d', 'fabrik.gradle')]
    const before = files.map((f) => readFileSync(f, 'utf8'))
    const again = await doctor(['--fix', '--json'])
    assert.equal(again.code, 0)
    assert.deepEqual((JSON.parse(again.stdout) as Report).checks.filter((c) => c.fixed), [])
    assert.deepEqual(files.map((f) => readFileSync(f, 'utf8')), before)
  })

  it('fails the bazel check when .fabrik/bazelrc is gone or names no running daemon, and --fix rewrites it', async () => {
    // After `git clean -fdx` (gone) or a hand edit (corrupt), plain `bazel build` misses the daemon: doctor must
    // say what is true of the file, not what the wiring should have made it.
    const file = join(project.dir, '.fabrik', 'bazelrc')
    const bazelCheck = async () => {
      const r = await doctor(['--json'])
      assert.equal(r.code, 75, r.stdout + r.stderr)
      const check = (JSON.parse(r.stdout) as Report).checks.find((c) => c.name === 'bazel .bazelrc import')
      assert.equal(check?.ok, false, JSON.stringify(check))
      assert.ok(check?.fixable && check.fix, 'it has a fix')
      return check?.message ?? ''
    }
    rmSync(file)
    assert.match(await bazelCheck(), new RegExp(`${file} does not exist, not the running daemon \\(grpc://127\\.0\\.0\\.1:\\d+\\)`))
    writeFileSync(file, 'build --remote_cache=grpc://127.0.0.1:1\n')
    assert.match(await bazelCheck(), new RegExp(`${file} names grpc://127\\.0\\.0\\.1:1, not the running daemon \\(grpc://127\\.0\\.0\\.1:\\d+\\)`))
    writeFileSync(file, 'garbage\n')
    assert.match(await bazelCheck(), /names no remote cache, not the running daemon/)

    const fixed = await doctor(['--fix', '--json'])
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr)
    assert.match(readFileSync(file, 'utf8'), /--remote_cache=grpc:\/\/127\.0\.0\.1:\d+/)
    assert.doesNotMatch(readFileSync(file, 'utf8'), /127\.0\.0\.1:1\n/)
  })

  it("checks an activated shell's variables against the running daemon", async () => {
    const hook = await project.cli(['hook-env', '--shell', 'bash'], { env })
    assert.equal(hook.code, 0, hook.stderr)
    const activated: NodeJS.ProcessEnv = { ...env }
    for (const m of hook.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)) activated[m[1] as string] = m[2]
    assert.ok(activated.__FABRIK_SAVED && activated.TURBO_API)
    const good = JSON.parse((await doctor(['--json'], activated)).stdout) as Report
    assert.equal(good.checks.find((c) => c.name === 'shell variables')?.ok, true)

    const stale = await doctor(['--json'], { ...activated, TURBO_API: 'http://127.0.0.1:1/' })
    assert.equal(stale.code, 75)
    const check = (JSON.parse(stale.stdout) as Report).checks.find((c) => c.name === 'shell variables')
    assert.equal(check?.ok, false)
    assert.match(check?.message ?? '', /TURBO_API=http:\/\/127\.0\.0\.1:1\//)
    assert.match(check?.fix ?? '', /hook-env/)
  })

  it('reports a broken fabrik.toml as a failing config check', async () => {
    const broken = join(project.dir, 'broken')
    mkdirSync(broken, { recursive: true })
    writeFileSync(join(broken, 'fabrik.toml'), '[cache]\nmax_sise = 1\n')
    const r = await project.cli(['doctor', '--json'], { cwd: broken, env })
    assert.equal(r.code, 75)
    const report = JSON.parse(r.stdout) as Report
    assert.equal(report.checks[0]?.name, 'config')
    assert.match(report.checks[0]?.message ?? '', /max_sise/)
    rmSync(broken, { recursive: true, force: true })
    assert.equal(existsSync(broken), false)
  })
})
