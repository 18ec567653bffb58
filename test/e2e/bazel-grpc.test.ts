import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { requireClient } from '../helpers/clients.js'
import { bazel, genruleWorkspace, remoteCacheHits, type Bazel } from '../helpers/bazel.js'
import { parseJson } from '../helpers/cli.js'
import { counter } from '../helpers/http.js'
import { useProjectDaemon } from '../helpers/project.js'

// Bazel 4.2.3 (Debian bazel-bootstrap) has no --remote_cache_compression flag; the zstd paths are proven by the
// ByteStream contract tests instead (test/unit/grpc).
describe('Bazel 4.2.3 with --remote_cache=grpc:// against the daemon', () => {
  const servers: Bazel[] = []
  // Registered first so it runs first: the Bazel servers go before their output roots are deleted.
  after(async () => {
    for (const b of servers) await b.shutdown()
  })
  const ctx = useProjectDaemon()

  for (const instance of ['', 'team/ci']) {
    it(`rebuilds after \`bazel clean\` with every action a remote cache hit${instance ? ` (instance ${instance})` : ''}`, async (t) => {
      const bin = requireClient(t, 'bazel')
      if (!bin) return
      const ws = join(ctx.project.dir, `ws-${servers.length}`)
      genruleWorkspace(ws, 8)
      const bz = bazel(bin, ws, join(ctx.project.dir, `out-${servers.length}`), ctx.project.env)
      servers.push(bz)
      const flags = [`--remote_cache=${ctx.daemon.grpc_url}`, '--noshow_progress', ...(instance ? [`--remote_instance_name=${instance}`] : [])]
      const first = await bz.run(['build', ...flags, '//:combined'])
      assert.equal(first.code, 0, first.stderr)
      assert.equal(remoteCacheHits(first.stderr), 0, first.stderr)

      assert.equal((await bz.run(['clean'])).code, 0)
      const second = await bz.run(['build', ...flags, '//:combined'])
      assert.equal(second.code, 0, second.stderr)
      // "INFO: 4 processes: 3 remote cache hit, 1 internal." — all three genrules, nothing executed locally.
      assert.match(second.stderr, /processes: 3 remote cache hit, 1 internal\./, second.stderr)
      assert.ok((await counter(ctx.daemon.http_url, 'fabrik_requests_total', { protocol: 'grpc', method: 'Read' })) >= 2)
      // `fabrik stats` counts the rebuild's action-cache hits under bazel. (Bazel 4.2 uploads no execution_metadata
      // timestamps for local actions, so its saved time stays 0 here; executionMs is unit-tested.)
      const stats = parseJson<{ tools: { tool: string; hits: number }[] }>(await ctx.project.cli(['stats', '--json']))
      assert.ok((stats.tools.find((x) => x.tool === 'bazel')?.hits ?? 0) >= 3, JSON.stringify(stats.tools))
    })
  }

  it('never serves a result whose blob was evicted, so Build without the Bytes does not fail later on it', async (t) => {
    // With --remote_download_minimal Bazel does not download a hit's outputs; an action that later needs one as an
    // input fetches it then. Had the daemon served big's result after big.bin's bytes were gone, that fetch would
    // fail the build (Bazel 4.2.3: "Failed to fetch file with hash"); instead big's lookup misses and big reruns.
    const bin = requireClient(t, 'bazel')
    if (!bin) return
    const ws = join(ctx.project.dir, `ws-${servers.length}`)
    genruleWorkspace(ws, 3)
    const bz = bazel(bin, ws, join(ctx.project.dir, `out-${servers.length}`), ctx.project.env)
    servers.push(bz)
    const flags = [`--remote_cache=${ctx.daemon.grpc_url}`, '--noshow_progress']
    const first = await bz.run(['build', ...flags, '//:combined'])
    assert.equal(first.code, 0, first.stderr)

    // Evict big.bin's bytes behind the daemon's back, as the CLI (or eviction) would; keep big's action result.
    const big = readFileSync(join(ws, 'bazel-bin', 'big.bin'))
    const hash = createHash('sha256').update(big).digest('hex')
    const deleted = await ctx.project.cli(['cas', 'delete', hash])
    assert.equal(deleted.code, 0, deleted.stderr)
    // A changed combined action is a miss, so it needs big.bin as an input.
    const build = join(ws, 'BUILD')
    writeFileSync(build, readFileSync(build, 'utf8').replace('cat $(SRCS) > $@', 'cat $(SRCS) > $@ && echo v2 >> $@'))

    assert.equal((await bz.run(['clean'])).code, 0)
    const second = await bz.run(['build', ...flags, '--remote_download_minimal', '//:combined'])
    assert.equal(second.code, 0, second.stderr)
    // small is a hit; big (its result refused) and combined run here.
    assert.match(second.stderr, /processes: 1 remote cache hit, 1 internal, 2 (?:linux-sandbox|processwrapper-sandbox|local)\./, second.stderr)
    // Running big again uploaded its bytes again.
    assert.equal((await ctx.project.cli(['cas', 'exists', hash])).code, 0)
  })
})
