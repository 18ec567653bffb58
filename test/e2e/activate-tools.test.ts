import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RUN_JS } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { genruleWorkspace } from '../helpers/bazel.js'
import { counter } from '../helpers/http.js'
import { makeProject, type TestProject } from '../helpers/project.js'
import { writeTree } from '../helpers/workspace.js'

// Tools that read no variable, used plainly in an activated bash: Gradle 4.4.1 through the init script the first
// activation installs, Bazel 4.2.3 through the try-import `fabrik doctor --fix` (like `fabrik init`) adds.

function bash(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--norc', '--noprofile', '-i'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
    child.stdin.end(script)
  })
}

describe('plain build tools in an activated shell', () => {
  let project: TestProject
  let env: NodeJS.ProcessEnv
  let root: string
  before(async () => {
    project = await makeProject('[build_systems]\nenabled = ["gradle", "bazel"]\n')
    root = join(project.dir, '..')
    const bin = join(root, 'bin')
    mkdirSync(bin, { recursive: true })
    mkdirSync(join(root, 'home'), { recursive: true })
    writeFileSync(join(bin, 'fabrik'), `#!/bin/sh\nexec '${process.execPath}' '${RUN_JS}' "$@"\n`)
    chmodSync(join(bin, 'fabrik'), 0o755)
    env = { ...project.env, PATH: `${bin}:${process.env.PATH}`, HOME: join(root, 'home'), SHELL: '/bin/bash', GRADLE_USER_HOME: join(root, 'gradle-home') }
    for (const v of ['__FABRIK_SAVED', 'GRADLE_BUILD_CACHE_URL', 'BAZELRC']) delete env[v]
  })
  after(async () => project.cleanup())

  it('Gradle 4.4.1 with an unmodified settings.gradle prints FROM-CACHE on the second build, served by the daemon', async (t) => {
    if (!requireClient(t, 'gradle')) return
    const app = join(project.dir, 'gradle-app')
    writeTree(app, {
      'settings.gradle': "rootProject.name = 'app'\n",
      'build.gradle': [
        'task gen {',
        '  def out = file("$buildDir/out.txt")',
        '  outputs.file(out)',
        '  outputs.cacheIf { true }',
        "  doLast { out.parentFile.mkdirs(); out.text = 'generated' }",
        '}',
        '',
      ].join('\n'),
    })
    const log = (n: number) => join(root, `gradle-${n}.log`)
    const script = [
      'eval "$(fabrik activate bash)"',
      `cd '${app}'`,
      `gradle --no-daemon --console=plain gen > '${log(1)}' 2>&1; echo "gradle-1=$?"`,
      'rm -rf build .gradle',
      `gradle --no-daemon --console=plain gen > '${log(2)}' 2>&1; echo "gradle-2=$?"`,
      'echo "url=$GRADLE_BUILD_CACHE_URL"',
      'exit',
      '',
    ].join('\n')
    const r = await bash(script, env, root)
    assert.match(r.output, /gradle-1=0/, `${r.output}\n${existsSync(log(1)) ? readFileSync(log(1), 'utf8') : ''}`)
    assert.match(r.output, /gradle-2=0/, readFileSync(log(2), 'utf8'))
    assert.ok(existsSync(join(env.GRADLE_USER_HOME as string, 'init.d', 'fabrik.gradle')), 'the first activation installed the init script')
    assert.doesNotMatch(readFileSync(log(1), 'utf8'), /FROM-CACHE/)
    assert.match(readFileSync(log(2), 'utf8'), /:gen FROM-CACHE/)
    const url = /url=(http:\/\/127\.0\.0\.1:\d+)\/cache\//.exec(r.output)?.[1]
    assert.ok(url, r.output)
    assert.ok((await counter(url, 'fabrik_cache_hits_total', { tool: 'gradle' })) >= 1, 'the hit came from the daemon (local cache is off)')
  })

  it('Bazel 4.2.3: plain `bazel build` gets remote cache hits after `bazel clean` through the .bazelrc try-import', async (t) => {
    const bin = requireClient(t, 'bazel')
    if (!bin) return
    const ws = join(project.dir, 'bazel-ws')
    genruleWorkspace(ws, 4)
    const fixed = await project.cli(['doctor', '--fix', '--json'], { cwd: ws, env })
    assert.match(readFileSync(join(ws, '.bazelrc'), 'utf8'), /^try-import %workspace%\/\.\.\/\.fabrik\/bazelrc$/m, fixed.stdout)
    const outRoot = join(root, 'bazel-out')
    const bz = `bazel --output_user_root='${outRoot}'`
    const script = [
      'eval "$(fabrik activate bash)"',
      `cd '${ws}'`,
      `${bz} build //... > '${root}/bazel-1.log' 2>&1; echo "bazel-1=$?"`,
      `${bz} clean > /dev/null 2>&1`,
      `${bz} build //... > '${root}/bazel-2.log' 2>&1; echo "bazel-2=$?"`,
      `${bz} shutdown > /dev/null 2>&1`,
      'exit',
      '',
    ].join('\n')
    const r = await bash(script, env, root)
    const second = readFileSync(join(root, 'bazel-2.log'), 'utf8')
    assert.match(r.output, /bazel-1=0/, readFileSync(join(root, 'bazel-1.log'), 'utf8'))
    assert.match(r.output, /bazel-2=0/, second)
    assert.match(second, /processes: 3 remote cache hit, 1 internal\./, second)
  })
})
