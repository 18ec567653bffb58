import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { requireClient } from '../helpers/clients.js'
import { bazel, genruleWorkspace, remoteCacheHits, type Bazel } from '../helpers/bazel.js'
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
    })
  }
})
