import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RUN_JS } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { bazel, genruleWorkspace, remoteCacheHits } from '../helpers/bazel.js'
import { counter } from '../helpers/http.js'
import { makeProject, type TestProject } from '../helpers/project.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'

// The repo's own turbo, i.e. what `npx turbo` resolves to in a project that depends on it (the temp workspace
// does not, and npx would otherwise download it).
const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** `fabrik exec ARGS` in the project; `onStdout` sees output as it arrives (to signal at the right moment). */
function exec(project: TestProject, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; onStdout?: (text: string, pid: number) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_JS, 'exec', ...args], { cwd: opts.cwd ?? project.dir, env: { ...project.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
      opts.onStdout?.(stdout, child.pid as number)
    })
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    // A hung `fabrik exec` fails its test (with what it printed) instead of hanging the run.
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`fabrik exec ${args.join(' ')} did not finish within 120 s\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, 120_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

describe('fabrik exec', { timeout: 600_000 }, () => {
  let project: TestProject
  before(async () => {
    project = await makeProject('[build_systems]\nenabled = ["turborepo", "bazel", "gradle", "nx"]\n')
    project.env.GRADLE_USER_HOME = join(project.dir, '..', 'gradle-home')
    for (const v of ['TURBO_API', 'TURBO_TEAM', 'TURBO_TOKEN', 'BAZELRC', 'GRADLE_BUILD_CACHE_URL', '__FABRIK_SAVED']) delete project.env[v]
  })
  after(async () => project.cleanup())

  it("starts the project's daemon and gives the command the same variables as activation", async () => {
    const r = await exec(project, ['--', 'sh', '-c', 'echo "$TURBO_API|$TURBO_TEAM|$NX_SELF_HOSTED_REMOTE_CACHE_SERVER|$GRADLE_BUILD_CACHE_URL|$BAZELRC|$FABRIK_DAEMON_PID"'])
    assert.equal(r.code, 0, r.stderr)
    const [api, team, nx, gradle, bazelrc, pid] = r.stdout.trim().split('|')
    assert.match(api ?? '', /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.equal(team, 'fabrik-local')
    assert.equal(nx, api)
    assert.equal(gradle, `${api}/cache/`)
    assert.match(bazelrc ?? '', /bazelrc$/)
    const status = await project.cli(['daemon', 'status', '--json'])
    assert.equal(JSON.parse(status.stdout).daemon.pid, Number(pid))
  })

  it('passes the exit code through, with or without --', async () => {
    assert.equal((await exec(project, ['--', 'sh', '-c', 'exit 7'])).code, 7)
    assert.equal((await exec(project, ['sh', '-c', 'exit 3'])).code, 3)
    assert.equal((await exec(project, ['--', 'true'])).code, 0)
  })

  it('exits 128 + N when a signal killed the command', async () => {
    const r = await exec(project, ['--', 'sh', '-c', 'kill -TERM $$'])
    assert.equal(r.code, 143)
    assert.equal((await exec(project, ['--', 'sh', '-c', 'kill -INT $$'])).code, 130)
  })

  for (const [signal, status] of [['SIGTERM', 42], ['SIGINT', 43]] as const) {
    it(`forwards ${signal} sent to fabrik to the command`, async () => {
      let sent = false
      const trap = `trap 'echo got-${signal}; exit ${status}' ${signal.slice(3)}; echo ready; while :; do sleep 0.05; done`
      const r = await exec(project, ['--', 'sh', '-c', trap], {
        onStdout: (text, pid) => {
          if (!sent && text.includes('ready')) {
            sent = true
            process.kill(pid, signal)
          }
        },
      })
      assert.equal(r.code, status, r.stdout + r.stderr)
      assert.match(r.stdout, new RegExp(`got-${signal}`))
    })
  }

  it('exits 127 for a command that does not exist and 64 for no command at all', async () => {
    const missing = await exec(project, ['--', 'no-such-command-fabrik-test'])
    assert.equal(missing.code, 127)
    assert.match(missing.stderr, /command not found/)
    assert.equal((await exec(project, ['--'])).code, 64)
  })

  it('bazel build //... in a fresh genrule workspace gets remote cache hits after bazel clean (Bazel 4.2.3, no flags of its own)', async (t) => {
    const bin = requireClient(t, 'bazel')
    if (!bin) return
    const ws = join(project.dir, 'bazel-ws')
    genruleWorkspace(ws, 4)
    const outRoot = join(project.dir, '..', 'bazel-out')
    const bz = bazel(bin, ws, outRoot, project.env)
    try {
      const build = ['--', 'bazel', `--output_user_root=${outRoot}`, 'build', '//...']
      const first = await exec(project, build, { cwd: ws })
      assert.equal(first.code, 0, first.stderr)
      assert.equal(remoteCacheHits(first.stderr), 0)
      assert.equal((await exec(project, ['--', 'bazel', `--output_user_root=${outRoot}`, 'clean'], { cwd: ws })).code, 0)
      const second = await exec(project, build, { cwd: ws })
      assert.equal(second.code, 0, second.stderr)
      assert.match(second.stderr, /processes: 3 remote cache hit, 1 internal\./, second.stderr)
    } finally {
      await bz.shutdown()
    }
  })

  it('npx turbo run build gets FULL TURBO from the daemon on the second run', async () => {
    const ws = join(project.dir, 'turbo-ws')
    writeTree(ws, {
      '.gitignore': '.turbo/\ndist/\nnode_modules/\n',
      'package.json': JSON.stringify({ name: 'turbo-ws', private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
      'package-lock.json': JSON.stringify({ name: 'turbo-ws', lockfileVersion: 3, requires: true, packages: { '': { name: 'turbo-ws', workspaces: ['packages/*'] }, 'packages/app': { name: 'app' }, 'node_modules/app': { resolved: 'packages/app', link: true } } }),
      'turbo.json': JSON.stringify({ $schema: 'https://turbo.build/schema.json', tasks: { build: { outputs: ['dist/**'] } } }),
      'packages/app/package.json': JSON.stringify({ name: 'app', scripts: { build: 'node build.js' } }),
      'packages/app/build.js': "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','built');console.log('BUILD RAN')\n",
    })
    gitCommitAll(ws)
    const env = { TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1', TURBO_UI: 'false' }
    const first = await exec(project, ['--', TURBO, 'run', 'build', '--output-logs=full'], { cwd: ws, env })
    assert.equal(first.code, 0, first.stdout + first.stderr)
    assert.match(first.stdout, /BUILD RAN/)
    // Only the daemon can provide the second run's hit.
    for (const p of ['.turbo', 'node_modules', 'packages/app/dist', 'packages/app/.turbo']) rmSync(join(ws, p), { recursive: true, force: true })
    const second = await exec(project, ['--', TURBO, 'run', 'build', '--output-logs=full'], { cwd: ws, env })
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /FULL TURBO/)
    const status = JSON.parse((await project.cli(['daemon', 'status', '--json'])).stdout)
    assert.ok((await counter(status.daemon.http_url, 'fabrik_cache_hits_total', { tool: 'turbo' })) >= 1)
  })
})
