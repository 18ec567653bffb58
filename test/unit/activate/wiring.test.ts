import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyWiring } from '../../../src/wiring/apply.js'
import { addTryImport, hasTryImport, tryImportLine } from '../../../src/wiring/bazel.js'
import { GRADLE_INIT_SCRIPT, gradleInitScriptPath, gradleInitScriptStatus, installGradleInitScript } from '../../../src/wiring/gradle.js'
import { addHookLine, hasHookLine, rcFile } from '../../../src/wiring/rc.js'

describe('per-tool wiring', () => {
  let root: string
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-wiring-'))
  })
  after(async () => rm(root, { recursive: true, force: true }))

  it('installs the Gradle init script in $GRADLE_USER_HOME/init.d, guarded by GRADLE_BUILD_CACHE_URL', () => {
    const env = { GRADLE_USER_HOME: join(root, 'g1') }
    assert.equal(gradleInitScriptStatus(env), 'missing')
    assert.equal(installGradleInitScript(env), true)
    assert.equal(gradleInitScriptPath(env), join(root, 'g1', 'init.d', 'fabrik.gradle'))
    const text = readFileSync(gradleInitScriptPath(env), 'utf8')
    assert.match(text, /System\.getenv\('GRADLE_BUILD_CACHE_URL'\)/)
    assert.match(text, /buildCacheEnabled = true/)
    assert.match(text, /push = true/)
    assert.equal(installGradleInitScript(env), false, 'second install changes nothing')
  })

  it('leaves an edited init script alone on activation but replaces it when asked (init, doctor --fix)', async () => {
    const env = { GRADLE_USER_HOME: join(root, 'g2') }
    installGradleInitScript(env)
    await writeFile(gradleInitScriptPath(env), '// edited\n')
    assert.equal(installGradleInitScript(env, { replace: false }), false)
    assert.equal(gradleInitScriptStatus(env), 'outdated')
    assert.equal(installGradleInitScript(env, { replace: true }), true)
    assert.equal(readFileSync(gradleInitScriptPath(env), 'utf8'), GRADLE_INIT_SCRIPT)
  })

  it('adds one try-import line to the workspace .bazelrc, keeping what was there', async () => {
    const ws = join(root, 'ws')
    await mkdir(ws)
    await writeFile(join(ws, '.bazelrc'), 'build --jobs=4')
    assert.equal(hasTryImport(ws, ws), false)
    assert.equal(addTryImport(ws, ws), true)
    const text = await readFile(join(ws, '.bazelrc'), 'utf8')
    assert.match(text, /^build --jobs=4\n/)
    assert.ok(text.includes('try-import %workspace%/.fabrik/bazelrc\n'))
    assert.equal(addTryImport(ws, ws), false)
    assert.equal(await readFile(join(ws, '.bazelrc'), 'utf8'), text)
  })

  it('points the try-import at the fabrik.toml folder when the workspace is below it', () => {
    assert.equal(tryImportLine('/repo/bazel', '/repo'), 'try-import %workspace%/../.fabrik/bazelrc')
  })

  it('applyWiring writes what enabled tools need, and a second run changes nothing', async () => {
    const project = join(root, 'project')
    await mkdir(project)
    await writeFile(join(project, 'WORKSPACE'), '')
    const env = { GRADLE_USER_HOME: join(root, 'g3') }
    const config = { build_systems: { enabled: ['gradle', 'bazel', 'turborepo'] as const } }
    const first = await applyWiring(project, { build_systems: { enabled: [...config.build_systems.enabled] } }, env)
    assert.deepEqual(first.map((c) => [c.tool, c.action]), [['gradle', 'created'], ['bazel', 'updated']])
    const bazelrc = await readFile(join(project, '.bazelrc'), 'utf8')
    const gradle = await readFile(gradleInitScriptPath(env), 'utf8')
    const second = await applyWiring(project, { build_systems: { enabled: [...config.build_systems.enabled] } }, env)
    assert.deepEqual(second.map((c) => c.action), ['unchanged', 'unchanged'])
    assert.equal(await readFile(join(project, '.bazelrc'), 'utf8'), bazelrc)
    assert.equal(await readFile(gradleInitScriptPath(env), 'utf8'), gradle)
  })

  it('writes nothing for tools that are not enabled, and skips Bazel outside a workspace', async () => {
    const project = join(root, 'plain')
    await mkdir(project)
    const env = { GRADLE_USER_HOME: join(root, 'g4') }
    const changes = await applyWiring(project, { build_systems: { enabled: ['bazel', 'nx'] } }, env)
    assert.deepEqual(changes.map((c) => [c.tool, c.action]), [['bazel', 'skipped']])
    assert.equal(existsSync(join(project, '.bazelrc')), false)
    assert.equal(existsSync(gradleInitScriptPath(env)), false)
  })

  it('appends the activation line to the rc file of each shell once', async () => {
    const env = { HOME: join(root, 'home') }
    await mkdir(env.HOME)
    await writeFile(join(env.HOME, '.bashrc'), 'alias ll="ls -l"\n# eval "$(fabrik activate bash)"\n')
    assert.equal(hasHookLine('bash', env), false, 'a commented-out line does not count')
    assert.equal(addHookLine('bash', env), true)
    assert.equal(addHookLine('bash', env), false)
    assert.match(readFileSync(rcFile('bash', env), 'utf8'), /^alias ll="ls -l"\n/)
    assert.equal(addHookLine('fish', env), true)
    assert.equal(rcFile('fish', env), join(env.HOME, '.config', 'fish', 'config.fish'))
    assert.match(readFileSync(rcFile('fish', env), 'utf8'), /^fabrik activate fish \| source$/m)
  })
})
