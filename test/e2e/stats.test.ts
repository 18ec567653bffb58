import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseJson, runCommand } from '../helpers/cli.js'
import { http } from '../helpers/http.js'
import { useProjectDaemon, type DaemonJson } from '../helpers/project.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'
import type { StatsReport } from '../../src/stats/report.js'

const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))

type StatsJson = StatsReport & { source: 'daemon' | 'file' }

function workspace(root: string): void {
  writeTree(root, {
    '.gitignore': '.turbo/\ndist/\nnode_modules/\n',
    'package.json': JSON.stringify({ name: 'turbo-ws', private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({ name: 'turbo-ws', lockfileVersion: 3, requires: true, packages: { '': { name: 'turbo-ws', workspaces: ['packages/*'] }, 'packages/app': { name: 'app' }, 'node_modules/app': { resolved: 'packages/app', link: true } } }),
    'turbo.json': JSON.stringify({ $schema: 'https://turbo.build/schema.json', tasks: { build: { outputs: ['dist/**'] } } }),
    'packages/app/package.json': JSON.stringify({ name: 'app', scripts: { build: 'node build.js' } }),
    // Takes a measurable while, so turbo records a duration worth saving.
    'packages/app/build.js': "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,400);require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','built');console.log('BUILD RAN')\n",
  })
  gitCommitAll(root)
}

describe('fabrik stats after real turbo builds', () => {
  const ctx = useProjectDaemon()

  it('a rebuild shows a 100% turbo hit rate and the time turbo recorded, and the figures survive a restart', async () => {
    const ws = join(ctx.project.dir, 'ws')
    workspace(ws)
    const env = {
      ...ctx.project.env, TURBO_API: ctx.daemon.http_url, TURBO_TEAM: 'fabrik-local', TURBO_TOKEN: 'local-token',
      TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1', TURBO_UI: 'false',
    }
    const first = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env })
    assert.equal(first.code, 0, first.stdout + first.stderr)
    const afterFirst = parseJson<StatsJson>(await ctx.project.cli(['stats', '--json']))
    assert.equal(afterFirst.tools.find((t) => t.tool === 'turbo')?.misses, 1)

    const zero = await ctx.project.cli(['stats', '--zero'])
    assert.equal(zero.code, 0, zero.stderr)
    rmSync(join(ws, '.turbo'), { recursive: true, force: true })
    rmSync(join(ws, 'node_modules'), { recursive: true, force: true })
    rmSync(join(ws, 'packages/app/dist'), { recursive: true, force: true })
    const second = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env })
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /FULL TURBO/)

    // What turbo recorded with the upload (x-artifact-duration), read back from the daemon.
    const hash = /cache hit, replaying logs ([0-9a-f]+)/.exec(second.stdout)?.[1]
    assert.ok(hash, second.stdout)
    const head = await http('HEAD', `${ctx.daemon.http_url}/v8/artifacts/${hash}?slug=fabrik-local`)
    const recorded = Number(head.headers['x-artifact-duration'])
    assert.ok(recorded >= 400, `turbo recorded ${recorded} ms`)

    const stats = parseJson<StatsJson>(await ctx.project.cli(['stats', '--json', '--since', '1h']))
    assert.equal(stats.source, 'daemon')
    const turbo = stats.tools.find((t) => t.tool === 'turbo')
    assert.ok(turbo, JSON.stringify(stats))
    assert.equal(turbo.hitRate, 1)
    assert.equal(turbo.misses, 0)
    assert.ok(turbo.hits >= 1)
    assert.equal(turbo.savedMs, recorded)
    const text = await ctx.project.cli(['stats'])
    assert.match(text.stdout, /turbo\s+\d+\s+\d+\s+0\s+0\s+100\.0%/)

    const health = await ctx.project.cli(['health'])
    assert.equal(health.code, 0, health.stderr)
    assert.match(health.stdout, /today: +\d+ requests, 100\.0% hits/)
    assert.match(health.stdout, /peers: +none/)

    // Daemon stopped: read from the file. Restarted: the same figures.
    assert.equal((await ctx.project.cli(['daemon', 'stop'])).code, 0)
    const stopped = parseJson<StatsJson>(await ctx.project.cli(['stats', '--json']))
    assert.equal(stopped.source, 'file')
    assert.deepEqual(stopped.tools, stats.tools)
    ctx.daemon = (await ctx.project.startDaemon()) as DaemonJson
    const restarted = parseJson<StatsJson>(await ctx.project.cli(['stats', '--json']))
    assert.equal(restarted.source, 'daemon')
    assert.deepEqual(restarted.tools, stats.tools)

    // The stop flushed a per-tool summary line; `daemon logs` shows it aligned.
    const logs = await ctx.project.cli(['daemon', 'logs'])
    assert.equal(logs.code, 0, logs.stderr)
    assert.match(logs.stdout, /INFO +turbo +summary +\d+h\/0m\/0e/)
    const raw = await ctx.project.cli(['daemon', 'logs', '--json', '--level', 'info'])
    for (const line of raw.stdout.trim().split('\n')) assert.ok(JSON.parse(line).level >= 30, line)
  })

  it('fabrik dashboard prints a URL whose token (mode 0600 in the state dir) opens the dashboard, and fails with no browser', async () => {
    const r = await ctx.project.cli(['dashboard', '--json'], { env: { DISPLAY: '', WAYLAND_DISPLAY: '' } })
    assert.equal(r.code, 0, r.stderr)
    const { url, opened } = parseJson<{ url: string; opened: boolean }>(r)
    assert.equal(opened, false)
    assert.ok(url.startsWith(`${ctx.daemon.http_url}/_fabrik/dashboard?token=`), url)
    assert.equal(statSync(join(ctx.daemon.state_dir, 'dashboard.token')).mode & 0o777, 0o600)
    const page = await http('GET', url)
    assert.equal(page.status, 303)
    const cookie = String(page.headers['set-cookie']).split(';')[0]!
    const html = await http('GET', `${ctx.daemon.http_url}/_fabrik/dashboard`, undefined, { cookie })
    assert.equal(html.status, 200)
    assert.match(html.body.toString(), /<title>Fabrik<\/title>/)
    const text = await ctx.project.cli(['dashboard', '--no-open'])
    assert.equal(text.stdout.trim(), url)
  })

  it('refuses to reset or read the figures from a browser (Origin / Sec-Fetch-Site present)', async () => {
    const zero = await http('POST', `${ctx.daemon.http_url}/_fabrik/stats/zero`, '', { origin: 'http://127.0.0.1:1' })
    assert.equal(zero.status, 403)
    const read = await http('GET', `${ctx.daemon.http_url}/_fabrik/stats`, undefined, { 'sec-fetch-site': 'same-site' })
    assert.equal(read.status, 403)
  })
})
