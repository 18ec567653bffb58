import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { runCli } from '../helpers/cli.js'
import { isAlive } from '../../src/io/process.js'

// `fabrik implode` on a machine where init, activation and every tool's wiring were applied: the tree of the
// home folder and the projects is, afterwards, exactly what it was before Fabrik touched it.

function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      const st = statSync(path)
      if (st.isDirectory()) {
        out[`${relative(root, path)}/`] = 'dir'
        walk(path)
      } else {
        out[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12)
      }
    }
  }
  walk(root)
  return out
}

describe('fabrik implode', () => {
  let root: string
  let env: NodeJS.ProcessEnv
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-implode-'))
    const home = join(root, 'home')
    env = {
      ...process.env,
      HOME: home,
      SHELL: '/bin/bash',
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_STATE_HOME: join(home, '.local', 'state'),
      XDG_CACHE_HOME: join(home, '.cache'),
      GRADLE_USER_HOME: join(home, '.gradle'),
      PATH: process.env.PATH,
    }
    for (const v of ['FABRIK_STATE_DIR', 'FABRIK_CONFIG', '__FABRIK_SAVED', 'ZDOTDIR']) delete env[v]
    // What the user had before Fabrik.
    mkdirSync(join(home, '.config', 'fish'), { recursive: true })
    writeFileSync(join(home, '.bashrc'), "alias ll='ls -l'\n")
    writeFileSync(join(home, '.config', 'fish', 'config.fish'), 'set -gx EDITOR vi\n')
    mkdirSync(join(root, 'ws'), { recursive: true })
    writeFileSync(join(root, 'ws', 'WORKSPACE'), 'workspace(name = "ws")\n')
    writeFileSync(join(root, 'ws', '.bazelrc'), 'build --jobs=2\n')
    writeFileSync(join(root, 'ws', '.gitignore'), 'bazel-*\n')
    mkdirSync(join(root, 'app'), { recursive: true })
    writeFileSync(join(root, 'app', 'package.json'), '{}\n')
  })
  const pids: number[] = []
  after(async () => {
    // A failed run leaves its daemons behind otherwise (implode is what stops them).
    for (const pid of pids) if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGTERM')
    await rm(root, { recursive: true, force: true })
  })
  const home = () => join(root, 'home')

  it('lists, then removes every file Fabrik wrote: rc lines, fish completion, Gradle init script, .bazelrc import, .gitignore line, .fabrik/, state, cache, trust, config', async () => {
    const before = tree(root)
    for (const project of ['ws', 'app']) {
      const cwd = join(root, project)
      const init = await runCli(['init'], { cwd, env })
      assert.equal(init.code, 0, init.stderr)
      const hook = await runCli(['hook-env', '--shell', 'bash'], { cwd, env })
      assert.equal(hook.code, 0, hook.stderr)
      pids.push(Number(/FABRIK_DAEMON_PID='(\d+)'/.exec(hook.stdout)?.[1]))
    }
    for (const shell of ['/bin/bash', '/bin/zsh', '/usr/bin/fish']) {
      const fix = await runCli(['doctor', '--fix'], { cwd: join(root, 'ws'), env: { ...env, SHELL: shell } })
      assert.notEqual(fix.code, null, fix.stderr)
    }
    // The file `fabrik completion --help` tells fish users to write.
    const completion = await runCli(['completion', 'fish'], { cwd: root, env })
    assert.equal(completion.code, 0, completion.stderr)
    mkdirSync(join(home(), '.config', 'fish', 'completions'), { recursive: true })
    writeFileSync(join(home(), '.config', 'fish', 'completions', 'fabrik.fish'), completion.stdout)
    mkdirSync(join(env.XDG_CONFIG_HOME as string, 'fabrik'), { recursive: true })
    writeFileSync(join(env.XDG_CONFIG_HOME as string, 'fabrik', 'config.toml'), '[cache]\nmax_size = "1GB"\n')
    const during = tree(root)
    const added = Object.keys(during).filter((p) => !(p in before))
    for (const expected of ['ws/.fabrik/bazelrc', 'ws/fabrik.toml', 'app/.fabrik/', 'home/.gradle/init.d/fabrik.gradle', 'home/.local/share/fabrik/trusted.json']) {
      assert.ok(added.includes(expected), `${expected} in ${added.join(' ')}`)
    }
    assert.ok(added.some((p) => p.startsWith('home/.local/state/fabrik/')))
    assert.match(readFileSync(join(root, 'ws', '.bazelrc'), 'utf8'), /try-import/)
    assert.match(readFileSync(join(root, 'home', '.bashrc'), 'utf8'), /fabrik activate bash/)
    assert.match(readFileSync(join(root, 'home', '.config', 'fish', 'config.fish'), 'utf8'), /fabrik activate fish/)
    assert.match(readFileSync(join(root, 'home', '.zshrc'), 'utf8'), /fabrik activate zsh/)
    assert.ok(added.includes('home/.config/fish/completions/fabrik.fish'))

    const dry = await runCli(['implode', '--dry-run'], { cwd: root, env })
    assert.equal(dry.code, 0, dry.stderr)
    assert.match(dry.stdout, /^Would remove:/)
    for (const p of ['.bashrc', '.zshrc', 'config.fish', 'completions/fabrik.fish', 'fabrik.gradle', 'ws/.bazelrc', 'ws/.fabrik', 'app/.fabrik', 'ws/.gitignore', 'state/fabrik', '.local/share/fabrik', '.config/fabrik']) {
      assert.ok(dry.stdout.includes(p), `${p} listed:\n${dry.stdout}`)
    }
    assert.deepEqual(tree(root), during, '--dry-run changes nothing')
    const refused = await runCli(['implode'], { cwd: root, env })
    assert.equal(refused.code, 64, 'without a terminal to confirm and without --yes, nothing happens')
    assert.deepEqual(tree(root), during)

    const r = await runCli(['implode', '--yes'], { cwd: root, env })
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /npm rm -g fabrik/)
    for (const pid of pids) assert.equal(isAlive(pid), false, `daemon ${pid} stopped`)
    assert.deepEqual(tree(root), before, 'the tree is as it was before Fabrik')
    assert.match((await runCli(['implode', '--yes'], { cwd: root, env })).stdout, /Nothing of Fabrik is left/)
  })
})
