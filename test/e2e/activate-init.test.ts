import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.js'

// `fabrik init` writes fabrik.toml and the per-tool wiring; a second run changes nothing.
describe('fabrik init wiring', () => {
  let root: string
  let env: NodeJS.ProcessEnv
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-init-'))
    mkdirSync(join(root, 'ws'))
    writeFileSync(join(root, 'ws', 'WORKSPACE'), '')
    writeFileSync(join(root, 'ws', '.bazelrc'), 'build --jobs=2\n')
    env = { ...process.env, HOME: join(root, 'home'), GRADLE_USER_HOME: join(root, 'gradle-home'), FABRIK_STATE_DIR: join(root, 'state') }
    delete env.FABRIK_CONFIG
  })
  after(async () => rm(root, { recursive: true, force: true }))

  it('installs the Gradle init script and the Bazel try-import for the default tools, and a second run changes nothing', async () => {
    const ws = join(root, 'ws')
    const first = await runCli(['init', '--json'], { cwd: ws, env })
    assert.equal(first.code, 0, first.stderr)
    const report = JSON.parse(first.stdout) as { wiring: { tool: string; action: string }[] }
    assert.deepEqual(report.wiring.map((c) => [c.tool, c.action]), [['gradle', 'created'], ['bazel', 'updated']])
    const files = [join(ws, 'fabrik.toml'), join(ws, '.bazelrc'), join(root, 'gradle-home', 'init.d', 'fabrik.gradle')]
    const snapshot = files.map((f) => readFileSync(f, 'utf8'))
    assert.match(snapshot[1] as string, /^build --jobs=2\n[\s\S]*^try-import %workspace%\/\.fabrik\/bazelrc$/m)

    // The second plain run refuses to replace fabrik.toml (CONFIG_EXISTS) and touches no file.
    await runCli(['init'], { cwd: ws, env })
    assert.deepEqual(files.map((f) => readFileSync(f, 'utf8')), snapshot)
    // Rewriting the same fabrik.toml on purpose still leaves the wiring as it was.
    const forced = await runCli(['init', '--force', '--json'], { cwd: ws, env })
    assert.equal(forced.code, 0, forced.stderr)
    assert.deepEqual((JSON.parse(forced.stdout) as { wiring: { action: string }[] }).wiring.map((c) => c.action), ['unchanged', 'unchanged'])
    assert.deepEqual(files.map((f) => readFileSync(f, 'utf8')), snapshot)
  })
})
