import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, rmSync, symlinkSync } from 'node:fs'
import { stripVTControlCharacters } from 'node:util'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bazel, genruleWorkspace, remoteCacheHits, type Bazel } from '../helpers/bazel.js'
import { runCommand } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { counter } from '../helpers/http.js'
import { makeProject, type TestProject } from '../helpers/project.js'
import { S3rverProcess, uploadsDrained } from '../helpers/s3.js'
import { ServerProcess, serverToml } from '../helpers/server.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'
import { makeKey, token, writeKeys } from '../unit/server/helpers.js'

const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))
const NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url))

function turboWorkspace(root: string): void {
  writeTree(root, {
    '.gitignore': '.turbo/\ndist/\nnode_modules/\n',
    'package.json': JSON.stringify({ name: 'turbo-regional', private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({ name: 'turbo-regional', lockfileVersion: 3, requires: true, packages: { '': { name: 'turbo-regional', workspaces: ['packages/*'] }, 'packages/app': { name: 'app' }, 'node_modules/app': { resolved: 'packages/app', link: true } } }),
    'turbo.json': JSON.stringify({ tasks: { build: { outputs: ['dist/**'] } } }),
    'packages/app/package.json': JSON.stringify({ name: 'app', scripts: { build: 'node build.js' } }),
    'packages/app/build.js': "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','regional');console.log('BUILD RAN')\n",
  })
  gitCommitAll(root)
}

// laptop daemon → fabrik server → s3rver, each started by the test; and CI machines straight against the server.
describe('fabrik server between daemons and S3, and for CI without a daemon', () => {
  let root: string
  let s3: S3rverProcess
  let server: ServerProcess
  let jwt: string
  const projects: TestProject[] = []
  const bazels: Bazel[] = []
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-regional-'))
    s3 = await S3rverProcess.start('regional-bucket')
    const key = await makeKey('team-key')
    await writeKeys(join(root, 'keys.json'), [key])
    jwt = await token(key, { sub: 'laptops', project_id: 'acme' })
    server = new ServerProcess(join(root, 'server'), serverToml({ s3Endpoint: s3.endpoint, bucket: s3.bucket, keyFile: join(root, 'keys.json') }))
    await server.start()
  })
  after(async () => {
    for (const b of bazels) await b.shutdown()
    for (const p of projects) await p.cleanup()
    await server?.stop()
    await s3?.cleanup()
    await rm(root, { recursive: true, force: true })
  })

  async function laptop(): Promise<{ p: TestProject; http: string; grpc: string }> {
    const p = await makeProject(`[cache]\ndir = ".fabrik/cache"\n\n[[upstream]]\nurl = "grpc://127.0.0.1:${server.grpcPort}"\ntimeout = "5s"\n`)
    p.env.FABRIK_TOKEN = jwt
    projects.push(p)
    const d = await p.startDaemon()
    return { p, http: d.http_url, grpc: d.grpc_url }
  }

  const turboEnv = (base: NodeJS.ProcessEnv, api: string, tok: string, team: string) => ({
    ...base, TURBO_API: api, TURBO_TEAM: team, TURBO_TOKEN: tok, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_UI: 'false', TURBO_NO_UPDATE_NOTIFIER: '1',
  })

  it('turbo on laptop A reaches the regional tier (and its bucket); laptop B with an empty cache replays it from there', async () => {
    const a = await laptop()
    const wsA = join(a.p.dir, 'ws')
    turboWorkspace(wsA)
    const first = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: wsA, env: turboEnv(a.p.env, a.http, 'x', 'fabrik-local') })
    assert.equal(first.code, 0, first.stdout + first.stderr)
    await uploadsDrained(a.http)
    const objects = await s3.objects('regional/t.acme.turbo.fabrik-local/')
    assert.equal(objects.size, 1, 'the server wrote the artifact through to S3 under the token\'s tenant')

    const b = await laptop()
    const wsB = join(b.p.dir, 'ws')
    turboWorkspace(wsB)
    const second = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: wsB, env: turboEnv(b.p.env, b.http, 'x', 'fabrik-local') })
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /FULL TURBO/)
    assert.ok((await counter(b.http, 'fabrik_upstream_requests_total', { layer: 'regional', op: 'get', result: 'hit' })) >= 1)
  })

  it('Bazel on laptop A, then laptop B rebuilds with every action a remote hit from the regional tier', async (t) => {
    const bin = requireClient(t, 'bazel')
    if (!bin) return
    const a = await laptop()
    const wsA = join(a.p.dir, 'bz')
    genruleWorkspace(wsA, 2)
    const bzA = bazel(bin, wsA, join(a.p.dir, 'bz-out'), a.p.env)
    bazels.push(bzA)
    assert.equal((await bzA.run(['build', `--remote_cache=${a.grpc}`, '--noshow_progress', '//:combined'])).code, 0)
    await uploadsDrained(a.http)
    const b = await laptop()
    const wsB = join(b.p.dir, 'bz')
    genruleWorkspace(wsB, 2)
    const bzB = bazel(bin, wsB, join(b.p.dir, 'bz-out'), b.p.env)
    bazels.push(bzB)
    const second = await bzB.run(['build', `--remote_cache=${b.grpc}`, '--noshow_progress', '//:combined'])
    assert.equal(second.code, 0, second.stderr)
    assert.equal(remoteCacheHits(second.stderr), 3, second.stderr)
  })

  it('`fabrik auth status` shows what the daemon sends; a rejected token shows in `fabrik health` with the fix', async () => {
    const { p } = await laptop()
    const status = await p.cli(['auth', 'status', '--json'])
    assert.equal(status.code, 0, status.stderr)
    const report = JSON.parse(status.stdout) as { source: string; tenant: string; permissions: string[]; expired: boolean }
    assert.equal(report.source, 'FABRIK_TOKEN')
    assert.equal(report.tenant, 'acme')
    assert.deepEqual(report.permissions, ['cache:read', 'cache:write'])
    assert.equal(report.expired, false)
    assert.doesNotMatch(status.stdout, new RegExp(jwt.slice(-20)), 'the token itself is never printed')
    assert.equal((await p.cli(['auth', 'token'])).stdout.trim(), jwt)
    const doctor = await p.cli(['doctor'])
    assert.match(doctor.stdout + doctor.stderr, /sends the token of laptops \(tenant acme, cache:read, cache:write\) from FABRIK_TOKEN/)

    const other = await makeKey('not-the-servers')
    const bad = await makeProject(`[cache]\ndir = ".fabrik/cache"\n\n[[upstream]]\nurl = "grpc://127.0.0.1:${server.grpcPort}"\ntimeout = "5s"\n`)
    projects.push(bad)
    bad.env.FABRIK_TOKEN = await token(other, { project_id: 'acme' })
    const d = await bad.startDaemon()
    await fetch(`${d.http_url}/v1/cache/${'0'.repeat(64)}`)
    const health = await bad.cli(['health'])
    assert.match(health.stdout, /refused reads: regional Get failed with UNAUTHENTICATED/)
    assert.match(health.stdout, /fix: Set FABRIK_TOKEN/)
    const refusedDoctor = await bad.cli(['doctor'])
    assert.notEqual(refusedDoctor.code, 0)
    assert.match(refusedDoctor.stdout + refusedDoctor.stderr, /the regional server refuses the token from FABRIK_TOKEN/)
  })

  it('`fabrik health` on a daemon with no token says so, with the fix, before any request has failed', async () => {
    const p = await makeProject(`[cache]\ndir = ".fabrik/cache"\n\n[[upstream]]\nurl = "grpc://127.0.0.1:${server.grpcPort}"\ntimeout = "5s"\n`)
    projects.push(p)
    delete p.env.FABRIK_TOKEN
    await p.startDaemon()
    const health = await p.cli(['health'])
    assert.equal(health.code, 0, health.stderr)
    assert.match(health.stdout, /auth: +no token: set FABRIK_TOKEN \(or \[auth\.token\] env_var \/ file\)/)
    assert.doesNotMatch(health.stdout, /refused|last error/, 'nothing has been sent yet')

    const { p: withToken } = await laptop()
    const good = await withToken.cli(['health'])
    assert.match(good.stdout, /auth: +sends the token of laptops \(tenant acme, cache:read, cache:write\) from FABRIK_TOKEN, valid until/)
  })

  it('CI without a daemon: turbo with TURBO_TOKEN = the JWT gets FULL TURBO straight from the server', async () => {
    const ws = join(root, 'ci-turbo')
    turboWorkspace(ws)
    const env = turboEnv(process.env, server.http, jwt, 'acme')
    const first = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env })
    assert.equal(first.code, 0, first.stdout + first.stderr)
    rmSync(join(ws, '.turbo'), { recursive: true, force: true })
    rmSync(join(ws, 'packages/app/dist'), { recursive: true, force: true })
    const second = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env })
    assert.match(second.stdout, /FULL TURBO/, second.stdout)
  })

  it('CI without a daemon: Bazel with --remote_header=Authorization=Bearer … gets remote hits; without the header it is refused', async (t) => {
    const bin = requireClient(t, 'bazel')
    if (!bin) return
    const ws = join(root, 'ci-bazel')
    genruleWorkspace(ws, 1)
    const bz = bazel(bin, ws, join(root, 'ci-bazel-out'), process.env)
    bazels.push(bz)
    const flags = [`--remote_cache=grpc://127.0.0.1:${server.grpcPort}`, `--remote_header=Authorization=Bearer ${jwt}`, '--noshow_progress']
    assert.equal((await bz.run(['build', ...flags, '//:combined'])).code, 0)
    assert.equal((await bz.run(['clean'])).code, 0)
    const second = await bz.run(['build', ...flags, '//:combined'])
    assert.equal(remoteCacheHits(second.stderr), 3, second.stderr)
    const refused = await bz.run(['build', `--remote_cache=grpc://127.0.0.1:${server.grpcPort}`, '--noshow_progress', '//:combined'])
    assert.match(refused.stderr, /UNAUTHENTICATED/)
  })

  it('CI without a daemon: nx with the JWT as its access token restores from the server', async () => {
    const ws = join(root, 'ci-nx')
    writeTree(ws, {
      '.gitignore': 'dist\n.nx\nnode_modules\n',
      'package.json': JSON.stringify({ name: 'nx-regional', private: true }),
      'nx.json': JSON.stringify({ targetDefaults: { build: { cache: true } } }),
      'packages/a/project.json': JSON.stringify({
        name: 'a', root: 'packages/a',
        targets: { build: { command: 'node build.js', options: { cwd: 'packages/a' }, outputs: ['{projectRoot}/dist'], cache: true } },
      }),
      'packages/a/build.js': "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/o.txt','regional nx');console.log('NX BUILD RAN')\n",
    })
    symlinkSync(NODE_MODULES, join(ws, 'node_modules'))
    const nx = join(NODE_MODULES, '.bin', 'nx')
    const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.http, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: jwt }
    const first = await runCommand(nx, ['run', 'a:build'], { cwd: ws, env })
    assert.equal(first.code, 0, first.stdout + first.stderr)
    assert.equal((await runCommand(nx, ['reset'], { cwd: ws, env })).code, 0)
    rmSync(join(ws, 'packages/a/dist'), { recursive: true, force: true })
    const second = await runCommand(nx, ['run', 'a:build'], { cwd: ws, env })
    assert.match(stripVTControlCharacters(second.stdout), /\[remote cache\]/, second.stdout)
    assert.equal(readFileSync(join(ws, 'packages/a/dist/o.txt'), 'utf8'), 'regional nx')
  })

  it('CI without a daemon: Gradle with the JWT as its Basic password takes compileJava FROM-CACHE', async (t) => {
    const gradle = requireClient(t, 'gradle')
    if (!gradle) return
    const ws = join(root, 'ci-gradle')
    writeTree(ws, {
      'settings.gradle': `rootProject.name = 'demo'\nbuildCache {\n  local { enabled = false }\n  remote(HttpBuildCache) {\n    url = '${server.http.replace('localhost', '127.0.0.1')}/cache/'\n    push = true\n    credentials { username = 'ci'; password = System.getenv('FABRIK_TOKEN') }\n  }\n}\n`,
      'build.gradle': "apply plugin: 'java'\n",
      'src/main/java/demo/Hello.java': 'package demo;\npublic class Hello { public static String hi() { return "regional"; } }\n',
    })
    const args = ['--no-daemon', '--build-cache', '--console=plain', '-g', join(root, 'gradle-home')]
    const env = { ...process.env, FABRIK_TOKEN: jwt }
    const first = await runCommand(gradle, [...args, 'compileJava'], { cwd: ws, env, timeoutMs: 300_000 })
    assert.equal(first.code, 0, first.stdout + first.stderr)
    const second = await runCommand(gradle, [...args, 'clean', 'compileJava'], { cwd: ws, env, timeoutMs: 300_000 })
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /compileJava FROM-CACHE/)
  })
})
