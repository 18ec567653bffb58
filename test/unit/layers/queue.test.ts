import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Registry } from 'prom-client'
import { LayerBreaker } from '../../../src/layers/breaker.js'
import { GuardedLayer } from '../../../src/layers/guard.js'
import { createLayerMetrics } from '../../../src/layers/metrics.js'
import { UploadWorkers, backoffMs } from '../../../src/layers/uploads.js'
import type { LocalStore } from '../../../src/store/local/store.js'
import type { UploadTargets } from '../../../src/store/types.js'
import { until } from '../../helpers/until.js'
import { open, sha, tempDir } from '../store/helpers.js'
import { FakeLayer, counter, quiet, spec } from './helpers.js'

const S3 = 'fake://s3'
const targets = (over: Partial<UploadTargets> = {}): UploadTargets => ({ layers: [S3], maxEntries: 1000, maxBytes: 1 << 30, ...over })

describe('upload queue', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-queue-')))
  after(() => cleanup())
  const dir = () => join(root, `q${n++}`)

  it('queues a put in the same commit, and the row survives a reopen', async () => {
    const d = dir()
    let store = open(d, { uploads: targets() })
    await store.put('nx', 'a', Buffer.from('aaa'))
    await store.put('nx', 'b', Buffer.from('bbbb'), { upload: false })
    assert.deepEqual(store.uploads.depth(S3), { entries: 1, bytes: 3, oldest: store.uploads.depth(S3).oldest })
    await store.close()
    store = open(d, { uploads: targets() })
    const rows = store.uploads.claim(S3, 10, Date.now())
    assert.deepEqual(rows.map((r) => r.key), ['a'])
    await store.close()
  })

  it('hands out action results only after the blobs queued before them', async () => {
    const store = open(dir(), { uploads: targets() })
    const blob = Buffer.from('output')
    await store.put('cas', sha(blob), blob, { sha256: sha(blob) })
    await store.put('ac', 'a'.repeat(64), Buffer.from('result'))
    await store.put('cas', sha('later'), Buffer.from('later'), { sha256: sha('later') })
    const first = store.uploads.claim(S3, 10, Date.now())
    assert.deepEqual(first.map((r) => r.ns), ['cas', 'cas'], 'the action result waits while a blob queued before it is pending')
    store.uploads.finish(first.find((r) => r.key === sha(blob))!)
    assert.deepEqual(store.uploads.claim(S3, 10, Date.now()).map((r) => r.ns), ['ac'])
    await store.close()
  })

  it('never evicts an entry that is still waiting to be uploaded', async () => {
    const store = open(dir(), { uploads: targets(), maxSize: 3000, lowWatermark: 1 })
    await store.put('nx', 'queued', Buffer.alloc(1000, 1))
    store.uploads.finish(store.uploads.claim(S3, 1, Date.now())[0]!) // uploaded: evictable
    await store.put('nx', 'pinned', Buffer.alloc(1000, 2))
    for (let i = 0; i < 4; i++) await store.put('nx', `filler${i}`, Buffer.alloc(1000, 3), { upload: false })
    assert.equal(await store.has('nx', 'pinned'), true)
    assert.equal(await store.has('nx', 'queued'), false)
    await store.close()
  })

  it('counts and logs what a full queue cannot take, and still stores it locally', async () => {
    const dropped: string[] = []
    const store = open(dir(), { uploads: targets({ maxEntries: 2 }), onUploadDropped: (layers, _ns, key) => dropped.push(`${layers}:${key}`) })
    for (const k of ['a', 'b', 'c']) await store.put('nx', k, Buffer.from(k))
    assert.deepEqual(dropped, [`${S3}:c`])
    assert.equal(await store.has('nx', 'c'), true)
    // Writing a queued key again only updates its row.
    await store.put('nx', 'a', Buffer.from('a2'))
    assert.equal(dropped.length, 1)
    await store.close()
  })

  it('a row written again while its upload runs is not finished by that upload', async () => {
    const store = open(dir(), { uploads: targets() })
    await store.put('nx', 'k', Buffer.from('v1'))
    const [row] = store.uploads.claim(S3, 1, Date.now())
    await store.put('nx', 'k', Buffer.from('v2'))
    store.uploads.finish(row!)
    assert.equal(store.uploads.depth(S3).entries, 1)
    await store.close()
  })

  it('claims of an opener that died are claimed again; a live opener\'s are not', async () => {
    const d = dir()
    const a = open(d, { uploads: targets() })
    await a.put('nx', 'k', Buffer.from('v'))
    assert.equal(a.uploads.claim(S3, 1, Date.now()).length, 1)
    const b = open(d, { uploads: targets() })
    assert.equal(b.uploads.claim(S3, 1, Date.now()).length, 0, 'a live opener keeps its claim')
    await a.close() // a clean close gives claims back; a crash leaves the row to the next opener (recovery drops the dead owner)
    assert.equal(b.uploads.claim(S3, 1, Date.now()).length, 1)
    await b.close()
  })

  it('backs off exponentially with jitter, capped at five minutes', () => {
    assert.equal(backoffMs(1, () => 1), 2000)
    assert.equal(backoffMs(3, () => 0), 4000)
    assert.equal(backoffMs(40, () => 1), 300_000)
  })
})

describe('upload workers', () => {
  let root: string
  let cleanup: () => Promise<void>
  let n = 0
  before(async () => ({ dir: root, cleanup } = await tempDir('fabrik-workers-')))
  after(() => cleanup())

  function setup(store: LocalStore, layer: FakeLayer, breaker?: { failures: number; cooldownMs: number }) {
    const registry = new Registry()
    const metrics = createLayerMetrics(registry)
    const s = spec(layer, 's3', { id: S3 })
    const guarded = new GuardedLayer(s, metrics, quiet, breaker ? new LayerBreaker('s3', quiet, breaker) : undefined)
    const workers = new UploadWorkers({ queue: store.uploads, local: store, layers: [guarded], metrics, logger: quiet, pollMs: 20 })
    return { workers, registry, guarded }
  }

  it('uploads every queued entry with its size, digest and metadata, then forgets the row', async () => {
    const store = open(join(root, `w${n++}`), { uploads: targets() })
    const layer = new FakeLayer()
    for (let i = 0; i < 20; i++) await store.put('turbo.t', `k${i}`, Buffer.from(`v${i}`), { meta: { 'x-artifact-duration': '5' } })
    const { workers, registry } = setup(store, layer)
    workers.start()
    await until('the queue to drain', () => store.uploads.depth().entries === 0)
    for (let i = 0; i < 20; i++) {
      const got = await layer.stat('turbo.t', `k${i}`)
      assert.equal(got?.sha256, sha(`v${i}`))
      assert.equal(got?.meta['x-artifact-duration'], '5')
    }
    assert.equal(layer.calls.put, 20, 'each entry is uploaded once')
    assert.equal(await counter(registry, 'fabrik_uploads_total', { layer: 's3', result: 'done' }), 20)
    await workers.close()
    await store.close()
  })

  it('keeps entries queued while the layer fails, and delivers them once it is back', async () => {
    const store = open(join(root, `w${n++}`), { uploads: targets() })
    const layer = new FakeLayer()
    layer.behaviour = 'fail'
    await store.put('nx', 'k', Buffer.from('v'))
    const { workers, guarded } = setup(store, layer, { failures: 2, cooldownMs: 100 })
    workers.start()
    await until('the breaker to open', () => guarded.breaker.state === 'open')
    assert.equal(store.uploads.depth().entries, 1, 'not dropped while the layer is down')
    const calls = layer.calls.put
    await new Promise((r) => setTimeout(r, 60))
    assert.equal(layer.calls.put, calls, 'an open breaker makes uploads wait instead of hammering the layer')
    layer.behaviour = 'ok'
    // Backoff after two failures is 1-4 s; make the row due now, as time passing would.
    await until('the upload to be retried', () => {
      const [row] = store.uploads.claim(S3, 1, Date.now() + 10 * 60_000)
      if (row) store.uploads.postpone(row, 0)
      return row !== undefined || store.uploads.depth().entries === 0
    })
    await until('the queue to drain', () => store.uploads.depth().entries === 0, 8000)
    assert.ok(await layer.has('nx', 'k'))
    await workers.close()
    await store.close()
  })

  it('drops a row whose entry was deleted locally, counted as gone', async () => {
    const store = open(join(root, `w${n++}`), { uploads: targets() })
    await store.put('nx', 'k', Buffer.from('v'))
    await store.delete('nx', 'k')
    const layer = new FakeLayer()
    const { workers, registry } = setup(store, layer)
    workers.start()
    await until('the queue to drain', () => store.uploads.depth().entries === 0)
    assert.equal(layer.calls.put, 0)
    assert.equal(await counter(registry, 'fabrik_uploads_total', { layer: 's3', result: 'gone' }), 1)
    await workers.close()
    await store.close()
  })
})
