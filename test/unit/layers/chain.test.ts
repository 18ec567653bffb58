import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { WHOLE_BYTES } from '../../../src/layers/chain.js'
import { readResult } from '../../../src/store/result.js'
import { collect, open, sha, tempDir } from '../store/helpers.js'
import { FakeLayer, chainOf, counter, spec } from './helpers.js'

describe('layer chain: read-through', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-chain-')))
  after(() => cleanup())
  const local = () => open(join(root, `l${n++}`))

  it('asks the layers in order and stops at the first that has the key', async () => {
    const [a, b] = [new FakeLayer(), new FakeLayer()]
    await a.put('turbo.t', 'k1', Buffer.from('from a'))
    await b.put('turbo.t', 'k1', Buffer.from('from b'))
    await b.put('turbo.t', 'k2', Buffer.from('only b'))
    const { chain } = chainOf(local(), [spec(a, 'a'), spec(b, 'b')])
    assert.equal((await readResult((await chain.get('turbo.t', 'k1'))!)).toString(), 'from a')
    assert.equal(b.calls.get, 0)
    assert.equal((await readResult((await chain.get('turbo.t', 'k2'))!)).toString(), 'only b')
    assert.equal(a.calls.get, 2)
    assert.equal(await chain.get('turbo.t', 'none'), undefined)
    await chain.close()
  })

  it('writes a hit back into the local store, with its metadata, and never queues it for upload', async () => {
    const a = new FakeLayer()
    await a.put('turbo.t', 'k', Buffer.from('bytes'), { meta: { 'x-artifact-tag': 'tag1' } })
    // A store that queues uploads for the layer, as the daemon's does.
    const store = open(join(root, `l${n++}`), { uploads: { layers: ['fake://a'], maxEntries: 100, maxBytes: 1 << 20 } })
    const { chain } = chainOf(store, [spec(a, 'a')])
    await readResult((await chain.get('turbo.t', 'k'))!)
    const here = await store.get('turbo.t', 'k')
    assert.ok(here, 'the hit is now local')
    assert.equal((await readResult(here)).toString(), 'bytes')
    assert.equal(here.meta['x-artifact-tag'], 'tag1')
    assert.equal(store.uploads.depth().entries, 0)
    // The next read is local: the layer is not asked again.
    await chain.get('turbo.t', 'k')
    assert.equal(a.calls.get, 1)
    await chain.close()
  })

  it('still checks the size of an answer from a layer that checks digests itself (p2p), and moves on', async () => {
    const [self, good] = [new FakeLayer(), new FakeLayer()]
    const bytes = Buffer.alloc(1000, 7)
    await self.put('nx', 'k', bytes)
    self.behaviour = 'truncate'
    await good.put('nx', 'k', bytes)
    const { chain } = chainOf(local(), [spec(self, 'self', { checksDigests: true }), spec(good, 'good')])
    assert.ok((await readResult((await chain.get('nx', 'k'))!)).equals(bytes))
    assert.equal(good.calls.get, 1, 'the short answer was refused and the next layer asked')
    await chain.close()
  })

  for (const behaviour of ['corrupt', 'truncate', 'lie-sha'] as const) {
    for (const size of [1000, WHOLE_BYTES + 300_000]) {
      it(`never serves or stores a ${size}-byte entry whose body is ${behaviour}ed, and moves on to the next layer`, async () => {
        const [bad, good] = [new FakeLayer(), new FakeLayer()]
        const bytes = Buffer.alloc(size, 9)
        await bad.put('nx', 'k', bytes)
        bad.behaviour = behaviour
        await good.put('nx', 'k', bytes)
        const store = local()
        const onlyBad = chainOf(store, [spec(bad, 'bad')])
        // Small entries: a miss. Large ones stream, so the client's stream fails instead of ending.
        let outcome: 'miss' | 'failed' | 'served'
        try {
          const got = await onlyBad.chain.get('nx', 'k')
          outcome = got ? (await collect(got.stream), 'served') : 'miss'
        } catch {
          outcome = 'failed'
        }
        assert.equal(outcome, size <= WHOLE_BYTES ? 'miss' : 'failed')
        await new Promise((r) => setTimeout(r, 50))
        assert.equal(await store.has('nx', 'k'), false, 'nothing is stored')
        assert.ok((await counter(onlyBad.registry, 'fabrik_upstream_verification_failures_total', { layer: 'bad' })) >= 1)
        // With a good layer behind the bad one, the entry comes from the good one (small entries are verified
        // before a byte is served, so the client just sees the good copy).
        if (size <= WHOLE_BYTES) {
          const both = chainOf(store, [spec(bad, 'bad'), spec(good, 'good')])
          const got = await both.chain.get('nx', 'k')
          assert.ok(got)
          assert.ok((await readResult(got)).equals(bytes))
          assert.equal(sha(bytes), (await store.stat('nx', 'k'))!.sha256)
        }
        await store.close()
      })
    }
  }

  it('rejects a content-addressed entry whose recorded digest is not its key', async () => {
    const a = new FakeLayer()
    const bytes = Buffer.from('cas bytes')
    const wrongKey = sha('something else')
    await a.put('cas', wrongKey, bytes)
    const store = local()
    const { chain, registry } = chainOf(store, [spec(a, 'a')])
    assert.equal(await chain.get('cas', wrongKey), undefined)
    assert.equal(await store.has('cas', wrongKey), false)
    assert.equal(await counter(registry, 'fabrik_upstream_verification_failures_total', { layer: 'a' }), 1)
    await chain.close()
  })

  it('shares one upstream fetch between concurrent misses of one key', async () => {
    const a = new FakeLayer()
    await a.put('gradle', 'k', Buffer.alloc(5000, 3))
    let open!: () => void
    a.gate = new Promise((r) => (open = r))
    const { chain } = chainOf(local(), [spec(a, 'a')])
    const gets = Array.from({ length: 6 }, () => chain.get('gradle', 'k'))
    await new Promise((r) => setTimeout(r, 20))
    open()
    const results = await Promise.all(gets)
    for (const r of results) assert.equal((await readResult(r!)).length, 5000)
    assert.equal(a.calls.get, 1)
    await chain.close()
  })

  it('believes a layer\'s "yes" for a while but asks again after a "no"', async () => {
    const a = new FakeLayer()
    const { chain } = chainOf(local(), [spec(a, 'a')])
    assert.equal(await chain.has('nx', 'k'), false)
    assert.equal(await chain.has('nx', 'k'), false)
    assert.equal(a.calls.has, 2, 'a negative answer is never cached')
    await a.put('nx', 'k', Buffer.from('x'))
    assert.equal(await chain.has('nx', 'k'), true)
    assert.equal(await chain.has('nx', 'k'), true)
    assert.equal(a.calls.has, 3, 'a positive answer is cached')
    await chain.close()
  })

  it('skips a failing layer (logged, counted) and answers from the next, or a miss', async () => {
    const [broken, good] = [new FakeLayer(), new FakeLayer()]
    broken.behaviour = 'fail'
    await good.put('nx', 'k', Buffer.from('good'))
    const { chain, registry } = chainOf(local(), [spec(broken, 'broken'), spec(good, 'good')])
    assert.equal((await readResult((await chain.get('nx', 'k'))!)).toString(), 'good')
    assert.equal(await chain.get('nx', 'missing'), undefined)
    assert.equal(await chain.has('nx', 'missing'), false)
    assert.equal(await counter(registry, 'fabrik_upstream_requests_total', { layer: 'broken', op: 'get', result: 'error' }), 2)
    assert.equal(await counter(registry, 'fabrik_upstream_requests_total', { layer: 'broken', op: 'has', result: 'error' }), 1)
    await chain.close()
  })

  it('waits for a silent layer at most its timeout', async () => {
    const a = new FakeLayer()
    a.behaviour = 'hang'
    const { chain } = chainOf(local(), [spec(a, 'a', { timeoutMs: 150 })])
    const started = Date.now()
    assert.equal(await chain.get('nx', 'k'), undefined)
    const took = Date.now() - started
    assert.ok(took >= 140 && took < 1500, `took ${took} ms`)
    await chain.close()
  })

  it('opens the breaker after consecutive failures, skips the layer at once, and closes it after one good probe', async () => {
    const a = new FakeLayer()
    await a.put('nx', 'k', Buffer.from('v'))
    a.behaviour = 'fail'
    const { chain, guarded, registry } = chainOf(local(), [spec(a, 'a')], { failures: 3, cooldownMs: 200 })
    for (let i = 0; i < 3; i++) assert.equal(await chain.has('nx', 'x'), false)
    assert.equal(guarded[0]!.breaker.state, 'open')
    const before = a.calls.has
    assert.equal(await chain.has('nx', 'x'), false)
    assert.equal(a.calls.has, before, 'an open breaker skips the layer without calling it')
    assert.equal(await counter(registry, 'fabrik_upstream_requests_total', { layer: 'a', op: 'has', result: 'skipped' }), 1)
    a.behaviour = 'ok'
    await new Promise((r) => setTimeout(r, 250))
    assert.equal(await chain.has('nx', 'k'), true)
    assert.equal(guarded[0]!.breaker.state, 'closed')
    await chain.close()
  })

  it('serves a range of an entry found upstream after storing it whole', async () => {
    const a = new FakeLayer()
    const bytes = Buffer.from('0123456789')
    await a.put('cas', sha(bytes), bytes)
    const store = local()
    const { chain } = chainOf(store, [spec(a, 'a')])
    const got = await chain.get('cas', sha(bytes), { offset: 3, length: 4 })
    assert.equal((await readResult(got!)).toString(), '3456')
    assert.equal((await store.stat('cas', sha(bytes)))!.size, 10)
    await chain.close()
  })
})
