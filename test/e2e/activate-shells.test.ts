import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { trust } from '../../src/activate/trust.js'
import { RUN_JS } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { http } from '../helpers/http.js'
import { makeProject, type TestProject } from '../helpers/project.js'
import { isAlive } from '../../src/io/process.js'

// Each hook runs in the real shell, driven non-interactively through stdin:
// - bash -i and zsh -i read commands from the pipe and still run PROMPT_COMMAND / precmd before each one, so
//   every line is a real prompt;
// - fish does not fire fish_prompt when reading a pipe, so idle prompts are `emit fish_prompt` — the event a
//   prompt fires — while cd fires the PWD handler exactly as in a terminal.
// `fabrik` on PATH is a wrapper that appends a line to a counter file each time it runs (a user install is a
// script on PATH too), so "no process spawned" is checked by counting.

const TOML = '[build_systems]\nenabled = ["turborepo", "bazel", "gradle", "nx"]\n'
const USER_BAZELRC = '/home/someone/.bazelrc-mine'
const USER_GRADLE_URL = 'http://corp.example/cache/'
const MANAGED = ['FABRIK_HTTP_URL', 'FABRIK_GRPC_URL', 'FABRIK_CONFIG_HASH', 'FABRIK_DAEMON_PID', 'TURBO_API', 'TURBO_TEAM', 'TURBO_TOKEN', 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER', '__FABRIK_SAVED']

interface Harness {
  root: string
  bin: string
  counter: string
  out: string
  env: NodeJS.ProcessEnv
}

function harness(project: TestProject, name: string): Harness {
  const root = join(project.dir, '..', `shell-${name}`)
  const bin = join(root, 'bin')
  const out = join(root, 'out')
  mkdirSync(bin, { recursive: true })
  mkdirSync(out, { recursive: true })
  mkdirSync(join(root, 'home'), { recursive: true })
  const counter = join(root, 'count')
  writeFileSync(counter, '')
  writeFileSync(join(bin, 'fabrik'), `#!/bin/sh\necho "run $*" >> '${counter}'\nexec '${process.execPath}' '${RUN_JS}' "$@"\n`)
  chmodSync(join(bin, 'fabrik'), 0o755)
  const env: NodeJS.ProcessEnv = {
    ...project.env,
    PATH: `${bin}:${process.env.PATH}`,
    HOME: join(root, 'home'),
    GRADLE_USER_HOME: join(root, 'gradle-home'),
    BAZELRC: USER_BAZELRC,
    GRADLE_BUILD_CACHE_URL: USER_GRADLE_URL,
  }
  for (const v of MANAGED) if (v !== 'BAZELRC' && v !== 'GRADLE_BUILD_CACHE_URL') delete env[v]
  return { root, bin, counter, out, env }
}

function runShell(bin: string, args: string[], script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
    child.stdin.end(script)
  })
}

function readEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1)
  }
  return env
}

/** Lines the wrapper logged between two markers the script wrote into the counter file. */
function runsBetween(counter: string, from: string, to?: string): string[] {
  const lines = readFileSync(counter, 'utf8').split('\n')
  const start = lines.indexOf(from)
  const end = to === undefined ? lines.length : lines.indexOf(to)
  assert.ok(start >= 0 && end > start, `markers ${from}..${to} in ${lines.join('|')}`)
  return lines.slice(start + 1, end).filter((l) => l.startsWith('run '))
}

const SHELL_ARGS: Record<string, string[]> = { bash: ['--norc', '--noprofile', '-i'], zsh: ['-f', '-i'] }

function script(shell: string, h: Harness, project: string, outside: string): string {
  const fish = shell === 'fish'
  const activate = fish ? 'fabrik activate fish | source' : `eval "$(fabrik activate ${shell})"`
  const idle = Array.from({ length: 20 }, () => (fish ? 'emit fish_prompt' : ':'))
  const mark = (m: string) => `echo ${m} >> '${h.counter}'`
  const snap = (name: string) => `env > '${join(h.out, `${name}.env`)}'`
  return [
    activate,
    mark('M-cd-in'),
    `cd '${join(project, 'a', 'b')}'`,
    snap('in'),
    mark('M-idle'),
    ...idle,
    mark('M-idle-end'),
    `cd '${outside}'`,
    snap('out'),
    mark('M-cd-back'),
    `cd '${join(project, 'a')}'`,
    snap('back'),
    'fabrik deactivate',
    snap('deactivated'),
    mark('M-after-deactivate'),
    `cd '${join(project, 'a', 'b')}'`,
    ...idle.slice(0, 3),
    snap('after'),
    'exit',
    '',
  ].join('\n')
}

describe('shell activation in real bash, zsh and fish', () => {
  let project: TestProject
  before(async () => {
    project = await makeProject(TOML)
    mkdirSync(join(project.dir, 'a', 'b'), { recursive: true })
  })
  after(async () => project.cleanup())

  for (const shell of ['bash', 'zsh', 'fish']) {
    it(`${shell}: cd into a subfolder exports the variables with the daemon running; idle prompts spawn nothing; cd out and deactivate restore the user's values`, async (t) => {
      const bin = requireClient(t, shell)
      if (!bin) return
      const h = harness(project, shell)
      const outside = join(h.root, 'home')
      const text = script(shell, h, project.dir, outside)
      // fish cannot read a script from node's stdin (a socket, not a pipe): it gets a file, which it runs the same way.
      const file = join(h.root, 'script.fish')
      if (shell === 'fish') writeFileSync(file, text)
      const argv = shell === 'fish' ? ['--no-config', file] : (SHELL_ARGS[shell] as string[])
      const r = await runShell(bin, argv, shell === 'fish' ? '' : text, { ...h.env, SHELL: bin }, outside)
      assert.equal(r.code, 0, r.output)

      // Into the project (a subfolder two levels down): one hook-env, every variable set, the daemon up.
      assert.deepEqual(runsBetween(h.counter, 'M-cd-in', 'M-idle'), [`run hook-env --shell ${shell}`], r.output)
      const inside = readEnv(join(h.out, 'in.env'))
      const url = inside.FABRIK_HTTP_URL ?? ''
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, r.output)
      assert.equal(inside.TURBO_API, url)
      assert.equal(inside.TURBO_TEAM, 'fabrik-local')
      assert.ok(inside.TURBO_TOKEN)
      assert.equal(inside.NX_SELF_HOSTED_REMOTE_CACHE_SERVER, url)
      assert.equal(inside.GRADLE_BUILD_CACHE_URL, `${url}/cache/`)
      assert.match(inside.BAZELRC ?? '', /\/[0-9a-f]{16}\/bazelrc$/)
      assert.match(inside.FABRIK_GRPC_URL ?? '', /^grpc:\/\/127\.0\.0\.1:\d+$/)
      const pid = Number(inside.FABRIK_DAEMON_PID)
      assert.ok(isAlive(pid), 'the daemon runs')
      assert.equal((await http('GET', `${url}/ready`)).status, 200)
      assert.match(readFileSync(inside.BAZELRC as string, 'utf8'), new RegExp(`--remote_cache=${inside.FABRIK_GRPC_URL}`))

      // 20 prompts without a directory change: no process.
      assert.deepEqual(runsBetween(h.counter, 'M-idle', 'M-idle-end'), [])

      // Out of the project: everything Fabrik set is gone, the user's own values are back.
      for (const name of ['out', 'deactivated']) {
        const env = readEnv(join(h.out, `${name}.env`))
        assert.equal(env.BAZELRC, USER_BAZELRC, `${name}: BAZELRC restored`)
        assert.equal(env.GRADLE_BUILD_CACHE_URL, USER_GRADLE_URL, `${name}: GRADLE_BUILD_CACHE_URL restored`)
        for (const v of MANAGED) assert.equal(env[v], undefined, `${name}: ${v} unset`)
      }
      assert.equal(readEnv(join(h.out, 'back.env')).TURBO_API, url, 'back in the project before deactivating')

      // After `fabrik deactivate` the hook is gone: entering the project runs nothing and sets nothing.
      assert.deepEqual(runsBetween(h.counter, 'M-after-deactivate'), [])
      const afterEnv = readEnv(join(h.out, 'after.env'))
      assert.equal(afterEnv.TURBO_API, undefined)
      assert.equal(afterEnv.BAZELRC, USER_BAZELRC)
    })
  }

  it("bash: moving from project A straight into project B switches to B's daemon, leaving B restores the pre-A values, and deactivate --stop-daemon stops B's daemon", async (t) => {
    const bin = requireClient(t, 'bash')
    if (!bin) return
    const h = harness(project, 'switch')
    const other = join(h.root, 'project-b')
    mkdirSync(other, { recursive: true })
    writeFileSync(join(other, 'fabrik.toml'), '[build_systems]\nenabled = ["gradle"]\n')
    trust(join(other, 'fabrik.toml'), readFileSync(join(other, 'fabrik.toml')), h.env)
    const snap = (name: string) => `env > '${join(h.out, `${name}.env`)}'`
    const lines = [
      'eval "$(fabrik activate bash)"',
      `cd '${project.dir}'`,
      snap('a'),
      `cd '${other}'`,
      snap('b'),
      'cd /',
      snap('none'),
      `cd '${other}'`,
      'fabrik deactivate --stop-daemon',
      snap('stopped'),
      'exit',
      '',
    ]
    const r = await runShell(bin, SHELL_ARGS.bash as string[], lines.join('\n'), h.env, h.root)
    assert.equal(r.code, 0, r.output)
    const a = readEnv(join(h.out, 'a.env'))
    const b = readEnv(join(h.out, 'b.env'))
    assert.ok(a.FABRIK_HTTP_URL && b.FABRIK_HTTP_URL && a.FABRIK_HTTP_URL !== b.FABRIK_HTTP_URL, r.output)
    assert.notEqual(a.FABRIK_CONFIG_HASH, b.FABRIK_CONFIG_HASH)
    assert.equal(b.TURBO_API, undefined, "A's turbo variables do not leak into B")
    assert.equal(b.BAZELRC, USER_BAZELRC, 'B has no bazel: the user value is back')
    assert.equal(b.GRADLE_BUILD_CACHE_URL, `${b.FABRIK_HTTP_URL}/cache/`)
    const none = readEnv(join(h.out, 'none.env'))
    assert.equal(none.GRADLE_BUILD_CACHE_URL, USER_GRADLE_URL)
    assert.equal(none.FABRIK_HTTP_URL, undefined)

    // deactivate --stop-daemon stops the active project's daemon (B's), and only that one.
    const stopped = readEnv(join(h.out, 'stopped.env'))
    assert.equal(stopped.GRADLE_BUILD_CACHE_URL, USER_GRADLE_URL)
    assert.equal(isAlive(Number(b.FABRIK_DAEMON_PID)), false, r.output)
    assert.equal(isAlive(Number(a.FABRIK_DAEMON_PID)), true)
    assert.match(r.output, /stopped daemon [0-9a-f]{16}/)
  })
})
