import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bazel, genruleWorkspace, remoteCacheHits, type Bazel } from '../helpers/bazel.js'
import { runCommand } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { counter, http } from '../helpers/http.js'
import { makeProject, type DaemonJson, type TestProject } from '../helpers/project.js'
import { S3rverProcess, s3Upstream, uploadsDrained } from '../helpers/s3.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'

const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

function turboWorkspace(root: string): void {
  writeTree(root, {
    '.gitignore': '.turbo/\ndist/\nnode_modules/\n',
    'package.json': JSON.stringify({ name: 'turbo-s3', private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({ name: 'turbo-s3', lockfileVersion: 3, requires: true, packages: { '': { name: 'turbo-s3', workspaces: ['packages/*'] }, 'packages/app': { name: 'app' }, 'node_modules/app': { resolved: 'packages/app', link: true } } }),
    'turbo.json': JSON.stringify({ $schema: 'https://turbo.build/schema.json', tasks: { build: { outputs: ['dist/**'] } } }),
    'packages/app/package.json': JSON.stringify({ name: 'app', scripts: { build: 'node build.js' } }),
    'packages/app/build.js': "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','built for s3');console.log('BUILD RAN')\n",
  })
  gitCommitAll(root)
}

/** A namespace's entry count in a daemon's local store (its /health). */
async function localEntries(httpUrl: string, ns: string): Promise<number> {
  const health = (await (await fetch(`${httpUrl}/health`)).json()) as { store: { byNamespace: Record<string, { entries: number }> } }
  return health.store.byNamespace[ns]?.entries ?? 0
}

// Two laptops (two projects, each its own daemon, state and empty cache) share one bucket: what A builds reaches
// the bucket through A's upload queue, and B, with nothing local, gets remote hits that S3 served and B now keeps.
describe('the S3 layer between two daemons (s3rver)', () => {
  let s3: S3rverProcess
  let a: TestProject
  let b: TestProject
  let da: DaemonJson
  let db: DaemonJson
  const servers: Bazel[] = []
  before(async () => {
    s3 = await S3rverProcess.start('team-bucket')
    const toml = `[cache]\ndir = ".fabrik/cache"\n${s3Upstream(s3.endpoint, s3.bucket)}`
    a = await makeProject(toml)
    b = await makeProject(toml)
    da = await a.startDaemon()
    db = await b.startDaemon()
  })
  after(async () => {
    for (const s of servers) await s.shutdown()
    await a?.cleanup()
    await b?.cleanup()
    await s3?.cleanup()
  })

  const turboEnv = (p: TestProject, d: DaemonJson) => ({
    ...p.env, TURBO_API: d.http_url, TURBO_TEAM: 'fabrik-local', TURBO_TOKEN: 'local-token', TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1', TURBO_UI: 'false',
  })

  it('turbo: A\'s artifact reaches the bucket, and B replays it from S3 with FULL TURBO', async () => {
    const wsA = join(a.dir, 'ws')
    turboWorkspace(wsA)
    const first = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: wsA, env: turboEnv(a, da) })
    assert.equal(first.code, 0, first.stdout + first.stderr)
    assert.match(first.stdout, /BUILD RAN/)
    await uploadsDrained(da.http_url)

    const objects = await s3.objects('team-a/turbo.fabrik-local/')
    assert.equal(objects.size, 1, [...objects.keys()].join(', '))
    const [key, object] = [...objects.entries()][0]!
    // The bucket holds exactly the bytes A stored, with their digest recorded beside them.
    const hash = key.split('/').pop()!
    const local = await http('GET', `${da.http_url}/v8/artifacts/${hash}?slug=fabrik-local`, undefined, { authorization: 'Bearer local-token' })
    assert.equal(local.status, 200)
    assert.equal(object.sha256, sha(local.body))
    assert.equal(object.recorded, object.sha256)

    const wsB = join(b.dir, 'ws')
    turboWorkspace(wsB)
    assert.equal(await localEntries(db.http_url, 'turbo.fabrik-local'), 0)
    const second = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: wsB, env: turboEnv(b, db) })
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /FULL TURBO/)
    assert.match(second.stdout, /cache hit, replaying/)
    assert.ok((await counter(db.http_url, 'fabrik_upstream_requests_total', { layer: 's3', op: 'get', result: 'hit' })) >= 1)
    assert.equal(await localEntries(db.http_url, 'turbo.fabrik-local'), 1, 'the hit from S3 is now in B\'s local store')

    // And B serves it locally from now on: another clean run asks S3 nothing more.
    const s3Hits = await counter(db.http_url, 'fabrik_upstream_requests_total', { layer: 's3', op: 'get' })
    rmSync(join(wsB, '.turbo'), { recursive: true, force: true })
    rmSync(join(wsB, 'packages/app/dist'), { recursive: true, force: true })
    const third = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: wsB, env: turboEnv(b, db) })
    assert.match(third.stdout, /FULL TURBO/)
    assert.equal(await counter(db.http_url, 'fabrik_upstream_requests_total', { layer: 's3', op: 'get' }), s3Hits)
  })

  it('Bazel over gRPC: A\'s blobs and action results reach the bucket, and B rebuilds with every action a remote hit', async (t) => {
    const bin = requireClient(t, 'bazel')
    if (!bin) return
    const wsA = join(a.dir, 'bazel-ws')
    genruleWorkspace(wsA, 3)
    const bzA = bazel(bin, wsA, join(a.dir, 'bazel-out'), a.env)
    servers.push(bzA)
    const first = await bzA.run(['build', `--remote_cache=${da.grpc_url}`, '--noshow_progress', '//:combined'])
    assert.equal(first.code, 0, first.stderr)
    await uploadsDrained(da.http_url)

    const big = readFileSync(join(wsA, 'bazel-bin', 'big.bin'))
    const objects = await s3.objects('team-a/')
    const blob = objects.get(`team-a/cas/${sha(big)}`)
    assert.ok(blob, `big.bin is in the bucket (${[...objects.keys()].join(', ')})`)
    assert.equal(blob.size, big.length)
    assert.equal(blob.sha256, sha(big))
    assert.equal([...objects.keys()].filter((k) => k.startsWith('team-a/ac/')).length, 3, 'three action results')

    const wsB = join(b.dir, 'bazel-ws')
    genruleWorkspace(wsB, 3)
    const bzB = bazel(bin, wsB, join(b.dir, 'bazel-out'), b.env)
    servers.push(bzB)
    const second = await bzB.run(['build', `--remote_cache=${db.grpc_url}`, '--noshow_progress', '//:combined'])
    assert.equal(second.code, 0, second.stderr)
    assert.equal(remoteCacheHits(second.stderr), 3, second.stderr)
    assert.ok((await counter(db.http_url, 'fabrik_upstream_requests_total', { layer: 's3', op: 'get', result: 'hit' })) >= 5)
    assert.ok(await localEntries(db.http_url, 'cas') >= 3, 'the blobs from S3 are now local')
  })
})
