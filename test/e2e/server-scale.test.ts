import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCommand } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { counter } from '../helpers/http.js'
import { S3rverProcess } from '../helpers/s3.js'
import { ServerProcess, serverToml } from '../helpers/server.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'
import { makeKey, token, writeKeys } from '../unit/server/helpers.js'

const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))
const PACKAGES = ['a', 'b', 'c', 'd', 'e', 'f']

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

function workspace(root: string): void {
  const files: Record<string, string> = {
    '.gitignore': '.turbo/\ndist/\nnode_modules/\n',
    'package.json': JSON.stringify({ name: 'scale', private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({
      name: 'scale', lockfileVersion: 3, requires: true,
      packages: Object.fromEntries([['', { name: 'scale', workspaces: ['packages/*'] }], ...PACKAGES.flatMap((p) => [[`packages/${p}`, { name: p }], [`node_modules/${p}`, { resolved: `packages/${p}`, link: true }]])]),
    }),
    'turbo.json': JSON.stringify({ tasks: { build: { outputs: ['dist/**'] } } }),
  }
  for (const p of PACKAGES) {
    files[`packages/${p}/package.json`] = JSON.stringify({ name: p, scripts: { build: 'node build.js' } })
    // Each task takes a moment, so the build is still running when a replica dies.
    files[`packages/${p}/build.js`] = `setTimeout(()=>{require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','${p}');console.log('BUILD RAN ${p}')},400)\n`
  }
  writeTree(root, files)
  gitCommitAll(root)
}

// Two replicas share one bucket and nothing else, behind a real HAProxy: a replica killed mid-build costs the
// build nothing, and what it acknowledged is already in the bucket for the other one to serve.
describe('fabrik server scales out on S3 behind HAProxy', () => {
  let root: string
  let s3: S3rverProcess
  const replicas: ServerProcess[] = []
  let haproxy: ChildProcess | undefined
  let jwt: string
  let front = 0
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-scale-'))
    s3 = await S3rverProcess.start('scale-bucket')
    const key = await makeKey('scale')
    await writeKeys(join(root, 'keys.json'), [key])
    jwt = await token(key, { project_id: 'scale' })
    for (const name of ['r1', 'r2']) {
      const r = new ServerProcess(join(root, name), serverToml({ s3Endpoint: s3.endpoint, bucket: s3.bucket, keyFile: join(root, 'keys.json') }))
      await r.start()
      replicas.push(r)
    }
  })
  after(async () => {
    haproxy?.kill('SIGKILL')
    for (const r of replicas) await r.stop('SIGKILL')
    await s3?.cleanup()
    await rm(root, { recursive: true, force: true })
  })

  it('a build through the balancer survives a replica killed mid-build, and the next build is fully cached', async (t) => {
    const bin = requireClient(t, 'haproxy')
    if (!bin) return
    front = await freePort()
    const cfg = join(root, 'haproxy.cfg')
    writeFileSync(cfg, [
      'global', '  maxconn 256',
      'defaults', '  mode http', '  timeout connect 1s', '  timeout client 30s', '  timeout server 30s',
      // A request the dead replica never answered is sent again to the other one (buffered, so PUTs too).
      '  retries 3', '  option redispatch 1', '  retry-on conn-failure empty-response response-timeout', '  option http-buffer-request',
      `frontend cache`, `  bind 127.0.0.1:${front}`, '  default_backend replicas',
      'backend replicas', '  balance roundrobin', '  option httpchk GET /ready',
      ...replicas.map((r, i) => `  server r${i + 1} ${r.http.replace('http://', '')} check inter 500 fall 1 rise 2`),
      '',
    ].join('\n'))
    haproxy = spawn(bin, ['-f', cfg, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] })
    await new Promise((r) => setTimeout(r, 700))
    const ws = join(root, 'ws')
    workspace(ws)
    const env = { ...process.env, TURBO_API: `http://127.0.0.1:${front}`, TURBO_TEAM: 'scale', TURBO_TOKEN: jwt, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_UI: 'false', TURBO_NO_UPDATE_NOTIFIER: '1' }
    let finished = false
    const build = runCommand(TURBO, ['run', 'build', '--output-logs=full', '--concurrency=2'], { cwd: ws, env, timeoutMs: 120_000 })
    void build.finally(() => (finished = true))
    // Killed once it has served part of this build (its cache requests in /metrics), not at a fixed time: on a
    // loaded machine a fixed delay may kill it before it served anything, or after the build ended.
    const victim = replicas[0]!
    const deadline = Date.now() + 60_000
    while (!finished && Date.now() < deadline && (await counter(victim.http, 'fabrik_requests_total')) === 0) {
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.ok((await counter(victim.http, 'fabrik_requests_total')) > 0, 'the replica to be killed served part of the build')
    assert.equal(finished, false, 'the build was still running when the replica was killed')
    await victim.stop('SIGKILL')
    const first = await build
    assert.equal(first.code, 0, first.stdout + first.stderr)
    for (const p of PACKAGES) assert.match(first.stdout, new RegExp(`BUILD RAN ${p}`))

    rmSync(join(ws, '.turbo'), { recursive: true, force: true })
    for (const p of PACKAGES) rmSync(join(ws, 'packages', p, 'dist'), { recursive: true, force: true })
    const second = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env, timeoutMs: 120_000 })
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /FULL TURBO/, second.stdout)
    assert.match(second.stdout, new RegExp(`Cached:\\s+${PACKAGES.length} cached, ${PACKAGES.length} total`))
  })
})
