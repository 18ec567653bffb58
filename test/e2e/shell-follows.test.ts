import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RUN_JS } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { makeProject, type TestProject } from '../helpers/project.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'
import { isAlive } from '../../src/io/process.js'

// The shell follows the daemon (issue 12), in real bash, zsh and fish driven as in activate-shells.test.ts (every
// line read by an interactive bash/zsh is a prompt; fish gets `emit fish_prompt`). `fabrik` on PATH is a wrapper
// that logs each run, so "an idle prompt spawns nothing" is counted.

const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))
const TOML = '[build_systems]\nenabled = ["turborepo"]\n'

function turboWorkspace(root: string): void {
  writeTree(root, {
    '.gitignore': '.turbo/\ndist/\nnode_modules/\n.fabrik/\n',
    'package.json': JSON.stringify({ name: 'turbo-ws', private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({ name: 'turbo-ws', lockfileVersion: 3, requires: true, packages: { '': { name: 'turbo-ws', workspaces: ['packages/*'] }, 'packages/app': { name: 'app' }, 'node_modules/app': { resolved: 'packages/app', link: true } } }),
    'turbo.json': JSON.stringify({ $schema: 'https://turbo.build/schema.json', tasks: { build: { outputs: ['dist/**'] } } }),
    'packages/app/package.json': JSON.stringify({ name: 'app', scripts: { build: 'node build.js' } }),
    'packages/app/build.js': "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','built');console.log('BUILD RAN')\n",
  })
  gitCommitAll(root)
}

function run(bin: string, args: string[], stdin: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
    child.stdin.end(stdin)
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

describe('the shell follows its daemon, and acts only on trusted files', () => {
  let project: TestProject
  before(async () => {
    project = await makeProject(TOML)
    turboWorkspace(project.dir)
  })
  after(async () => project.cleanup())

  for (const shell of ['bash', 'zsh', 'fish']) {
    it(`${shell}: restart → next prompt has the new port and turbo hits; stop/start; an edited fabrik.toml moves to a new daemon and stops the old; a broken one activates once fixed; an untrusted repo starts nothing until \`fabrik trust\`; idle prompts spawn nothing`, async (t) => {
      const bin = requireClient(t, shell)
      if (!bin) return
      const root = join(project.dir, '..', `follow-${shell}`)
      const binDir = join(root, 'bin')
      const out = join(root, 'out')
      const cloned = join(root, 'cloned')
      for (const d of [binDir, out, join(root, 'home'), cloned]) mkdirSync(d, { recursive: true })
      writeFileSync(join(cloned, 'fabrik.toml'), '[build_systems]\nenabled = ["nx"]\n')
      const counter = join(root, 'count')
      writeFileSync(counter, '')
      writeFileSync(join(binDir, 'fabrik'), `#!/bin/sh\necho "run $*" >> '${counter}'\nexec '${process.execPath}' '${RUN_JS}' "$@"\n`)
      chmodSync(join(binDir, 'fabrik'), 0o755)
      const env: NodeJS.ProcessEnv = {
        ...project.env,
        PATH: `${binDir}:${process.env.PATH}`,
        HOME: join(root, 'home'),
        SHELL: bin,
        TURBO_TELEMETRY_DISABLED: '1',
        DO_NOT_TRACK: '1',
        TURBO_NO_UPDATE_NOTIFIER: '1',
        TURBO_UI: 'false',
      }
      for (const v of ['__FABRIK_SAVED', 'TURBO_API', 'TURBO_TEAM', 'TURBO_TOKEN', 'FABRIK_HTTP_URL']) delete env[v]

      const fish = shell === 'fish'
      const prompt = fish ? 'emit fish_prompt' : ':'
      const snap = (name: string) => [prompt, `env > '${join(out, `${name}.env`)}'`]
      const mark = (m: string) => `echo ${m} >> '${counter}'`
      const turbo = (name: string) => `'${TURBO}' run build --output-logs=full > '${join(out, `${name}.turbo`)}' 2>&1`
      const clean = `rm -rf .turbo node_modules packages/app/dist`
      const toml = join(project.dir, 'fabrik.toml')
      const lines = [
        fish ? 'fabrik activate fish | source' : `eval "$(fabrik activate ${shell})"`,
        `cd '${project.dir}'`,
        ...snap('in'),
        turbo('first'),
        'fabrik daemon restart > /dev/null',
        ...snap('restarted'),
        clean,
        turbo('second'),
        mark('M-idle'),
        ...Array.from({ length: 20 }, () => prompt),
        mark('M-idle-end'),
        'fabrik daemon stop > /dev/null',
        ...snap('stopped'),
        'fabrik daemon start > /dev/null',
        ...snap('started'),
        // An edit is a changed file: not acted on until trusted again (as direnv and mise do).
        `printf '[build_systems]\\nenabled = ["turborepo"]\\n[cache]\\nmax_size = "1GB"\\n' > '${toml}'`,
        ...snap('changed'),
        'fabrik trust > /dev/null',
        ...snap('edited'),
        `printf '[cache]\\nmax_size = \\n' > '${toml}'`,
        ...snap('broken'),
        `printf '[build_systems]\\nenabled = ["turborepo"]\\n[cache]\\nmax_size = "1GB"\\n' > '${toml}'`,
        ...snap('fixed'),
        `cd '${cloned}'`,
        ...snap('untrusted'),
        'fabrik daemon list --json > ' + `'${join(out, 'list-untrusted.json')}'`,
        'fabrik trust > /dev/null',
        ...snap('trusted'),
        'exit',
        '',
      ].join('\n')
      const file = join(root, 'script.fish')
      if (fish) writeFileSync(file, lines)
      const argv = fish ? ['--no-config', file] : shell === 'bash' ? ['--norc', '--noprofile', '-i'] : ['-f', '-i']
      const r = await run(bin, argv, fish ? '' : lines, env, root)
      assert.equal(r.code, 0, r.output)

      const inside = readEnv(join(out, 'in.env'))
      const restarted = readEnv(join(out, 'restarted.env'))
      assert.match(inside.TURBO_API ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, r.output)
      assert.match(restarted.TURBO_API ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, r.output)
      assert.notEqual(restarted.FABRIK_DAEMON_PID, inside.FABRIK_DAEMON_PID, 'a new daemon process')
      assert.notEqual(restarted.TURBO_API, inside.TURBO_API, 'the next prompt exports the new port')
      assert.equal(isAlive(Number(inside.FABRIK_DAEMON_PID)), false)
      assert.match(readFileSync(join(out, 'first.turbo'), 'utf8'), /BUILD RAN/)
      const second = readFileSync(join(out, 'second.turbo'), 'utf8')
      assert.match(second, /FULL TURBO/, second)
      assert.match(second, /remote cache hit|cache hit, replaying/i)

      const lines2 = readFileSync(counter, 'utf8').split('\n')
      const idle = lines2.slice(lines2.indexOf('M-idle') + 1, lines2.indexOf('M-idle-end'))
      assert.deepEqual(idle, [], '20 idle prompts run no process')

      assert.equal(readEnv(join(out, 'stopped.env')).TURBO_API, undefined, 'after `daemon stop` the variables are gone')
      assert.match(r.output, /is not running; its variables are unset until `fabrik daemon start`/)
      const started = readEnv(join(out, 'started.env'))
      assert.match(started.TURBO_API ?? '', /^http:/, 'after `daemon start` they are back')

      assert.equal(readEnv(join(out, 'changed.env')).TURBO_API, undefined, 'a changed file is not acted on')
      assert.match(r.output, /fabrik\.toml has changed since you trusted it; review it, then run `fabrik trust`/)
      const edited = readEnv(join(out, 'edited.env'))
      assert.notEqual(edited.FABRIK_CONFIG_HASH, started.FABRIK_CONFIG_HASH, 'another config, another daemon')
      assert.ok(isAlive(Number(edited.FABRIK_DAEMON_PID)))
      assert.equal(isAlive(Number(started.FABRIK_DAEMON_PID)), false, 'the old daemon is gone')
      assert.match(r.output, /fabrik\.toml changed: now daemon/)

      assert.equal(readEnv(join(out, 'broken.env')).TURBO_API, undefined, 'a broken (so changed) config deactivates')
      const fixed = readEnv(join(out, 'fixed.env'))
      assert.equal(fixed.FABRIK_CONFIG_HASH, edited.FABRIK_CONFIG_HASH, 'fixing it activates on the next prompt')

      const untrusted = readEnv(join(out, 'untrusted.env'))
      assert.equal(untrusted.FABRIK_HTTP_URL, undefined)
      assert.equal(untrusted.NX_SELF_HOSTED_REMOTE_CACHE_SERVER, undefined)
      const notice = r.output.split('\n').filter((l) => l.includes(`${cloned}/fabrik.toml is not trusted yet`))
      assert.equal(notice.length, 1, r.output)
      assert.match(notice[0] as string, /`fabrik trust`/)
      const listed = JSON.parse(readFileSync(join(out, 'list-untrusted.json'), 'utf8')) as { daemons: { config_path?: string }[] }
      assert.ok(!listed.daemons.some((d) => d.config_path === join(cloned, 'fabrik.toml')), 'no daemon for the untrusted file')
      const trusted = readEnv(join(out, 'trusted.env'))
      assert.match(trusted.NX_SELF_HOSTED_REMOTE_CACHE_SERVER ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, r.output)
      assert.equal(trusted.TURBO_API, undefined)
      // Put the project back for the next shell.
      writeFileSync(toml, TOML)
      await project.cli(['trust'])
    })
  }
})
