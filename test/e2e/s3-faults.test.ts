import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCommand } from '../helpers/cli.js'
import { counter, http } from '../helpers/http.js'
import { makeProject, type DaemonJson, type TestProject } from '../helpers/project.js'
import { FaultyS3, S3rverProcess, s3Upstream, uploadsDrained } from '../helpers/s3.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'
import { waitGone } from '../helpers/process.js'

const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const BUCKET = 'fault-bucket'

/** Fast failure settings so the tests run in seconds: 1 s timeout, offline after 3 failures for 1 s. */
const FAST = 'timeout = "1s"\nbreaker_failures = 3\nbreaker_cooldown = "1s"\n'

async function health(d: DaemonJson): Promise<{ uploads_pending: number; layers: { state: string }[] }> {
  return (await (await fetch(`${d.http_url}/health`)).json()) as { uploads_pending: number; layers: { state: string }[] }
}

describe('the S3 layer when S3 fails', () => {
  let s3: S3rverProcess
  let proxy: FaultyS3
  const projects: TestProject[] = []
  before(async () => {
    s3 = await S3rverProcess.start(BUCKET)
    proxy = new FaultyS3(() => s3.port)
    await proxy.listen()
  })
  after(async () => {
    for (const p of projects) await p.cleanup()
    await proxy?.close()
    await s3?.cleanup()
  })
  async function project(): Promise<TestProject> {
    const p = await makeProject(`[cache]\ndir = ".fabrik/cache"\n${s3Upstream(proxy.endpoint, BUCKET, FAST)}`)
    projects.push(p)
    return p
  }

  it('kill -9 with uploads queued while S3 is down: once both are back, every acknowledged entry reaches the bucket, once', async () => {
    await s3.stop()
    const p = await project()
    const first = await p.startDaemon()
    const bodies = new Map<string, Buffer>()
    for (let i = 0; i < 30; i++) {
      const body = randomBytes(1000 + i * 3000)
      const key = sha(body)
      const put = await http('PUT', `${first.http_url}/v1/cache/${key}`, body, { 'content-type': 'application/octet-stream' })
      assert.equal(put.status, 200, put.body.toString())
      bodies.set(key, body)
    }
    assert.equal((await health(first)).uploads_pending, 30)
    process.kill(first.pid, 'SIGKILL')
    await waitGone(first.pid)

    await s3.start()
    const second = await p.startDaemon()
    assert.notEqual(second.pid, first.pid)
    await uploadsDrained(second.http_url)
    const objects = await s3.objects('team-a/nx/')
    assert.equal(objects.size, 30)
    for (const [key, body] of bodies) {
      const o = objects.get(`team-a/nx/${key}`)
      assert.ok(o, `${key} reached the bucket`)
      assert.equal(o.sha256, sha(body))
      assert.equal(proxy.count('PUT', `/nx/${key}`, 200), 1, `${key} was uploaded once`)
    }
  })

  it('S3 that accepts connections and never answers: the build finishes, lookups wait at most the timeout, then skip S3 until it answers again', async () => {
    const p = await project()
    const d = await p.startDaemon()
    proxy.mode = { kind: 'hang' }
    try {
      const ws = join(p.dir, 'ws')
      writeTree(ws, {
        '.gitignore': '.turbo/\ndist/\nnode_modules/\n',
        'package.json': JSON.stringify({ name: 'turbo-hang', private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
        'package-lock.json': JSON.stringify({ name: 'turbo-hang', lockfileVersion: 3, requires: true, packages: { '': { name: 'turbo-hang', workspaces: ['packages/*'] }, 'packages/app': { name: 'app' }, 'node_modules/app': { resolved: 'packages/app', link: true } } }),
        'turbo.json': JSON.stringify({ tasks: { build: { outputs: ['dist/**'] } } }),
        'packages/app/package.json': JSON.stringify({ name: 'app', scripts: { build: 'node build.js' } }),
        'packages/app/build.js': "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','x');console.log('BUILD RAN')\n",
      })
      gitCommitAll(ws)
      const env = { ...p.env, TURBO_API: d.http_url, TURBO_TEAM: 'fabrik-local', TURBO_TOKEN: 't', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_UI: 'false' }
      const started = Date.now()
      const build = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env, timeoutMs: 60_000 })
      assert.equal(build.code, 0, build.stdout + build.stderr)
      assert.match(build.stdout, /BUILD RAN/)
      assert.ok(Date.now() - started < 20_000, 'the build is not held up by the silent S3')

      // Each lookup waits at most the layer's timeout (1 s) while S3 is still believed online ...
      const times: number[] = []
      for (let i = 0; i < 5; i++) {
        const t0 = Date.now()
        const miss = await http('GET', `${d.http_url}/v1/cache/${sha(Buffer.from(`absent-${i}`))}`)
        times.push(Date.now() - t0)
        assert.equal(miss.status, 404)
      }
      assert.ok(Math.max(...times) < 2500, `lookups took ${times.join(', ')} ms`)
      // ... and once the breaker is open they skip S3 at once.
      assert.equal((await health(d)).layers[0]!.state, 'offline')
      const t0 = Date.now()
      assert.equal((await http('GET', `${d.http_url}/v1/cache/${sha(Buffer.from('absent-x'))}`)).status, 404)
      assert.ok(Date.now() - t0 < 200, `an offline layer is skipped at once (${Date.now() - t0} ms)`)
      assert.ok((await counter(d.http_url, 'fabrik_upstream_requests_total', { layer: 's3', result: 'skipped' })) >= 1)

      // S3 answers again: after the cool-down one probe brings the layer back, and the queued upload goes out.
      proxy.mode = { kind: 'pass' }
      await new Promise((r) => setTimeout(r, 1200))
      await http('GET', `${d.http_url}/v1/cache/${sha(Buffer.from('absent-y'))}`)
      assert.equal((await health(d)).layers[0]!.state, 'online')
      await uploadsDrained(d.http_url, 60_000)
    } finally {
      proxy.mode = { kind: 'pass' }
    }
  })

  for (const kind of ['corrupt', 'truncate'] as const) {
    it(`S3 sending ${kind === 'corrupt' ? 'corrupted' : 'truncated'} bodies: nothing wrong is served or stored, and the entry is served once S3 is right again`, async () => {
      const writer = await project()
      const w = await writer.startDaemon()
      const small = randomBytes(20_000)
      const large = randomBytes(3 * 1024 * 1024)
      for (const body of [small, large]) {
        assert.equal((await http('PUT', `${w.http_url}/v1/cache/${sha(body)}-${kind}`, body)).status, 200)
      }
      await uploadsDrained(w.http_url)

      const reader = await project()
      const r = await reader.startDaemon()
      proxy.mode = { kind }
      try {
        const gotSmall = await http('GET', `${r.http_url}/v1/cache/${sha(small)}-${kind}`)
        assert.equal(gotSmall.status, 404, 'a small entry that fails verification is a miss')
        // A large entry streams: the client's response breaks off before its last bytes instead of completing.
        const gotLarge = await http('GET', `${r.http_url}/v1/cache/${sha(large)}-${kind}`).catch((err: Error) => err)
        assert.ok(gotLarge instanceof Error || !gotLarge.body.equals(large), 'a large entry that fails verification is never served whole')
        // A corrupted body fails verification; a truncated one breaks off (a failure of the layer) or comes up short.
        const failures = (await counter(r.http_url, 'fabrik_upstream_verification_failures_total', { layer: 's3' })) +
          (kind === 'truncate' ? await counter(r.http_url, 'fabrik_upstream_requests_total', { layer: 's3', op: 'get', result: 'error' }) : 0)
        assert.ok(failures >= 2, `${failures} failures counted`)
        const stats = (await (await fetch(`${r.http_url}/health`)).json()) as { store: { entries: number } }
        assert.equal(stats.store.entries, 0, 'nothing was stored')
      } finally {
        proxy.mode = { kind: 'pass' }
      }
      for (const body of [small, large]) {
        const got = await http('GET', `${r.http_url}/v1/cache/${sha(body)}-${kind}`)
        assert.equal(got.status, 200)
        assert.ok(got.body.equals(body))
      }
    })
  }

  it('`fabrik health` shows the queue, `daemon stop` says what is still queued, and `stop --flush` waits for it', async () => {
    const p = await project()
    let d = await p.startDaemon()
    proxy.mode = { kind: 'status', status: 503 }
    const bodies = [randomBytes(500), randomBytes(700), randomBytes(900)]
    try {
      for (const body of bodies) assert.equal((await http('PUT', `${d.http_url}/v1/cache/${sha(body)}`, body)).status, 200)
      const shown = await p.cli(['health'])
      assert.equal(shown.code, 0, shown.stderr)
      assert.match(shown.stdout, /s3\s+s3:\/\/fault-bucket\/team-a: \w+, read\/write, 3 queued/)
      const stop = await p.cli(['daemon', 'stop'])
      assert.equal(stop.code, 0, stop.stderr)
      assert.match(stop.stdout, /3 uploads are still queued; they go out when the daemon next runs/)
    } finally {
      proxy.mode = { kind: 'pass' }
    }
    d = await p.startDaemon()
    const flushed = await p.cli(['daemon', 'stop', '--flush', '--json'])
    assert.equal(flushed.code, 0, flushed.stderr)
    assert.equal((JSON.parse(flushed.stdout) as { stopped: { uploads_pending: number }[] }).stopped[0]!.uploads_pending, 0)
    const objects = await s3.objects('team-a/nx/')
    for (const body of bodies) assert.ok(objects.has(`team-a/nx/${sha(body)}`))
    void d
  })

  for (const status of [403, 503]) {
    it(`S3 answering ${status}: counted as a failure of the layer, not as a miss`, async () => {
      const p = await project()
      const d = await p.startDaemon()
      proxy.mode = { kind: 'status', status }
      try {
        const got = await http('GET', `${d.http_url}/v1/cache/${sha(Buffer.from(`s${status}`))}`)
        assert.equal(got.status, 404, 'the client sees a miss')
        assert.equal(await counter(d.http_url, 'fabrik_upstream_requests_total', { layer: 's3', op: 'get', result: 'error' }), 1)
        assert.equal(await counter(d.http_url, 'fabrik_upstream_requests_total', { layer: 's3', op: 'get', result: 'miss' }), 0)
      } finally {
        proxy.mode = { kind: 'pass' }
      }
    })
  }
})
