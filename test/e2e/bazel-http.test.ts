import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { requireClient } from '../helpers/clients.js'
import { bazel, genruleWorkspace, remoteCacheHits, type Bazel } from '../helpers/bazel.js'
import { counter } from '../helpers/http.js'
import { useProjectDaemon } from '../helpers/project.js'

describe('Bazel 4.2.3 with --remote_cache=http:// against the daemon', () => {
  let bz: Bazel | undefined
  // Registered first so it runs first: the Bazel server goes before its output root is deleted.
  after(async () => {
    await bz?.shutdown()
  })
  const ctx = useProjectDaemon()

  it('uploads on the first build and, after `bazel clean`, serves every action as a remote cache hit', async (t) => {
    const bin = requireClient(t, 'bazel')
    if (!bin) return
    const ws = join(ctx.project.dir, 'bazel-ws')
    genruleWorkspace(ws)
    bz = bazel(bin, ws, join(ctx.project.dir, 'bazel-out'), ctx.project.env)
    const flags = [`--remote_cache=${ctx.daemon.http_url}`, '--noshow_progress']
    const first = await bz.run(['build', ...flags, '//:combined'])
    assert.equal(first.code, 0, first.stderr)
    assert.equal(remoteCacheHits(first.stderr), 0)
    assert.ok((await counter(ctx.daemon.http_url, 'fabrik_requests_total', { tool: 'bazel', outcome: 'stored' })) >= 3)

    assert.equal((await bz.run(['clean'])).code, 0)
    const second = await bz.run(['build', ...flags, '//:combined'])
    assert.equal(second.code, 0, second.stderr)
    assert.equal(remoteCacheHits(second.stderr), 3, second.stderr)
    assert.ok((await counter(ctx.daemon.http_url, 'fabrik_cache_hits_total', { tool: 'bazel' })) >= 3)
  })
})
